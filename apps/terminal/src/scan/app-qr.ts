/**
 * Signed app QR codes: a customer's GA client id (and optional user id) that the shop's app or
 * web account page shows at the till, signed so that nobody can present a made-up or altered id.
 * Format (version 1; docs/app-qr-format.md is the spec for app and web teams):
 *
 *   POSGA4:1:<kid>:<clientId>:<issuedAt>:<userId>:<mac>
 *
 *   kid       key id, [A-Za-z0-9_-]{1,16}; selects the secret, so keys can be rotated
 *   clientId  [A-Za-z0-9._-]{1,64}; a web client id is `<random>.<unix seconds>`
 *   issuedAt  unix seconds, decimal, no leading zeros
 *   userId    optional, [A-Za-z0-9._~-]{0,64}; empty when absent (the field stays)
 *   mac       base64url, no padding, of the first 16 bytes of
 *             HMAC-SHA256(secret, every character before the last ':') (22 characters)
 *
 * Inputs: `signAppQr({ key, kid, clientId, issuedAt, userId? })`; `verifyAppQr(data, { keys,
 * now, maxAgeSeconds?, notBeforeToleranceSeconds? })` with `now` in epoch milliseconds
 * (Date.now()) and `keys` a record kid → secret. A secret is the UTF-8 bytes of a string, or raw
 * bytes; it must be at least 16 bytes (32 random bytes, base64url-encoded, are recommended).
 * Outputs: the QR text; a verification result `{ ok: true, kid, clientId, userId?, issuedAt }` or
 * `{ ok: false, reason }` with reason MALFORMED | UNSUPPORTED_VERSION | UNKNOWN_KEY |
 * BAD_SIGNATURE | EXPIRED | NOT_YET_VALID. The MAC is checked (constant time,
 * crypto.timingSafeEqual) before the time window, so only authentic codes are EXPIRED.
 * Errors: `signAppQr` throws `TypeError` for invalid fields; `verifyAppQr` throws `TypeError` only
 * for invalid options (a configured secret shorter than 16 bytes, a bad `now`), never for data.
 * No message ever contains a secret. Lifecycle: pure (the caller supplies `now`).
 */
import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';

export const APP_QR_PREFIX = 'POSGA4';
export const APP_QR_VERSION = '1';
/** Default validity: the app shows a fresh code, so 10 minutes is plenty. */
export const DEFAULT_APP_QR_MAX_AGE_SECONDS = 600;
/** Default tolerance for a phone clock that runs ahead of the till. */
export const DEFAULT_APP_QR_NOT_BEFORE_TOLERANCE_SECONDS = 60;

const MAC_BYTES = 16;
const MAC_CHARS = 22;
const MIN_SECRET_BYTES = 16;
const KID = /^[A-Za-z0-9_-]{1,16}$/;
const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;
const ISSUED_AT = /^(?:0|[1-9]\d{0,11})$/;
const USER_ID = /^[A-Za-z0-9._~-]{0,64}$/;
const MAC = /^[A-Za-z0-9_-]{22}$/;

export type AppQrSecret = string | Uint8Array;

export interface SignAppQrInput {
  readonly key: AppQrSecret;
  readonly kid: string;
  readonly clientId: string;
  /** Unix seconds. */
  readonly issuedAt: number;
  readonly userId?: string;
}

export interface VerifyAppQrOptions {
  readonly keys: Readonly<Record<string, AppQrSecret>>;
  /** Epoch milliseconds, as from `Date.now()`. */
  readonly now: number;
  readonly maxAgeSeconds?: number;
  readonly notBeforeToleranceSeconds?: number;
}

export type AppQrFailure =
  | 'MALFORMED'
  | 'UNSUPPORTED_VERSION'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'EXPIRED'
  | 'NOT_YET_VALID';

export type AppQrVerification =
  | {
      readonly ok: true;
      readonly kid: string;
      readonly clientId: string;
      readonly userId?: string;
      readonly issuedAt: number;
    }
  | { readonly ok: false; readonly reason: AppQrFailure };

