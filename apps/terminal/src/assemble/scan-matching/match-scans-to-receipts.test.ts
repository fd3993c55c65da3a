import { TransactionSchema } from '@pos-ga4/transaction';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { classifyBarcode, signAppQr } from '../../scan/index.js';
import type { BarcodeClassification } from '../../scan/index.js';
import { matchScansToReceipts } from './match-scans-to-receipts.js';
import type { MatchableReceipt, MatchableScan, ScanMatchResult } from './scan-match-types.js';

/** The Transaction contract's IdentityTokenSchema (not exported on its own). */
const IdentityTokenSchema = TransactionSchema.shape.identities.unwrap().element;
const T0 = Date.parse('2026-11-26T10:00:00Z');
const iso = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const KEY = 'secret-for-tests-0123456789';
const APP_QR = { keys: { k1: KEY }, now: T0 };

interface Scan extends MatchableScan {
  readonly id: string;
}

function receipt(receiptId: string, seconds: number, terminalId = 'till-1'): MatchableReceipt {
  return { receiptId, terminalId, completedAt: iso(seconds) };
}

function scan(id: string, data: string, seconds: number, terminalId = 'till-1'): Scan {
  return { id, terminalId, at: iso(seconds), classification: classifyBarcode(data, CLASSIFY) };
}

const CLASSIFY = {
  appQr: APP_QR,
  loyaltyPatterns: [{ name: 'store-card', pattern: '29(?<value>\\d{11})' }],
};
const GA_X = 'GA1.1.1111111111.1764150000';
const GA_Y = '2222222222.1764150000';
const QR_Z = signAppQr({
  key: KEY,
  kid: 'k1',
  clientId: '3333333333.1764150000',
  issuedAt: T0 / 1000,
});
const CARD = '2900001234567';

function identitiesOf(result: ScanMatchResult<MatchableReceipt, Scan>, receiptId: string) {
  return result.receipts.find((r) => r.receipt.receiptId === receiptId)?.identities ?? [];
}

function valuesOf(result: ScanMatchResult<MatchableReceipt, Scan>, receiptId: string): string[] {
  return identitiesOf(result, receiptId).map((i) => `${i.kind}:${i.value}`);
}

function unmatchedOf(result: ScanMatchResult<MatchableReceipt, Scan>): string[] {
  return result.unmatched.map((u) =>
    [u.scan.id, u.reason, u.receiptId, u.detail].filter((x) => x !== undefined).join(' '),
  );
}

describe('matchScansToReceipts: one receipt', () => {
  it('binds a scan shortly before the cut, in the IdentityToken shape', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0)],
      scans: [scan('s1', GA_X, -30)],
    });
    expect(identitiesOf(result, 'r1')).toEqual([
      { kind: 'ga-client-id', value: '1111111111.1764150000', scannedAt: iso(-30) },
    ]);
    expect(result.receipts[0]?.scans.map((s) => s.id)).toEqual(['s1']);
    expect(result.unmatched).toEqual([]);
    for (const token of identitiesOf(result, 'r1')) IdentityTokenSchema.parse(token);
  });

  it('binds a scan just after the cut', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0)],
      scans: [scan('s1', CARD, 12)],
    });
    expect(valuesOf(result, 'r1')).toEqual(['loyalty-card:00001234567']);
  });

  it('leaves scans outside the window unmatched (the window edges are inside)', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0)],
      scans: [
        scan('early', GA_X, -120.001),
        scan('edge-before', GA_Y, -120),
        scan('edge-after', CARD, 20),
        scan('late', GA_X, 20.001),
      ],
    });
    expect(valuesOf(result, 'r1')).toEqual([
      'ga-client-id:2222222222.1764150000',
      'loyalty-card:00001234567',
    ]);
    expect(unmatchedOf(result)).toEqual([
      'early NO_RECEIPT_IN_WINDOW',
      'late NO_RECEIPT_IN_WINDOW',
    ]);
  });

  it('honours a configured window', () => {
    const result = matchScansToReceipts(
      { receipts: [receipt('r1', 0)], scans: [scan('s1', GA_X, -50), scan('s2', CARD, 5)] },
      { window: { beforeMs: 30_000, afterMs: 0 } },
    );
    expect(valuesOf(result, 'r1')).toEqual([]);
    expect(unmatchedOf(result)).toEqual(['s1 NO_RECEIPT_IN_WINDOW', 's2 NO_RECEIPT_IN_WINDOW']);
    expect(() =>
      matchScansToReceipts({ receipts: [], scans: [] }, { window: { afterMs: -1 } }),
    ).toThrow(TypeError);
  });
});

