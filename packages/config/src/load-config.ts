/**
 * Loads a config: file (JSON or YAML, chosen by extension) → env overrides → zod schema.
 *
 * Input: the schema, an optional file path, the environment. Output: the parsed config.
 * Errors: `ConfigError` with code `CONFIG_UNREADABLE` (missing file, bad YAML/JSON) or
 * `CONFIG_INVALID` (each issue names the field, what is expected and where the value came from).
 * Pure except for reading the file.
 */
import { readFileSync } from 'node:fs';

import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

import { ConfigError } from './config-error.js';
import type { ConfigIssue } from './config-error.js';
import { applyOverrides, envOverrides } from './env-overrides.js';

export const ENV_PREFIX = 'POS_GA4_';

export interface LoadConfigOptions<S extends z.ZodType> {
  readonly schema: S;
  readonly file?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly aliases?: Readonly<Record<string, string>>;
  /** Used instead of a file when none is given. */
  readonly defaults?: Record<string, unknown>;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(
      'CONFIG_UNREADABLE',
      `Cannot read config file ${file}: ${(cause as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new ConfigError(
      'CONFIG_UNREADABLE',
      `Config file ${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(cause as Error).message}`,
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(
      'CONFIG_UNREADABLE',
      `Config file ${file} must hold an object at the top level`,
    );
  }
  return parsed as Record<string, unknown>;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    return `required: expected ${issue.expected}`;
  }
  if (issue.code === 'unrecognized_keys')
    return `unknown key(s) ${issue.keys.join(', ')}; check the spelling`;
  return issue.message;
}

export function loadConfig<S extends z.ZodType>(options: LoadConfigOptions<S>): z.output<S> {
  const fromFile =
    options.file === undefined ? (options.defaults ?? {}) : readConfigFile(options.file);
  const overrides = envOverrides(options.env ?? process.env, {
    prefix: ENV_PREFIX,
    ...(options.aliases === undefined ? {} : { aliases: options.aliases }),
  });
  const merged = applyOverrides(fromFile, overrides);
  const result = options.schema.safeParse(merged);
  if (result.success) return result.data;
  const origins = new Map(overrides.map((o) => [o.path.join('.'), `env ${o.variable}`]));
  const issues: ConfigIssue[] = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(root)';
    return {
      path,
      message: describeIssue(issue),
      origin: origins.get(path) ?? options.file ?? 'defaults',
    };
  });
  throw new ConfigError(
    'CONFIG_INVALID',
    `Invalid config${options.file === undefined ? '' : ` in ${options.file}`}:`,
    issues,
  );
}
