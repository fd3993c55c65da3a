/**
 * Loading receipt profiles: a YAML or JSON file (by extension; YAML is a superset of JSON) →
 * validated `ReceiptProfile`.
 *
 * Inputs: a file path (`loadReceiptProfile`), or an already-read value (`parseReceiptProfile`,
 * pure). Output: the profile with defaults applied. Errors: `ProfileError` with code
 * `PROFILE_INVALID` (docs/errors.md): unreadable file, YAML/JSON syntax, or schema issues, each
 * naming the field as a dotted path (`patterns.items.0: an item layout needs …`).
 * Lifecycle: reads the file once; nothing kept open.
 */
import { readFileSync } from 'node:fs';

import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

import type { TerminalErrorCode } from '../../errors.js';

import type { ReceiptProfile } from './profile-schema.js';
import { ReceiptProfileSchema } from './profile-schema.js';

export interface ProfileIssue {
  readonly path: string;
  readonly message: string;
}

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  readonly code = 'PROFILE_INVALID' satisfies TerminalErrorCode;
  readonly issues: readonly ProfileIssue[];

  constructor(summary: string, issues: readonly ProfileIssue[] = []) {
    super(`${summary}${issues.map((i) => `\n  - ${i.path}: ${i.message}`).join('')}`);
    this.issues = issues;
  }
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined'))
    return `required: expected ${issue.expected}`;
  if (issue.code === 'unrecognized_keys')
    return `unknown key(s) ${issue.keys.join(', ')}; check the spelling`;
  if (issue.code === 'invalid_union') return 'expected a pattern (string) or a list of patterns';
  return issue.message;
}

/** Validates a profile value; `origin` (a file name) goes into the error message. */
export function parseReceiptProfile(value: unknown, origin?: string): ReceiptProfile {
  const result = ReceiptProfileSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: describe(issue),
  }));
  throw new ProfileError(
    `Invalid receipt profile${origin === undefined ? '' : ` ${origin}`}:`,
    issues,
  );
}

export function loadReceiptProfile(file: string): ReceiptProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ProfileError(`Cannot read receipt profile ${file}: ${(cause as Error).message}`);
  }
  let value: unknown;
  try {
    value = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new ProfileError(
      `Receipt profile ${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(cause as Error).message}`,
    );
  }
  return parseReceiptProfile(value, file);
}