describe('matchScansToReceipts: several scans for one receipt', () => {
  it('the last scan before the cut wins; the other is SUPERSEDED', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0)],
      scans: [scan('first', GA_X, -60), scan('second', GA_Y, -10)],
    });
    expect(valuesOf(result, 'r1')).toEqual(['ga-client-id:2222222222.1764150000']);
    expect(unmatchedOf(result)).toEqual(['first SUPERSEDED r1']);
  });

  it('a verified app QR beats a plain GA client id, even an earlier one', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0)],
      scans: [scan('qr', QR_Z, -60), scan('ga', GA_Y, -10)],
    });
    expect(identitiesOf(result, 'r1')).toEqual([
      { kind: 'app-qr', value: '3333333333.1764150000', scannedAt: iso(-60) },
    ]);
    expect(unmatchedOf(result)).toEqual(['ga SUPERSEDED r1']);
  });

  it('the same code scanned twice is a DUPLICATE', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0)],
      scans: [scan('a', GA_X, -40), scan('b', GA_X, -20), scan('c', GA_X, 5)],
    });
    expect(identitiesOf(result, 'r1').map((i) => i.scannedAt)).toEqual([iso(-20)]);
    expect(unmatchedOf(result)).toEqual(['a DUPLICATE r1', 'c DUPLICATE r1']);
  });

  it('a client id and a loyalty card both bind, in scan order', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0)],
      scans: [scan('ga', GA_X, -5), scan('card', CARD, -50)],
    });
    expect(valuesOf(result, 'r1')).toEqual([
      'loyalty-card:00001234567',
      'ga-client-id:1111111111.1764150000',
    ]);
  });

  it('a scan before the cut beats one after it; among scans after the cut the first wins', () => {
    const beforeAndAfter = matchScansToReceipts({
      receipts: [receipt('r1', 0)],
      scans: [scan('before', GA_X, -10), scan('after', QR_Z, 5)],
    });
    expect(valuesOf(beforeAndAfter, 'r1')).toEqual(['ga-client-id:1111111111.1764150000']);
    expect(unmatchedOf(beforeAndAfter)).toEqual(['after SUPERSEDED r1']);

    const afterOnly = matchScansToReceipts({
      receipts: [receipt('r1', 0)],
      scans: [scan('a1', GA_X, 3), scan('a2', GA_Y, 8)],
    });
    expect(valuesOf(afterOnly, 'r1')).toEqual(['ga-client-id:1111111111.1764150000']);
    expect(unmatchedOf(afterOnly)).toEqual(['a2 SUPERSEDED r1']);
  });
});

describe('matchScansToReceipts: one scan near two receipts', () => {
  it('goes to the receipt just cut when that one has no identity of its kind', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0), receipt('r2', 60)],
      scans: [scan('late', GA_Y, 5)],
    });
    expect(valuesOf(result, 'r1')).toEqual(['ga-client-id:2222222222.1764150000']);
    expect(valuesOf(result, 'r2')).toEqual([]);
  });

  it('goes to the next receipt when the one just cut already has an identity of its kind', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0), receipt('r2', 60)],
      scans: [scan('x', GA_X, -20), scan('y', GA_Y, 5), scan('card', CARD, 6)],
    });
    expect(valuesOf(result, 'r1')).toEqual([
      'ga-client-id:1111111111.1764150000',
      'loyalty-card:00001234567',
    ]);
    expect(valuesOf(result, 'r2')).toEqual(['ga-client-id:2222222222.1764150000']);
    expect(result.unmatched).toEqual([]);
  });

  it('a repeat of the identity just bound stays with that receipt as a DUPLICATE', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0), receipt('r2', 60)],
      scans: [scan('x', GA_X, -20), scan('x-again', GA_X, 5)],
    });
    expect(valuesOf(result, 'r2')).toEqual([]);
    expect(unmatchedOf(result)).toEqual(['x-again DUPLICATE r1']);
  });

  it('a scan waiting for a next receipt that is too far away ends SUPERSEDED', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0), receipt('r2', 200)],
      scans: [scan('x', GA_X, -20), scan('y', GA_Y, 5)],
    });
    expect(valuesOf(result, 'r2')).toEqual([]);
    expect(unmatchedOf(result)).toEqual(['y SUPERSEDED r1']);
  });

  it('after the next cut, a scan belongs to that receipt, not the previous one', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0), receipt('r2', 10)],
      scans: [scan('s', GA_Y, 12)],
    });
    expect(valuesOf(result, 'r1')).toEqual([]);
    expect(valuesOf(result, 'r2')).toEqual(['ga-client-id:2222222222.1764150000']);
  });

  it('a scan never skips a receipt: before two cuts it belongs to the nearer one', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r2', 100), receipt('r1', 30)],
      scans: [scan('s', CARD, 0)],
    });
    expect(result.receipts.map((r) => r.receipt.receiptId)).toEqual(['r2', 'r1']); // input order
    expect(valuesOf(result, 'r1')).toEqual(['loyalty-card:00001234567']);
    expect(valuesOf(result, 'r2')).toEqual([]);
  });
});

