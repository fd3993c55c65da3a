/**
 * The profiles shipped in profiles/ against their receipts: the real ExampleMart receipt from
 * escpos-php (fixtures/escpos) and the crafted ones in fixtures/profiles (see its README), framed
 * by the ESC/POS framer with each profile's hints, parsed, and checked against the contract.
 */
import { readdirSync, readFileSync } from 'node:fs';

import type { Transaction } from '@pos-ga4/transaction';
import { describe, expect, it } from 'vitest';

import { assembleTransaction } from '../../assemble/assemble-transaction.js';
import { splitEscposReceipts } from '../../frame/escpos/index.js';
import type { Frame } from '../../frame/framer.js';
import { inputFormat } from '../../input-format.js';

import { loadReceiptProfile } from './load-profile.js';
import type { ReceiptProfile } from './profile-schema.js';

const ROOT = new URL('../../../../../', import.meta.url);
const profileOf = (name: string): ReceiptProfile =>
  loadReceiptProfile(new URL(`profiles/${name}.yaml`, ROOT).pathname);
const bytesOf = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(path, ROOT)));

type Outcome =
  | { ok: true; transaction: Transaction; warnings: readonly string[] }
  | { ok: false; code: string; reason: string };

function run(profile: ReceiptProfile, path: string): Outcome[] {
  const format = inputFormat({ format: 'escpos', profile });
  const framer = format.createFramer();
  const frames: Frame[] = [...framer.push(bytesOf(path), 0), ...framer.end()];
  return frames.map((frame) => {
    if (frame.kind === 'rejected') return { ok: false, code: frame.code, reason: frame.reason };
    const parsed = format.parser.parse(frame);
    if (!parsed.ok) return parsed;
    const assembled = assembleTransaction(parsed.draft, { format: 'escpos', captureRef: path });
    return assembled.ok
      ? { ok: true, transaction: assembled.transaction, warnings: parsed.warnings ?? [] }
      : { ok: false, code: assembled.rejection.code, reason: assembled.rejection.reason };
  });
}

function only(outcomes: Outcome[]): Transaction & { warnings: readonly string[] } {
  expect(outcomes).toHaveLength(1);
  const [outcome] = outcomes;
  if (outcome?.ok !== true) throw new Error(JSON.stringify(outcome));
  return { ...outcome.transaction, warnings: outcome.warnings };
}

describe('profiles/examplemart.yaml on receipt-with-logo.bin', () => {
  const t = only(run(profileOf('examplemart'), 'fixtures/escpos/escpos-php/receipt-with-logo.bin'));

  it('gives 4 items, subtotal 12.95, tax 1.30, total 14.25', () => {
    expect(t.lines.map((l) => [l.name, l.lineTotal])).toEqual([
      ['Example item #1', 400],
      ['Another thing', 350],
      ['Something else', 100],
      ['A final item', 445],
    ]);
    expect([t.subtotal, t.tax, t.total]).toEqual([1295, 130, 1425]);
    expect(t.pricesIncludeTax).toBe(false);
  });

  it("is dated 2015-04-06 14:56:25 local, with the profile zone's offset (New York, EDT)", () => {
    expect(t.occurredAt).toBe('2015-04-06T14:56:25-04:00');
  });

  it('takes store and terminal from the profile and derives a deterministic receipt number', () => {
    expect(t).toMatchObject({
      storeId: 'examplemart-42',
      terminalId: 'till-1',
      receiptNumber: '20150406-145625',
      transactionId: 'examplemart-42_till-1_20150406_20150406-145625',
      currency: 'USD',
      kind: 'sale',
    });
  });

  it('understands or explicitly ignores every line', () => {
    expect(t.warnings).toEqual([]);
  });
});

describe('profiles/frischmarkt-de.yaml (German supermarket, VAT included)', () => {
  const profile = profileOf('frischmarkt-de');

  it('parses the cash receipt: weighed item over two lines, discount on the item above, change', () => {
    const t = only(run(profile, 'fixtures/profiles/frischmarkt-de/bar.bin'));
    expect(t).toMatchObject({
      transactionId: 'markt-0815_kasse-2_20261126_4711',
      storeId: 'markt-0815',
      terminalId: 'kasse-2',
      receiptNumber: '4711',
      occurredAt: '2026-11-26T14:03:00+01:00',
      currency: 'EUR',
      pricesIncludeTax: true,
      subtotal: 1579,
      tax: 183,
      total: 1579,
      payments: [{ method: 'cash', amount: 1579 }],
      warnings: [],
    });
    expect(
      t.lines.map((l) => [l.name, l.quantity, l.unitPrice, l.unitDiscount, l.lineTotal]),
    ).toEqual([
      ['Vollmilch 3,5% 1l', 1, 119, 0, 119],
      ['Bergkäse', 0.255, 1899, 197, 434],
      ['Riesling Qualitätswein 0,75l', 1, 699, 0, 699],
      ['Laugenbrezel', 2, 89, 0, 178],
      ['Spülmittel Zitrone 500ml', 1, 149, 0, 149],
    ]);
  });

  it('parses the card receipt, with the card slip and the € (CP858) lines ignored', () => {
    const t = only(run(profile, 'fixtures/profiles/frischmarkt-de/karte.bin'));
    expect(t).toMatchObject({
      receiptNumber: '4712',
      total: 1579,
      payments: [{ method: 'card', amount: 1579 }],
      warnings: [],
    });
  });

  it('rejects the receipt whose SUMME does not match its lines with TOTALS_MISMATCH', () => {
    expect(run(profile, 'fixtures/profiles/frischmarkt-de/wrong-total.bin')).toEqual([
      expect.objectContaining({ ok: false, code: 'TOTALS_MISMATCH' }),
    ]);
  });

  it('splits a day capture into its receipts: two sales and one rejection', () => {
    const outcomes = run(profile, 'fixtures/profiles/frischmarkt-de/day.bin');
    expect(outcomes.map((o) => (o.ok ? o.transaction.receiptNumber : o.code))).toEqual([
      '4711',
      '4712',
      'TOTALS_MISMATCH',
    ]);
  });
});