function secretBytes(secret: AppQrSecret, kid: string): Buffer {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new TypeError(`the secret for key id "${kid}" is shorter than ${MIN_SECRET_BYTES} bytes`);
  }
  return bytes;
}

function macOf(secret: Buffer, signed: string): string {
  const digest = createHmac('sha256', secret).update(signed, 'utf8').digest();
  return digest.subarray(0, MAC_BYTES).toString('base64url');
}

export function signAppQr(input: SignAppQrInput): string {
  const { kid, clientId, issuedAt } = input;
  const userId = input.userId ?? '';
  if (!KID.test(kid)) throw new TypeError('"kid" must match [A-Za-z0-9_-]{1,16}');
  if (!CLIENT_ID.test(clientId)) throw new TypeError('"clientId" must match [A-Za-z0-9._-]{1,64}');
  if (!Number.isSafeInteger(issuedAt) || !ISSUED_AT.test(String(issuedAt))) {
    throw new TypeError('"issuedAt" must be unix seconds (a non-negative integer)');
  }
  if (!USER_ID.test(userId)) throw new TypeError('"userId" must match [A-Za-z0-9._~-]{0,64}');
  const signed = [APP_QR_PREFIX, APP_QR_VERSION, kid, clientId, String(issuedAt), userId].join(':');
  return `${signed}:${macOf(secretBytes(input.key, kid), signed)}`;
}

/** True when `data` claims to be an app QR (any version), so classification can route it here. */
export function looksLikeAppQr(data: string): boolean {
  return data.startsWith(`${APP_QR_PREFIX}:`);
}

function fail(reason: AppQrFailure): AppQrVerification {
  return { ok: false, reason };
}

function checkOptions(options: VerifyAppQrOptions): { maxAge: number; tolerance: number } {
  const maxAge = options.maxAgeSeconds ?? DEFAULT_APP_QR_MAX_AGE_SECONDS;
  const tolerance =
    options.notBeforeToleranceSeconds ?? DEFAULT_APP_QR_NOT_BEFORE_TOLERANCE_SECONDS;
  if (!Number.isFinite(options.now)) throw new TypeError('"now" must be epoch milliseconds');
  if (!(maxAge >= 0)) throw new TypeError('"maxAgeSeconds" must be a non-negative number');
  if (!(tolerance >= 0)) {
    throw new TypeError('"notBeforeToleranceSeconds" must be a non-negative number');
  }
  return { maxAge, tolerance };
}

export function verifyAppQr(data: string, options: VerifyAppQrOptions): AppQrVerification {
  const { maxAge, tolerance } = checkOptions(options);
  const fields = data.split(':');
  if (fields[0] !== APP_QR_PREFIX || fields.length < 2) return fail('MALFORMED');
  if (fields[1] !== APP_QR_VERSION) return fail('UNSUPPORTED_VERSION');
  const [, , kid = '', clientId = '', issued = '', userId = '', mac = ''] = fields;
  if (
    fields.length !== 7 ||
    !KID.test(kid) ||
    !CLIENT_ID.test(clientId) ||
    !ISSUED_AT.test(issued) ||
    !USER_ID.test(userId) ||
    !MAC.test(mac)
  ) {
    return fail('MALFORMED');
  }
  const secret = Object.hasOwn(options.keys, kid) ? options.keys[kid] : undefined;
  if (secret === undefined) return fail('UNKNOWN_KEY');

  const expected = Buffer.from(
    macOf(secretBytes(secret, kid), data.slice(0, data.lastIndexOf(':'))),
  );
  const given = Buffer.from(mac);
  if (given.length !== MAC_CHARS || !timingSafeEqual(expected, given)) return fail('BAD_SIGNATURE');

  const issuedAt = Number(issued);
  const nowSeconds = Math.floor(options.now / 1000);
  if (issuedAt - nowSeconds > tolerance) return fail('NOT_YET_VALID');
  if (nowSeconds - issuedAt > maxAge) return fail('EXPIRED');
  return userId === ''
    ? { ok: true, kid, clientId, issuedAt }
    : { ok: true, kid, clientId, userId, issuedAt };
}