describe('matchScansToReceipts: what is not an identity', () => {
  it('records invalid app QR codes with the reason, and ignores product codes and URLs', () => {
    const forged = `${QR_Z.slice(0, -4)}AAAA`;
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0)],
      scans: [
        scan('forged', forged, -5),
        scan('product', '4006381333931', -4),
        scan('url', 'https://example.com/p/1', -3),
      ],
    });
    expect(valuesOf(result, 'r1')).toEqual([]);
    expect(unmatchedOf(result)).toEqual(['forged INVALID_APP_QR BAD_SIGNATURE']);
    expect(result.ignored.map((s) => s.id)).toEqual(['product', 'url']);
  });

  it('only matches receipts of the same terminal', () => {
    const result = matchScansToReceipts({
      receipts: [receipt('r1', 0, 'till-1'), receipt('r9', 0, 'till-2')],
      scans: [scan('s', GA_X, -5, 'till-2'), scan('t', GA_Y, -5, 'till-3')],
    });
    expect(valuesOf(result, 'r1')).toEqual([]);
    expect(valuesOf(result, 'r9')).toEqual(['ga-client-id:1111111111.1764150000']);
    expect(unmatchedOf(result)).toEqual(['t NO_RECEIPT_IN_WINDOW']);
  });

  it('rejects times that are not ISO 8601', () => {
    expect(() =>
      matchScansToReceipts({
        receipts: [{ receiptId: 'r', terminalId: 't', completedAt: 'yesterday' }],
        scans: [],
      }),
    ).toThrow(TypeError);
  });
});

describe('matchScansToReceipts: properties', () => {
  const kinds: readonly string[] = [GA_X, GA_Y, QR_Z, CARD, '4006381333931', 'POSGA4:1:bad'];
  const classified = new Map<string, BarcodeClassification>(
    kinds.map((data) => [data, classifyBarcode(data, CLASSIFY)]),
  );

  it('puts every scan in exactly one place, each receipt gets at most one identity per role', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1200 }), { maxLength: 8 }),
        fc.array(
          fc.record({
            at: fc.integer({ min: -200, max: 1400 }),
            data: fc.constantFrom(...kinds),
            terminal: fc.constantFrom('till-1', 'till-2'),
          }),
          { maxLength: 25 },
        ),
        (cuts, scanSpecs) => {
          const receipts = cuts.map((c, i) =>
            receipt(`r${i}`, c, i % 3 === 0 ? 'till-2' : 'till-1'),
          );
          const scans: Scan[] = scanSpecs.map((s, i) => ({
            id: `s${i}`,
            terminalId: s.terminal,
            at: iso(s.at),
            classification: classified.get(s.data) ?? classifyBarcode(s.data),
          }));
          const result = matchScansToReceipts({ receipts, scans });
          const placed = [
            ...result.receipts.flatMap((r) => r.scans.map((s) => s.id)),
            ...result.unmatched.map((u) => u.scan.id),
            ...result.ignored.map((s) => s.id),
          ].sort();
          expect(placed).toEqual(scans.map((s) => s.id).sort());
          expect(result.receipts).toHaveLength(receipts.length);
          for (const match of result.receipts) {
            const clients = match.identities.filter((i) => i.kind !== 'loyalty-card');
            const cards = match.identities.filter((i) => i.kind === 'loyalty-card');
            expect(clients.length).toBeLessThanOrEqual(1);
            expect(cards.length).toBeLessThanOrEqual(1);
            for (const [i, s] of match.scans.entries()) {
              expect(s.terminalId).toBe(match.receipt.terminalId);
              const delta = Date.parse(s.at) - Date.parse(match.receipt.completedAt);
              expect(delta).toBeGreaterThanOrEqual(-120_000);
              expect(delta).toBeLessThanOrEqual(20_000);
              expect(IdentityTokenSchema.parse(match.identities[i])).toEqual(match.identities[i]);
            }
          }
        },
      ),
    );
  });
});
