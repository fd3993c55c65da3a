/**
 * Transaction (+ its resolved identity) → one GA4 event with its request envelope, validated
 * locally. Pure. The envelope carries the config's request defaults (`requestDefaultsOf`):
 * consent for the store when the identity record gives none, `mapping.userProperties`.
 * Failure codes: mapping's `TOO_OLD`, `CLOCK_SKEW`, `VOID_NOT_SENT`; `NO_CLIENT_ID`;
 * `VALIDATION_FAILED` when the local validator finds anything (messages attached).
 */
import { mapTransaction, validateRequest } from '@pos-ga4/ga4-mp';
import type {
  MappingCounts,
  MappingFailureCode,
  MappingOptions,
  MpEvent,
  MpRequest,
  RequestEnvelope,
  ValidationMessage,
} from '@pos-ga4/ga4-mp';
import type { Transaction } from '@pos-ga4/transaction';
import { isCurrencyCode, minorUnitsOf } from '@pos-ga4/transaction';

import type { WorkerConfig } from '../config.js';
import { consentDefaultsFor } from '../lookup/consent-defaults.js';
import type { IdentityRecord } from '../lookup/identity-store.js';
import { resolveClient } from '../lookup/resolve-client.js';
import type { ClientSource, RequestDefaults } from '../lookup/resolve-client.js';
import type { WorkerCode } from '../outcome/worker-error-codes.js';

export type BuildFailureCode =
  MappingFailureCode | WorkerCode<'NO_CLIENT_ID' | 'VALIDATION_FAILED'>;

export type BuildResult =
  | {
      readonly ok: true;
      readonly envelope: RequestEnvelope & { client_id: string };
      readonly event: MpEvent;
      readonly request: MpRequest;
      /** Where the client id came from; `pseudo` ids are unique to one purchase (and its refunds). */
      readonly source: ClientSource;
      readonly flags: readonly string[];
      /** Lines folded into `pos_other_items`, texts cut to a GA4 limit (metrics). */
      readonly counts: MappingCounts;
    }
  | {
      readonly ok: false;
      readonly code: BuildFailureCode;
      readonly reason: string;
      readonly request?: MpRequest;
      readonly messages?: readonly ValidationMessage[];
    };

export interface BuildContext {
  readonly config: Pick<WorkerConfig, 'mapping' | 'identity' | 'consent'>;
  /** The current time (ms since the epoch): the backdating window. */
  readonly now: number;
  readonly identities?: ReadonlyMap<string, IdentityRecord>;
}

type MappingConfig = WorkerConfig['mapping'];
const mappingOptions = new WeakMap<
  MappingConfig,
  Omit<MappingOptions, 'now' | 'currencyExponent'>
>();

/** The mapping settings as `mapTransaction` takes them, worked out once per config. */
function mappingOptionsOf(
  mapping: MappingConfig,
): Omit<MappingOptions, 'now' | 'currencyExponent'> {
  let options = mappingOptions.get(mapping);
  if (!options) {
    const { valueIncludesTax, prices, userProperties: _requestLevel, ...rest } = mapping;
    options = { ...rest, prices: prices ?? (valueIncludesTax ? 'gross' : 'net') };
    mappingOptions.set(mapping, options);
  }
  return options;
}

/** What the config adds to every request of a store besides the identity record's. */
export function requestDefaultsOf(
  config: Pick<WorkerConfig, 'mapping' | 'consent'>,
  storeId: string,
): RequestDefaults {
  return {
    consent: consentDefaultsFor(config.consent, storeId),
    userProperties: config.mapping.userProperties,
  };
}

export function buildRequest(transaction: Transaction, context: BuildContext): BuildResult {
  const { mapping, identity } = context.config;
  const exponent = isCurrencyCode(transaction.currency) ? minorUnitsOf(transaction.currency) : 2;
  const mapped = mapTransaction(transaction, {
    ...mappingOptionsOf(mapping),
    now: context.now,
    currencyExponent: exponent,
  });
  if (!mapped.ok) return mapped;
  const client = resolveClient(transaction, {
    policy: identity.unknown,
    ...(identity.hmacSecret === undefined ? {} : { hmacSecret: identity.hmacSecret }),
    ...(context.identities === undefined ? {} : { identities: context.identities }),
    defaults: requestDefaultsOf(context.config, transaction.storeId),
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
    counts: mapped.counts,
  };
}
