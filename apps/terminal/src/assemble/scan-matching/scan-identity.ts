/**
 * What an identity scan contributes to a receipt: its role, its rank within the role, and the
 * Transaction contract's `IdentityToken`.
 *
 * Input: an identity classification ('app-qr' verified, 'ga-client-id', 'loyalty-card') and the
 * scan time (ISO 8601).
 * Output: `{ role, rank, token }`. Roles: 'client' (app-qr and ga-client-id: both name a GA client
 * id, a receipt gets one) and 'loyalty' (loyalty-card, a receipt gets one). Rank: a verified app QR
 * (2) beats a plain GA client id (1). Token: `{ kind, value, symbology?, scannedAt }` with `value`
 * the verified client id (app-qr), the client id `NNN.NNN` (ga-client-id) or the card number.
 * Errors: none. Lifecycle: pure. The app QR's userId has no place in `IdentityToken` (yet).
 */
import type { IdentityToken } from '@pos-ga4/transaction';

import type { IdentityClassification } from '../../scan/index.js';

export type IdentityRole = 'client' | 'loyalty';
export const IDENTITY_ROLES: readonly IdentityRole[] = ['client', 'loyalty'];

export interface ScanIdentity {
  readonly role: IdentityRole;
  readonly rank: number;
  readonly token: IdentityToken;
}

function withSymbology(token: IdentityToken, symbology: string | undefined): IdentityToken {
  return symbology === undefined ? token : { ...token, symbology };
}

export function scanIdentity(
  classification: IdentityClassification,
  scannedAt: string,
): ScanIdentity {
  const { symbology } = classification;
  switch (classification.kind) {
    case 'app-qr':
      return {
        role: 'client',
        rank: 2,
        token: withSymbology(
          { kind: 'app-qr', value: classification.clientId, scannedAt },
          symbology,
        ),
      };
    case 'ga-client-id':
      return {
        role: 'client',
        rank: 1,
        token: withSymbology(
          { kind: 'ga-client-id', value: classification.clientId, scannedAt },
          symbology,
        ),
      };
    case 'loyalty-card':
      return {
        role: 'loyalty',
        rank: 1,
        token: withSymbology(
          { kind: 'loyalty-card', value: classification.value, scannedAt },
          symbology,
        ),
      };
  }
}
