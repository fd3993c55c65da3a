/**
 * What must never reach a log line, and how it is removed.
 *
 * Two layers:
 * 1. Path redaction (pino `redact`): known secret-bearing fields anywhere in a logged object are
 *    replaced; URL-valued fields keep host and path but lose their password and `api_secret`.
 * 2. A last pass over every serialized line (`scrubLine`): `api_secret=` query values,
 *    `scheme://user:password@` credentials, and any registered secret value (the configured GA4
 *    api secrets and Redis passwords) are replaced, wherever they appear, including in error
 *    messages and stacks.
 */
export const REDACTED = '[REDACTED]';

const SECRET_KEYS = [
  'apiSecret',
  'api_secret',
  'password',
  'redisPassword',
  'secret',
  'hmacSecret',
  'authorization',
];

/** pino redact paths: the keys at the top level and up to three levels down. */
export const REDACT_PATHS: readonly string[] = SECRET_KEYS.flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
  `*.*.*.${key}`,
]);

const API_SECRET_PARAM = /(api_secret=)[^&\s"']+/gi;
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^:/@\s"']*):([^@\s"']+)@/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds the line scrubber for a set of secret values (empty and very short values ignored). */
export function createLineScrubber(secrets: readonly string[]): (line: string) => string {
  const values = [...new Set(secrets.filter((s) => s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
  const jsonEscaped = values.map((v) => JSON.stringify(v).slice(1, -1));
  const pattern =
    values.length > 0
      ? new RegExp([...values, ...jsonEscaped].map(escapeRegExp).join('|'), 'g')
      : undefined;
  return (line) => {
    let out = line
      .replace(API_SECRET_PARAM, `$1${REDACTED}`)
      .replace(URL_CREDENTIALS, `$1$2:${REDACTED}@`);
    if (pattern) out = out.replace(pattern, REDACTED);
    return out;
  };
}
