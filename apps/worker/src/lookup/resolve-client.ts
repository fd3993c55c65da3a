/**
 * Who bought: the request-level identity of a transaction's GA4 event. Pure.
 *
 * Order: a scanned GA client id (`GA1.x.A.B` or `A.B`) or a verified app QR client id is used
 * directly (the last scan wins); then a loyalty card or customer token found in the identity
 * store (which may add user_id, consent and hashed user_data). Otherwise, by setting, a
 * deterministic pseudo client id in GA's `<10 digits>.<unix seconds>` shape, the same on every
 * retry and shared by a refund with its purchase, or `NO_CLIENT_ID`.
 */
import { createHash } from 'node:crypto';

import type { MpConsent, MpUserData, RequestEnvelope } from '@pos-ga4/ga4-mp';
import { scannedClientIdOf } from '@pos-ga4/queue-contract';
import type { Transaction } from '@pos-ga4/transaction';

import type { IdentityRecord } from './identity-store.js';
import { identityTokenKey } from './identity-store.js';

export type ClientSource = 'scanned' | 'app-qr' | 'identity-store' | 'pseudo';

export type ClientResolution =
  | {
      readonly ok: true;
      readonly envelope: RequestEnvelope & { client_id: string };
      readonly source: ClientSource;
    }
  | { readonly ok: false; readonly code: 'NO_CLIENT_ID'; readonly reason: string };

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

/** Identity-store tokens a transaction carries (loyalty cards, customer tokens). */
export function lookupTokens(
  transaction: Pick<Transaction, 'identities'>,
): { kind: string; value: string }[] {
  return transaction.identities
    .filter((t) => t.kind === 'loyalty-card' || t.kind === 'other')
    .map((t) => ({ kind: t.kind, value: t.value }));
}

function fromRecord(
  clientId: string,
  record: IdentityRecord | undefined,
): RequestEnvelope & { client_id: string } {
  const consent: MpConsent = {
    ...(record?.adUserData === undefined ? {} : { ad_user_data: record.adUserData }),
    ...(record?.adPersonalization === undefined
      ? {}
      : { ad_personalization: record.adPersonalization }),
  };
  const userData: MpUserData = {
    ...(record?.emailSha256 === undefined ? {} : { sha256_email_address: record.emailSha256 }),
    ...(record?.phoneSha256 === undefined ? {} : { sha256_phone_number: record.phoneSha256 }),
  };
  return {
    client_id: clientId,
    ...(record?.userId === undefined ? {} : { user_id: record.userId }),
    ...(Object.keys(consent).length > 0 ? { consent } : {}),
    ...(Object.keys(userData).length > 0 ? { user_data: userData } : {}),
  };
}

export function resolveClient(
  transaction: Transaction,
  context: {
    policy: 'pseudo-client-id' | 'dead-letter';
    identities?: ReadonlyMap<string, IdentityRecord>;
  },
): ClientResolution {
  const scanned = scannedClientIdOf(transaction);
  if (scanned)
    return { ok: true, envelope: { client_id: scanned.clientId }, source: scanned.source };
  for (const token of [...lookupTokens(transaction)].reverse()) {
    const record = context.identities?.get(identityTokenKey(token));
    if (record?.clientId !== undefined)
      return { ok: true, envelope: fromRecord(record.clientId, record), source: 'identity-store' };
  }
  if (context.policy === 'pseudo-client-id')
    return { ok: true, envelope: { client_id: pseudoClientId(transaction) }, source: 'pseudo' };
  return {
    ok: false,
    code: 'NO_CLIENT_ID',
    reason: 'no scanned client id, no known identity, and identity.unknown is dead-letter',
  };
}
