/**
 * Turning untrusted input into a Transaction, with a coded rejection instead of an exception.
 *
 * - `parseTransaction(input)`: input must be a complete Transaction (as on the queue).
 * - `completeTransaction(draft, context)`: what producers use. Fills `schemaVersion`, store and
 *   terminal ids from the context when the draft has none; with `context.timeZone` (the store's
 *   IANA zone) rewrites `occurredAt` as the same instant in that zone (`isoInZone`: only the
 *   written offset changes), so the business date in the id is the store's local date whatever
 *   offset the record was written with; derives `transactionId` when absent; then parses. A draft
 *   whose store or terminal differs from a pinned context is rejected with `IDENTITY_MISMATCH`.
 *
 * Rejection codes: `SCHEMA_INVALID` (shape or types), `SCHEMA_VERSION_UNSUPPORTED`,
 * `IDENTITY_MISMATCH`, or the first failed invariant's code (see `INVARIANT_CODES`).
 */
import type { z } from 'zod';

import { deriveTransactionId } from './transaction-id.js';
import type { InvariantCode, Transaction } from './transaction.js';
import { INVARIANT_CODES, SCHEMA_VERSION, TransactionSchema } from './transaction.js';
import { isoInZone } from './zoned-time.js';

export const REJECTION_CODES = [
  'SCHEMA_INVALID',
  'SCHEMA_VERSION_UNSUPPORTED',
  'IDENTITY_MISMATCH',
  ...INVARIANT_CODES,
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface ContractIssue {
  readonly path: string;
  readonly message: string;
  readonly code: RejectionCode;
}

export interface TransactionRejection {
  readonly code: RejectionCode;
  /** One line for operators: the first issue, with its path. */
  readonly reason: string;
  readonly issues: readonly ContractIssue[];
}

export type ParseResult =
  | { readonly ok: true; readonly transaction: Transaction }
  | { readonly ok: false; readonly rejection: TransactionRejection };

function pathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(root)';
}

function codeOf(issue: z.core.$ZodIssue): RejectionCode {
  if (issue.code === 'custom') {
    const code: unknown = issue.params?.['code'];
    if (typeof code === 'string' && (INVARIANT_CODES as readonly string[]).includes(code)) {
      return code as InvariantCode;
    }
  }
  return 'SCHEMA_INVALID';
}

export function reject(
  code: RejectionCode,
  issues: readonly ContractIssue[],
): TransactionRejection {
  const first = issues[0];
  return { code, reason: first ? `${first.path}: ${first.message}` : code, issues };
}

export function parseTransaction(input: unknown): ParseResult {
  if (isRecord(input) && 'schemaVersion' in input && input['schemaVersion'] !== SCHEMA_VERSION) {
    const message = `schemaVersion ${JSON.stringify(input['schemaVersion'])} is not supported (this build reads ${SCHEMA_VERSION})`;
    return {
      ok: false,
      rejection: reject('SCHEMA_VERSION_UNSUPPORTED', [
        { path: 'schemaVersion', message, code: 'SCHEMA_VERSION_UNSUPPORTED' },
      ]),
    };
  }
  const result = TransactionSchema.safeParse(input);
  if (result.success) return { ok: true, transaction: result.data };
  const issues = result.error.issues.map((issue) => ({
    path: pathOf(issue.path),
    message: issue.message,
    code: codeOf(issue),
  }));
  // Shape errors come first: an invariant is meaningless on a malformed record.
  const first = issues.find((i) => i.code === 'SCHEMA_INVALID') ?? issues[0];
  return {
    ok: false,
    rejection: reject(
      first?.code ?? 'SCHEMA_INVALID',
      first ? [first, ...issues.filter((i) => i !== first)] : issues,
    ),
  };
}

export interface CompletionContext {
  readonly storeId?: string;
  readonly terminalId?: string;
  /** The store's IANA zone (validated by the caller): `occurredAt` is written in it. */
  readonly timeZone?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function completeTransaction(draft: unknown, context: CompletionContext = {}): ParseResult {
  if (!isRecord(draft)) return parseTransaction(draft);
  const filled: Record<string, unknown> = { schemaVersion: SCHEMA_VERSION, ...draft };
  for (const key of ['storeId', 'terminalId'] as const) {
    const pinned = context[key];
    if (pinned === undefined) continue;
    if (filled[key] === undefined) {
      filled[key] = pinned;
    } else if (filled[key] !== pinned) {
      const message = `record says ${JSON.stringify(filled[key])}, this terminal is configured as ${JSON.stringify(pinned)}`;
      return {
        ok: false,
        rejection: reject('IDENTITY_MISMATCH', [{ path: key, message, code: 'IDENTITY_MISMATCH' }]),
      };
    }
  }
  if (context.timeZone !== undefined && typeof filled['occurredAt'] === 'string') {
    // Text the contract would not accept stays as it is, for the schema to reject.
    filled['occurredAt'] =
      isoInZone(filled['occurredAt'], context.timeZone) ?? filled['occurredAt'];
  }
  const { storeId, terminalId, receiptNumber, occurredAt } = filled;
  if (
    filled['transactionId'] === undefined &&
    typeof storeId === 'string' &&
    typeof terminalId === 'string' &&
    typeof receiptNumber === 'string' &&
    typeof occurredAt === 'string'
  ) {
    filled['transactionId'] = deriveTransactionId({
      storeId,
      terminalId,
      receiptNumber,
      occurredAt,
    });
  }
  return parseTransaction(filled);
}
