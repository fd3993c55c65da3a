/**
 * Who bought: the request-level identity of a transaction's GA4 event. Pure.
 *
 * Order: a scanned GA client id (`GA1.x.A.B` or `A.B`) or a verified app QR client id is used
 * directly (the last scan wins); then a loyalty card or customer token found in the identity
 * store (which may add user_id, consent and hashed user_data); then, when `identity.hmacSecret`
 * is set, a client id derived from the card by a keyed hash (`derived`: the same card is the
 * same GA4 user on every visit, and the card number cannot be read back from it). Otherwise, by
 * setting, a deterministic pseudo client id in GA's `<10 digits>.<unix seconds>` shape, the
 * same on every retry and shared by a refund with its purchase, or `NO_CLIENT_ID`.
 *
 * Whoever it is for, the request carries consent field by field from the identity record, else
 * from the deployment's defaults for the store (`context.consent`, consent-defaults.ts), and
 * `user_properties` from the config's `mapping.userProperties` and the record's `properties`
 * (user-properties.ts).
 */
import { createHash, createHmac } from 'node:crypto';

import type { MpConsent, MpUserData, RequestEnvelope } from '@pos-ga4/ga4-mp';
import { scannedClientIdOf } from '@pos-ga4/queue-contract';
import type { Transaction } from '@pos-ga4/transaction';

import { userPropertiesOf } from '../map/user-properties.js';
import type { UserPropertyMapping } from '../map/user-properties.js';
import type { WorkerCode } from '../outcome/worker-error-codes.js';

import type { ConsentSettings } from './consent-defaults.js';
import type { IdentityRecord } from './identity-store.js';
import { identityTokenKey } from './identity-store.js';

export type ClientSource = 'scanned' | 'app-qr' | 'identity-store' | 'derived' | 'pseudo';

export type ClientResolution =
  | {
      readonly ok: true;
      readonly envelope: RequestEnvelope & { client_id: string };
      readonly source: ClientSource;
    }
  | { readonly ok: false; readonly code: WorkerCode<'NO_CLIENT_ID'>; readonly reason: string };

/** Deterministic per transaction; a refund uses its purchase's, so both share a client. */
export function pseudoClientId(
  transaction: Pick<Transaction, 'transactionId' | 'occurredAt' | 'refundOf'>,
): string {
  const basis = transaction.refundOf ?? transaction.transactionId;
  const digest = createHash('sha256').update(`pos-ga4:${basis}`).digest();
  const random = 1_000_000_000 + (digest.readUInt32BE(0) % 9_000_000_000);
  const seconds = /_(\d{4})(\d{2})(\d{2})_/.exec(basis);
  const day = seconds
    ? Date.parse(`${seconds[1] ?? ''}-${seconds[2] ?? ''}-${seconds[3] ?? ''}T00:00:00Z`)
    : Date.parse(transaction.occurredAt);
  return `${random}.${Math.floor(day / 1000)}`;
}

/**
 * A stable client id for a customer token without an identity-store entry: HMAC-SHA256 of
 * `<kind>:<value>` under the deployment's key, shaped like GA's `<10 digits>.<10 digits>`.
 * Same token and key → same id, on every worker; without the key the token cannot be recovered.
 */
export function derivedClientId(token: { kind: string; value: string }, key: string): string {
  const digest = createHmac('sha256', key).update(`${token.kind}:${token.value}`).digest();
  const random = 1_000_000_000 + (digest.readUInt32BE(0) % 9_000_000_000);
  const second = 1_000_000_000 + (digest.readUInt32BE(4) % 1_000_000_000);
  return `${random}.${second}`;
}

/** Identity-store tokens a transaction carries (loyalty cards, customer tokens). */
export function lookupTokens(
  transaction: Pick<Transaction, 'identities'>,
): { kind: string; value: string }[] {
  return transaction.identities
    .filter((t) => t.kind === 'loyalty-card' || t.kind === 'other')
    .map((t) => ({ kind: t.kind, value: t.value }));
}

/** What applies to every request besides the identity record (the worker config). */
export interface RequestDefaults {
  /** Consent when the record gives none, per field (the store's, else the default). */
  readonly consent?: ConsentSettings;
  /** `mapping.userProperties`: user property name → transaction field. */
  readonly userProperties?: UserPropertyMapping | undefined;
}

/**
 * The request-level keys for `clientId`: user_id, consent, user_data and properties from the
 * identity record when there is one, consent defaults per field and configured user properties.
 */
export function requestEnvelope(
  clientId: string,
  record: IdentityRecord | undefined,
  context: { transaction: Transaction; defaults: RequestDefaults },
): RequestEnvelope & { client_id: string } {
  const { defaults } = context;
  const adUserData = record?.adUserData ?? defaults.consent?.adUserData;
  const adPersonalization = record?.adPersonalization ?? defaults.consent?.adPersonalization;
  const consent: MpConsent = {
    ...(adUserData === undefined ? {} : { ad_user_data: adUserData }),
    ...(adPersonalization === undefined ? {} : { ad_personalization: adPersonalization }),
  };
  const userData: MpUserData = {
    ...(record?.emailSha256 === undefined ? {} : { sha256_email_address: record.emailSha256 }),
    ...(record?.phoneSha256 === undefined ? {} : { sha256_phone_number: record.phoneSha256 }),
  };
  const userProperties = userPropertiesOf(
    context.transaction,
    defaults.userProperties,
    record?.properties,
  );
  return {
    client_id: clientId,
    ...(record?.userId === undefined ? {} : { user_id: record.userId }),
    ...(userProperties === undefined ? {} : { user_properties: userProperties }),
    ...(Object.keys(consent).length > 0 ? { consent } : {}),
    ...(Object.keys(userData).length > 0 ? { user_data: userData } : {}),
  };
}

export function resolveClient(
  transaction: Transaction,
  context: {
    policy: 'pseudo-client-id' | 'dead-letter';
    identities?: ReadonlyMap<string, IdentityRecord>;
    /** `identity.hmacSecret`: derive stable client ids for unmapped customer tokens. */
    hmacSecret?: string;
    /** Consent defaults and configured user properties (none when absent). */
    defaults?: RequestDefaults;
  },
): ClientResolution {
  const envelope = (clientId: string, record?: IdentityRecord) =>
    requestEnvelope(clientId, record, { transaction, defaults: context.defaults ?? {} });
  const scanned = scannedClientIdOf(transaction);
  if (scanned) return { ok: true, envelope: envelope(scanned.clientId), source: scanned.source };
  const tokens = [...lookupTokens(transaction)].reverse();
  for (const token of tokens) {
    const record = context.identities?.get(identityTokenKey(token));
    if (record?.clientId !== undefined)
      return { ok: true, envelope: envelope(record.clientId, record), source: 'identity-store' };
  }
  const token = tokens[0];
  if (token !== undefined && context.hmacSecret !== undefined) {
    // a record without a client id may still carry user_id, consent, user_data and properties
    const record = context.identities?.get(identityTokenKey(token));
    return {
      ok: true,
      envelope: envelope(derivedClientId(token, context.hmacSecret), record),
      source: 'derived',
    };
  }
  if (context.policy === 'pseudo-client-id')
    return { ok: true, envelope: envelope(pseudoClientId(transaction)), source: 'pseudo' };
  return {
    ok: false,
    code: 'NO_CLIENT_ID',
    reason: 'no scanned client id, no known identity, and identity.unknown is dead-letter',
  };
}
