import { describe, expect, it } from 'vitest';

import { assembleTransaction } from '../../assemble/assemble-transaction.js';
import type { RecordFrame } from '../../frame/framer.js';
import type { RecordParseResult } from '../record-parser.js';

import { parseReceiptProfile } from './load-profile.js';
import { profileRecordParser } from './profile-record-parser.js';
import type { ReceiptProfileInput } from './profile-schema.js';

const AMOUNT = '-?\\d{1,3}(?:\\.\\d{3})*,\\d{2}-?';

const SHOP: ReceiptProfileInput = {
  name: 'shop',
  money: { currency: 'EUR', decimal: ',', thousands: '.' },
  dates: { formats: ['DD.MM.YYYY HH:mm'], timeZone: 'Europe/Berlin' },
  taxMode: 'included',
  store: { id: 'shop-1' },
  terminal: { prefix: 'pos-' },
  itemIdFallback: 'name',
  patterns: {
    ignore: ['^SHOP$', '^-+$'],
    refund: '^RETOURE$',
    void: '^STORNO$',
    fields: [
      '^(?<date>\\d{2}\\.\\d{2}\\.\\d{4}) (?<time>\\d{2}:\\d{2})$',
      '^Bon (?<receipt>\\d+) Kasse (?<terminal>\\d+)$',
    ],
    total: `^SUMME (?<currency>[A-Z]{3}) +(?<amount>${AMOUNT})$`,
    tax: `^MwSt \\d+% +(?<amount>${AMOUNT})$`,
    rounding: `^Rundung +(?<amount>${AMOUNT})$`,
    payments: [
      { method: 'cash', pattern: `^Bar +(?<amount>${AMOUNT})$` },
      { method: 'card', pattern: `^Karte +(?<amount>${AMOUNT})$` },
    ],
    change: `^Zurück +(?<amount>${AMOUNT})$`,
    discount: `^Rabatt +(?<amount>${AMOUNT})$`,
    items: [
      `^(?<sku>\\d{4}) (?<name>.+?) +(?<total>${AMOUNT})$`,
      `^(?<name>\\S.*?) +(?<total>${AMOUNT})$`,
      [
        '^(?<name>\\S.*\\S)$',
        `^ +(?<quantity>\\d+(?:,\\d{1,3})?) x (?<unitPrice>${AMOUNT}) +(?<total>${AMOUNT})$`,
      ],
    ],
    codes: [{ kind: 'app-qr', on: 'qr', pattern: '^SHOPAPP:(?<value>.+)$' }],
  },
};

const HEAD = ['SHOP', 'Bon 17 Kasse 3', '26.11.2026 14:03'];
const BODY = [
  '1001 Kaffee 500g        5,99',
  'Äpfel',
  '  0,750 x 2,99          2,24',
  'Brötchen',
  '  3 x 0,40              1,20',
  'Rabatt                 -0,20',
  '----------------------------',
  'SUMME EUR               9,23',
  'MwSt 7%                 0,60',
  'Bar                    10,00',
  'Zurück                  0,77',
];

function parse(
  lines: readonly string[],
  options: { profile?: Partial<ReceiptProfileInput>; frame?: Partial<RecordFrame> } = {},
): RecordParseResult {
  const parser = profileRecordParser(parseReceiptProfile({ ...SHOP, ...options.profile }));
  const text = `${lines.join('\n')}\n`;
  return parser.parse({
    kind: 'record',
    raw: new TextEncoder().encode(text),
    byteOffset: 0,
    text,
    ...options.frame,
  });
}

function draftOf(result: RecordParseResult): Record<string, unknown> {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.draft;
}

function assemble(result: RecordParseResult) {
  return assembleTransaction(draftOf(result), { format: 'escpos', captureRef: 'test@0+1' });
}