describe('profiles/hudson-market-us.yaml (US store, sales tax added)', () => {
  const profile = profileOf('hudson-market-us');

  it('parses the sale: SKU column, "2 @ 4.79" under the item, tax added, card', () => {
    const t = only(run(profile, 'fixtures/profiles/hudson-market-us/sale.bin'));
    expect(t).toMatchObject({
      transactionId: 'hudson-0142_reg-03_20261126_5521',
      kind: 'sale',
      occurredAt: '2026-11-26T08:45:00-05:00',
      currency: 'USD',
      pricesIncludeTax: false,
      subtotal: 3385,
      tax: 198,
      total: 3583,
      payments: [{ method: 'card', amount: 3583 }],
      warnings: [],
    });
    expect(t.lines.map((l) => [l.sku, l.quantity, l.unitPrice, l.lineTotal])).toEqual([
      ['204518', 1, 899, 899],
      ['311207', 2, 479, 958],
      ['558112', 1, 1149, 1149],
      ['730045', 1, 379, 379],
    ]);
  });

  it('parses the refund (REFUND marker, negative amounts printed) as a refund with positive amounts', () => {
    const t = only(run(profile, 'fixtures/profiles/hudson-market-us/refund.bin'));
    expect(t).toMatchObject({
      kind: 'refund',
      receiptNumber: '5587',
      lines: [{ sku: '204518', unitPrice: 899, lineTotal: 899 }],
      subtotal: 899,
      tax: 80,
      total: 979,
      payments: [{ method: 'card', amount: 979 }],
      warnings: [],
    });
  });

  it('parses the voided receipt as a void', () => {
    const t = only(run(profile, 'fixtures/profiles/hudson-market-us/void.bin'));
    expect(t).toMatchObject({ kind: 'void', receiptNumber: '5522', total: 1149, warnings: [] });
  });
});

describe('crafted fixtures', () => {
  const dir = new URL('fixtures/profiles/', ROOT);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.txt'))
    .sort();

  it.each(files)('%s is what the framer decodes from the .bin next to it', (txt) => {
    const receipts = splitEscposReceipts(
      bytesOf(`fixtures/profiles/${txt.replace(/\.txt$/, '.bin')}`),
    );
    expect(receipts.map((r) => (r.kind === 'receipt' ? r.text : r.code))).toEqual([
      readFileSync(new URL(txt, dir), 'utf8'),
    ]);
  });
});

describe("a profile's escpos hints reach the framer", () => {
  it('star: true makes ESC d n a cut (Star line mode)', () => {
    const profile = { ...profileOf('examplemart'), escpos: { star: true } };
    const receipt = [0x1b, 0x40, ...new TextEncoder().encode('Hello\n'), 0x1b, 0x64, 0x02];
    const bytes = Uint8Array.from([...receipt, ...receipt]);
    const frames = (star: boolean): number => {
      const framer = inputFormat({
        format: 'escpos',
        profile: { ...profile, escpos: { star } },
      }).createFramer();
      return [...framer.push(bytes, 0), ...framer.end()].length;
    };
    expect(frames(true)).toBe(2);
    expect(frames(false)).toBe(1);
  });

  it('defaultCodePage applies when the stream sends no ESC t', () => {
    const profile = profileOf('examplemart');
    const bytes = Uint8Array.from([0xd5, 0x0a, 0x1d, 0x56, 0x41, 0x03]);
    const textWith = (defaultCodePage: number): string | undefined => {
      const format = inputFormat({
        format: 'escpos',
        profile: { ...profile, escpos: { defaultCodePage } },
      });
      const [frame] = format.createFramer().push(bytes, 0);
      return frame?.kind === 'record' ? frame.text : undefined;
    };
    expect(textWith(19)).toBe('€\n');
    expect(textWith(0)).toBe('╒\n');
  });
});
