import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { classifyBarcode } from '../../scan/index.js';
import type { BarcodeClassification } from '../../scan/index.js';
import { matchScansToReceipts } from './match-scans-to-receipts.js';
import type { MatchableReceipt, MatchableScan, ScanMatchResult } from './scan-match-types.js';
import { ScanReceiptMatcher } from './scan-receipt-matcher.js';

const T0 = Date.parse('2026-11-26T10:00:00Z');
const at = (seconds: number): number => T0 + seconds * 1000;
const iso = (seconds: number): string => new Date(at(seconds)).toISOString();

interface Scan extends MatchableScan {
  readonly id: string;
}

const GA_X = 'GA1.1.1111111111.1764150000';
const GA_Y = '2222222222.1764150000';

function receipt(receiptId: string, seconds: number): MatchableReceipt {
  return { receiptId, terminalId: 'till-1', completedAt: iso(seconds) };
}

function scan(id: string, data: string, seconds: number): Scan {
  return { id, terminalId: 'till-1', at: iso(seconds), classification: classifyBarcode(data) };
}

function summary(result: ScanMatchResult<MatchableReceipt, Scan>) {
  return {
    receipts: result.receipts.map(
      (r) => `${r.receipt.receiptId}:${r.identities.map((i) => i.value).join(',')}`,
    ),
    unmatched: result.unmatched.map((u) => `${u.scan.id} ${u.reason}`),
    ignored: result.ignored.map((s) => s.id),
  };
}

describe('ScanReceiptMatcher', () => {
  it('holds a receipt for the after-window, then releases it with late scans', () => {
    const matcher = new ScanReceiptMatcher<MatchableReceipt, Scan>();
    matcher.addScan(scan('card-not-yet', GA_X, -30));
    matcher.addReceipt(receipt('r1', 0));
    expect(matcher.nextDueAt()).toBe(at(20));
    expect(summary(matcher.release(at(19.999)))).toEqual({
      receipts: [],
      unmatched: [],
      ignored: [],
    });
    matcher.addScan(scan('product', '4006381333931', 10));
    expect(matcher.nextDueAt()).toBe(Number.NEGATIVE_INFINITY);
    expect(summary(matcher.release(at(10)))).toEqual({
      receipts: [],
      unmatched: [],
      ignored: ['product'],
    });
    expect(summary(matcher.release(at(20)))).toEqual({
      receipts: ['r1:1111111111.1764150000'],
      unmatched: [],
      ignored: [],
    });
    expect([matcher.heldReceipts, matcher.heldScans, matcher.nextDueAt()]).toEqual([
      0,
      0,
      undefined,
    ]);
  });

  it('releases a receipt without identities too', () => {
    const matcher = new ScanReceiptMatcher<MatchableReceipt, Scan>({ window: { afterMs: 5000 } });
    matcher.addReceipt(receipt('r1', 0));
    expect(summary(matcher.release(at(5))).receipts).toEqual(['r1:']);
  });

  it('records a scan nobody can take once no receipt can come for it any more', () => {
    const matcher = new ScanReceiptMatcher<MatchableReceipt, Scan>();
    matcher.addScan(scan('lonely', GA_X, 0));
    const due = at(140) + 1;
    expect(matcher.nextDueAt()).toBe(due);
    expect(summary(matcher.release(due - 1)).unmatched).toEqual([]);
    expect(summary(matcher.release(due)).unmatched).toEqual(['lonely NO_RECEIPT_IN_WINDOW']);
  });

  it('a scan that lost after one cut waits for the next receipt', () => {
    const matcher = new ScanReceiptMatcher<MatchableReceipt, Scan>();
    matcher.addScan(scan('x', GA_X, -10));
    matcher.addReceipt(receipt('r1', 0));
    matcher.addScan(scan('y', GA_Y, 5));
    expect(summary(matcher.release(at(20))).receipts).toEqual(['r1:1111111111.1764150000']);
    expect(matcher.heldScans).toBe(1);
    matcher.addReceipt(receipt('r2', 90));
    expect(summary(matcher.release(at(110))).receipts).toEqual(['r2:2222222222.1764150000']);
  });

  it('releaseAll decides everything held', () => {
    const matcher = new ScanReceiptMatcher<MatchableReceipt, Scan>();
    matcher.addScan(scan('x', GA_X, -10));
    matcher.addReceipt(receipt('r1', 0));
    matcher.addScan(scan('y', GA_Y, 5));
    matcher.addScan(scan('bad', 'POSGA4:1:k:1.2:3::AAAAAAAAAAAAAAAAAAAAAA', 6));
    expect(summary(matcher.releaseAll())).toEqual({
      receipts: ['r1:1111111111.1764150000'],
      unmatched: ['bad INVALID_APP_QR', 'y SUPERSEDED'],
      ignored: [],
    });
  });

  it('gives the same answer as matchScansToReceipts when fed in real time', () => {
    const pool: readonly string[] = [GA_X, GA_Y, '2900001234567', '4006381333931', 'POSGA4:1:x'];
    const classified = new Map<string, BarcodeClassification>(
      pool.map((data) => [
        data,
        classifyBarcode(data, { loyaltyPatterns: [{ name: 'card', pattern: '29\\d{11}' }] }),
      ]),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 600 }), { maxLength: 6 }),
        fc.array(
          fc.record({ at: fc.integer({ min: -150, max: 750 }), data: fc.constantFrom(...pool) }),
          { maxLength: 20 },
        ),
        (cuts, specs) => {
          const receipts = cuts.map((c, i) => receipt(`r${i}`, c));
          const scans: Scan[] = specs.map((s, i) => ({
            id: `s${i}`,
            terminalId: 'till-1',
            at: iso(s.at),
            classification: classified.get(s.data) ?? classifyBarcode(s.data),
          }));
          const pure = matchScansToReceipts({ receipts, scans });

          type Event = { time: number; order: number; add: () => void };
          const matcher = new ScanReceiptMatcher<MatchableReceipt, Scan>();
          const events: Event[] = [
            ...scans.map((s, i) => ({
              time: Date.parse(s.at),
              order: i,
              add: () => {
                matcher.addScan(s);
              },
            })),
            ...receipts.map((r, i) => ({
              time: Date.parse(r.completedAt),
              order: 1000 + i,
              add: () => {
                matcher.addReceipt(r);
              },
            })),
          ].sort((a, b) => a.time - b.time || a.order - b.order);
          const released: ScanMatchResult<MatchableReceipt, Scan>[] = [];
          for (const event of events) {
            event.add();
            released.push(matcher.release(event.time));
          }
          released.push(matcher.releaseAll());

          const byReceipt = (r: ScanMatchResult<MatchableReceipt, Scan>['receipts']) =>
            Object.fromEntries(r.map((m) => [m.receipt.receiptId, m.scans.map((s) => s.id)]));
          const byScan = (u: ScanMatchResult<MatchableReceipt, Scan>['unmatched']) =>
            Object.fromEntries(u.map((x) => [x.scan.id, `${x.reason} ${x.receiptId ?? ''}`]));
          expect(byReceipt(released.flatMap((r) => r.receipts))).toEqual(byReceipt(pure.receipts));
          expect(byScan(released.flatMap((r) => r.unmatched))).toEqual(byScan(pure.unmatched));
          expect(released.flatMap((r) => r.ignored.map((s) => s.id)).sort()).toEqual(
            pure.ignored.map((s) => s.id).sort(),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
