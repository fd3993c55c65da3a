/**
 * Transaction → one MP request (envelope + event), validated locally. Pure.
 * Failure codes: mapping's `TOO_OLD`, `CLOCK_SKEW`, `VOID_NOT_SENT`; `NO_CLIENT_ID`;
 * `VALIDATION_FAILED` when the local validator finds anything (messages attached).
 */
import { mapTransaction, validateRequest } from '@pos-ga4/ga4-mp';
import type { MpRequest, ValidationMessage } from '@pos-ga4/ga4-mp';
import type { Transaction } from '@pos-ga4/transaction';
import { isCurrencyCode, minorUnitsOf } from '@pos-ga4/transaction';

import type { WorkerConfig } from '../config.js';
import { resolveClient } from '../lookup/resolve-client.js';

export type BuildFailureCode =
  'TOO_OLD' | 'CLOCK_SKEW' | 'VOID_NOT_SENT' | 'NO_CLIENT_ID' | 'VALIDATION_FAILED';

export type BuildResult =
  | { readonly ok: true; readonly request: MpRequest; readonly flags: readonly string[] }
  | {
      readonly ok: false;
      readonly code: BuildFailureCode;
      readonly reason: string;
      readonly request?: MpRequest;
      readonly messages?: readonly ValidationMessage[];
    };

export function buildRequest(
  transaction: Transaction,
  context: { config: Pick<WorkerConfig, 'mapping' | 'identity'>; now: number },
): BuildResult {
  const { mapping, identity } = context.config;
  const exponent = isCurrencyCode(transaction.currency) ? minorUnitsOf(transaction.currency) : 2;
  const mapped = mapTransaction(transaction, {
    ...mapping,
    now: context.now,
    currencyExponent: exponent,
  });
  if (!mapped.ok) return mapped;
  const client = resolveClient(transaction, identity.unknown);
  if (!client.ok) return client;
  const request: MpRequest = { client_id: client.clientId, events: [mapped.event] };
  const messages = validateRequest(request);
  if (messages.length > 0) {
    const first = messages[0];
    return {
      ok: false,
      code: 'VALIDATION_FAILED',
      reason: first ? `${first.fieldPath}: ${first.description}` : 'invalid',
      request,
      messages,
    };
  }
  return { ok: true, request, flags: [...mapped.flags, `client:${client.source}`] };
}