describe('receipt profile parser', () => {
  it('captures custom GA4 parameters as (?<attr_NAME>…): fields for the event, item lines for their items', () => {
    const result = parse([...HEAD, 'Zone: Nord', ...BODY], {
      profile: {
        patterns: {
          ...SHOP.patterns,
          fields: [...(SHOP.patterns.fields as string[]), '^Zone: (?<attr_store_zone>\\w+)$'],
          items: [
            `^(?<sku>\\d{4}) (?<name>.+?) (?<attr_pack>\\d+g) +(?<total>${AMOUNT})$`,
            ...(SHOP.patterns.items as unknown[]).slice(1),
          ],
        } as ReceiptProfileInput['patterns'],
      },
    });
    const assembled = assemble(result);
    if (!assembled.ok) throw new Error(assembled.rejection.reason);
    expect(assembled.transaction.attributes).toEqual({ store_zone: 'Nord' });
    expect(assembled.transaction.lines[0]).toMatchObject({
      sku: '1001',
      name: 'Kaffee',
      attributes: { pack: '500g' },
    });
    expect(assembled.transaction.lines[1]).not.toHaveProperty('attributes');
  });

  it('turns a decimal-comma receipt into a draft the contract accepts', () => {
    const result = parse([...HEAD, ...BODY]);
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.warnings).toBeFalsy();
    const assembled = assemble(result);
    if (!assembled.ok) throw new Error(assembled.rejection.reason);
    expect(assembled.transaction).toMatchObject({
      transactionId: 'shop-1_pos-3_20261126_17',
      storeId: 'shop-1',
      terminalId: 'pos-3',
      receiptNumber: '17',
      kind: 'sale',
      occurredAt: '2026-11-26T14:03:00+01:00',
      currency: 'EUR',
      pricesIncludeTax: true,
      subtotal: 923,
      tax: 60,
      total: 923,
      payments: [{ method: 'cash', amount: 923 }],
    });
  });

  it('reads items over two lines, weighed quantities, and SKUs or names as ids', () => {
    const lines = draftOf(parse([...HEAD, ...BODY]))['lines'];
    expect(lines).toEqual([
      {
        sku: '1001',
        name: 'Kaffee 500g',
        quantity: 1,
        unitPrice: 599,
        unitDiscount: 0,
        lineTotal: 599,
      },
      {
        sku: 'Äpfel',
        name: 'Äpfel',
        quantity: 0.75,
        unitPrice: 299,
        unitDiscount: 0,
        lineTotal: 224,
      },
      // 3 x 0,40 with 0,20 off: 20 is not divisible by 3, so 1 unit 0,06 off and 2 units 0,07 off
      {
        sku: 'Brötchen',
        name: 'Brötchen',
        quantity: 1,
        unitPrice: 40,
        unitDiscount: 6,
        lineTotal: 34,
      },
      {
        sku: 'Brötchen',
        name: 'Brötchen',
        quantity: 2,
        unitPrice: 40,
        unitDiscount: 7,
        lineTotal: 66,
      },
    ]);
  });

  it('turns a divisible discount into a per-unit discount', () => {
    const body = BODY.map((l) =>
      l.startsWith('Rabatt') ? 'Rabatt 0,30-' : l.startsWith('SUMME') ? 'SUMME EUR 9,13' : l,
    ).filter((l) => !l.startsWith('Bar') && !l.startsWith('Zurück'));
    const assembled = assemble(parse([...HEAD, ...body]));
    if (!assembled.ok) throw new Error(assembled.rejection.reason);
    expect(assembled.transaction.lines[2]).toMatchObject({
      quantity: 3,
      unitDiscount: 10,
      lineTotal: 90,
    });
  });

  it('spreads a discount on a weighed item over its unit price, keeping the line invariant', () => {
    const lines = [...HEAD, 'Käse', '  0,255 x 18,99 4,84', 'Rabatt -0,50', 'SUMME EUR 4,34'];
    const assembled = assemble(parse(lines));
    if (!assembled.ok) throw new Error(assembled.rejection.reason);
    expect(assembled.transaction.lines).toEqual([
      {
        sku: 'Käse',
        name: 'Käse',
        quantity: 0.255,
        unitPrice: 1899,
        unitDiscount: 197,
        lineTotal: 434,
      },
    ]);
  });

  it('reads grouped thousands with a decimal comma', () => {
    const lines = [...HEAD, '2001 Fernseher 1.299,00', 'SUMME EUR 1.299,00'];
    expect(draftOf(parse(lines))).toMatchObject({ subtotal: 129900, total: 129900 });
  });

  it('computes the subtotal from the lines when none is printed, but keeps the printed total', () => {
    const lines = [...HEAD, '1001 Kaffee 5,99', '1002 Tee 2,49', 'SUMME EUR 9,48'];
    const result = parse(lines);
    expect(draftOf(result)).toMatchObject({ subtotal: 848, total: 948 });
    const assembled = assemble(result);
    expect(assembled.ok ? 'accepted' : assembled.rejection.code).toBe('TOTALS_MISMATCH');
  });

  it('keeps cash rounding lines', () => {
    const lines = [...HEAD, '1001 Kaffee 5,99', 'Rundung 0,01', 'SUMME EUR 6,00'];
    const assembled = assemble(parse(lines));
    expect(assembled.ok && assembled.transaction).toMatchObject({ rounding: 1, total: 600 });
  });

  it('makes a refund from the refund marker, with the printed negative amounts turned positive', () => {
    const lines = [
      ...HEAD,
      'RETOURE',
      '1001 Kaffee 500g -5,99',
      'SUMME EUR -5,99',
      'MwSt 7% -0,39',
      'Karte -5,99',
    ];
    const assembled = assemble(parse(lines));
    if (!assembled.ok) throw new Error(assembled.rejection.reason);
    expect(assembled.transaction).toMatchObject({
      kind: 'refund',
      lines: [{ sku: '1001', unitPrice: 599, lineTotal: 599 }],
      subtotal: 599,
      tax: 39,
      total: 599,
      payments: [{ method: 'card', amount: 599 }],
    });
  });

  it('makes a void from the void marker', () => {
    const lines = [...HEAD, '1001 Kaffee 5,99', 'SUMME EUR 5,99', 'STORNO'];
    expect(draftOf(parse(lines))['kind']).toBe('void');
  });

  it('rejects a receipt with both markers as PROFILE_AMBIGUOUS', () => {
    const result = parse([...HEAD, 'RETOURE', '1001 Kaffee 5,99', 'SUMME EUR 5,99', 'STORNO']);
    expect(result).toMatchObject({ ok: false, code: 'PROFILE_AMBIGUOUS' });
  });

  it('reports every line it does not understand, and not the ignored or blank ones', () => {
    const lines = [...HEAD, '', 'Kundennummer 4711', ...BODY, 'Danke!'];
    const result = parse(lines);
    expect(result.ok && result.warnings).toEqual([
      'line 5 not understood by profile "shop": "Kundennummer 4711"',
      'line 17 not understood by profile "shop": "Danke!"',
    ]);
  });

  it('rejects unknown lines with PROFILE_UNKNOWN_LINE when the profile says so', () => {
    const result = parse([...HEAD, 'Kundennummer 4711', ...BODY, 'Danke!'], {
      profile: { unknownLines: 'reject' },
    });
    expect(result).toMatchObject({
      ok: false,
      code: 'PROFILE_UNKNOWN_LINE',
      reason: 'line 4 not understood by profile "shop": "Kundennummer 4711" (and 1 more)',
      issues: [
        { path: 'line 4', code: 'PROFILE_UNKNOWN_LINE' },
        { path: 'line 16', code: 'PROFILE_UNKNOWN_LINE' },
      ],
    });
  });

  it('rejects a receipt without a total line with PROFILE_NO_TOTAL, naming the pattern', () => {
    const result = parse([...HEAD, '1001 Kaffee 5,99', 'GESAMT 5,99 EUR']);
    expect(result).toMatchObject({ ok: false, code: 'PROFILE_NO_TOTAL' });
    expect(!result.ok && result.reason).toMatch(
      /^no line matched patterns\.total \(\/\^SUMME .*\/\); 1 line\(s\) not understood, first: line 5 "GESAMT 5,99 EUR"$/,
    );
  });

  it('rejects a receipt without a date with PROFILE_NO_DATE, and an impossible date as PROFILE_LINE_INVALID', () => {
    expect(parse(['Bon 17 Kasse 3', '1001 Kaffee 5,99', 'SUMME EUR 5,99'])).toMatchObject({
      ok: false,
      code: 'PROFILE_NO_DATE',
    });
    const result = parse([
      'Bon 17 Kasse 3',
      '31.02.2026 14:03',
      '1001 Kaffee 5,99',
      'SUMME EUR 5,99',
    ]);
    expect(result).toMatchObject({ ok: false, code: 'PROFILE_LINE_INVALID' });
    expect(!result.ok && result.reason).toContain(
      '"31.02.2026 14:03" matches none of dates.formats',
    );
  });

  it('needs a receipt number, or derives one from the local date-time when told to', () => {
    const lines = ['26.11.2026 14:03', '1001 Kaffee 5,99', 'SUMME EUR 5,99'];
    expect(parse(lines)).toMatchObject({ ok: false, code: 'PROFILE_NO_RECEIPT_NUMBER' });
    const derived = parse(lines, { profile: { receiptNumber: { fallback: 'datetime' } } });
    expect(draftOf(derived)).toMatchObject({ receiptNumber: '20261126-140300', storeId: 'shop-1' });
    expect(draftOf(derived)).not.toHaveProperty('terminalId');
  });

  it('accepts a value printed twice alike, and rejects two that differ with PROFILE_AMBIGUOUS', () => {
    const twice = [...HEAD, '1001 Kaffee 5,99', 'SUMME EUR 5,99', 'SUMME EUR 5,99'];
    expect(parse(twice)).toMatchObject({ ok: true });
    const result = parse([...HEAD, '1001 Kaffee 5,99', 'SUMME EUR 5,99', 'SUMME EUR 6,99']);
    expect(result).toMatchObject({ ok: false, code: 'PROFILE_AMBIGUOUS' });
    expect(!result.ok && result.reason).toBe(
      'total: line 5 "SUMME EUR 5,99" (patterns.total) says 599, line 6 "SUMME EUR 6,99" (patterns.total) says 699',
    );
  });

  it('rejects unusable captures with PROFILE_LINE_INVALID, naming line and pattern', () => {
    const cases: [string[], RegExp][] = [
      [
        [...HEAD, 'Rabatt -0,50', '1001 Kaffee 5,99', 'SUMME EUR 5,49'],
        /^line 4 "Rabatt -0,50" \(patterns\.discount\): a discount line with no item above it/,
      ],
      [
        [...HEAD, '1001 Kaffee 5,99', 'SUMME USD 5,99'],
        /^line 5 "SUMME USD 5,99" \(patterns\.total\): says USD, the profile's currency is EUR/,
      ],
      [
        [...HEAD, '1001 Kaffee 5,99', 'Rabatt -6,00', 'SUMME EUR 0,00'],
        /discount 600 exceeds the line total 599/,
      ],
    ];
    for (const [lines, reason] of cases) {
      const result = parse(lines);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toMatch(reason);
    }
  });

  it('rejects an amount the number format cannot read with PROFILE_LINE_INVALID', () => {
    const result = parse([...HEAD, '1001 Kaffee 5,99', 'SUMME 5.99'], {
      profile: { patterns: { ...SHOP.patterns, total: '^SUMME (?<amount>\\S+)$' } },
    });
    expect(result).toMatchObject({
      ok: false,
      code: 'PROFILE_LINE_INVALID',
      reason:
        'line 5 "SUMME 5.99" (patterns.total): amount: "5.99" is not an amount (decimal ",", thousands ".")',
    });
  });

  it('carries printed totals as printed, so the contract rejects a receipt that does not add up', () => {
    const lines = [...HEAD, '1001 Kaffee 5,99', '1002 Tee 2,49', 'SUMME EUR 9,48'];
    const assembled = assemble(parse(lines));
    expect(assembled.ok ? 'accepted' : assembled.rejection.code).toBe('TOTALS_MISMATCH');
  });

  it('offers QR payloads to the codes patterns as identities', () => {
    const result = parse([...HEAD, ...BODY], {
      frame: {
        codes: [
          { kind: 'qr', data: 'SHOPAPP:abc123' },
          { kind: 'barcode', data: 'SHOPAPP:ignored-not-a-qr' },
          { kind: 'qr', data: 'https://example.com' },
        ],
      },
    });
    expect(draftOf(result)['identities']).toEqual([{ kind: 'app-qr', value: 'abc123' }]);
  });

  it("passes the framer's warnings on, and reads frames without text as UTF-8", () => {
    const text = `${[...HEAD, ...BODY].join('\n')}\n`;
    const parser = profileRecordParser(parseReceiptProfile(SHOP));
    const result = parser.parse({
      kind: 'record',
      raw: new TextEncoder().encode(text),
      byteOffset: 0,
      warnings: ['unknown command ESC 0x99'],
    });
    expect(result).toMatchObject({ ok: true, warnings: ['escpos: unknown command ESC 0x99'] });
  });

  it('matches case-insensitively with ignoreCase', () => {
    const lines = [...HEAD, '1001 Kaffee 5,99', 'summe EUR 5,99'];
    expect(parse(lines)).toMatchObject({ ok: false, code: 'PROFILE_NO_TOTAL' });
    expect(parse(lines, { profile: { ignoreCase: true } })).toMatchObject({ ok: true });
  });

  it('is deterministic: the same receipt gives the same transaction id', () => {
    const first = assemble(parse([...HEAD, ...BODY]));
    const second = assemble(parse([...HEAD, ...BODY]));
    expect(first.ok && second.ok && first.transaction.transactionId).toBe(
      second.ok && second.transaction.transactionId,
    );
  });
});
