/**
 * Transaction (+ its resolved identity) → one GA4 event with its request envelope, validated
 * locally. Pure.
 * Failure codes: mapping's `TOO_OLD`, `CLOCK_SKEW`, `VOID_NOT_SENT`; `NO_CLIENT_ID`;
 * `VALIDATION_FAILED` when the local validator finds anything (messages attached).
 */
import { mapTransaction, validateRequest } from '@pos-ga4/ga4-mp';
import type { MpEvent, MpRequest, RequestEnvelope, ValidationMessage } from '@pos-ga4/ga4-mp';
import type { Transaction } from '@pos-ga4/transaction';
import { isCurrencyCode, minorUnitsOf } from '@pos-ga4/transaction';

import type { WorkerConfig } from '../config.js';
import type { IdentityRecord } from '../lookup/identity-store.js';
import { resolveClient } from '../lookup/resolve-client.js';
import type { ClientSource } from '../lookup/resolve-client.js';

export type BuildFailureCode =
  'TOO_OLD' | 'CLOCK_SKEW' | 'VOID_NOT_SENT' | 'NO_CLIENT_ID' | 'VALIDATION_FAILED';

export type BuildResult =
  | {
      readonly ok: true;
      readonly envelope: RequestEnvelope & { client_id: string };
      readonly event: MpEvent;
      readonly request: MpRequest;
      /** Where the client id came from; `pseudo` ids are unique to one purchase (and its refunds). */
      readonly source: ClientSource;
      readonly flags: readonly string[];
    }
  | {
      readonly ok: false;
      readonly code: BuildFailureCode;
      readonly reason: string;
      readonly request?: MpRequest;
      readonly messages?: readonly ValidationMessage[];
    };

export interface BuildContext {
  readonly config: Pick<WorkerConfig, 'mapping' | 'identity'>;
  readonly now: number;
  readonly identities?: ReadonlyMap<string, IdentityRecord>;
}

export function buildRequest(transaction: Transaction, context: BuildContext): BuildResult {
  const { mapping, identity } = context.config;
  const exponent = isCurrencyCode(transaction.currency) ? minorUnitsOf(transaction.currency) : 2;
  const mapped = mapTransaction(transaction, {
    ...mapping,
    now: context.now,
    currencyExponent: exponent,
  });
  if (!mapped.ok) return mapped;
  const client = resolveClient(transaction, {
    policy: identity.unknown,
    ...(context.identities === undefined ? {} : { identities: context.identities }),
  });
  if (!client.ok) return client;
  const request: MpRequest = { ...client.envelope, events: [mapped.event] };
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
  return {
    ok: true,
    envelope: client.envelope,
    event: mapped.event,
    request,
    source: client.source,
    flags: [...mapped.flags, `client:${client.source}`],
  };
}
