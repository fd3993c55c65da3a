import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { assembleTransaction } from '../assemble/assemble-transaction.js';

import { kvRecordParser, parseKvRecord, parseKvText } from './kv-record-parser.js';

const SALE =
  'storeId=berlin-01 terminalId=till-1 receiptNumber=000101 kind=sale occurredAt=2026-11-26T09:12:41+01:00 currency=EUR pricesIncludeTax=true ' +
  'item1.sku=A-1001 item1.name="Stabilo Highlighter Yellow" item1.quantity=2 item1.unitPrice=189 item1.lineTotal=378 ' +
  'item2.sku=A-2040 item2.name="Notebook A5" item2.quantity=1 item2.unitPrice=699 item2.lineTotal=699 ' +
  'subtotal=1077 tax=172 total=1077 payment1.method=card payment1.amount=1077';

describe('key=value journal lines', () => {
  it('map to the same draft shape as JSON lines', () => {
    expect(parseKvText(SALE)).toEqual({
      ok: true,
      draft: {
        storeId: 'berlin-01',
        terminalId: 'till-1',
        receiptNumber: '000101',
        kind: 'sale',
        occurredAt: '2026-11-26T09:12:41+01:00',
        currency: 'EUR',
        pricesIncludeTax: true,
        lines: [
          {
            sku: 'A-1001',
            name: 'Stabilo Highlighter Yellow',
            quantity: 2,
            unitPrice: 189,
            lineTotal: 378,
          },
          { sku: 'A-2040', name: 'Notebook A5', quantity: 1, unitPrice: 699, lineTotal: 699 },
        ],
        subtotal: 1077,
        tax: 172,
        total: 1077,
        payments: [{ method: 'card', amount: 1077 }],
      },
    });
  });

  it('give a transaction the contract accepts', () => {
    const parsed = parseKvText(SALE);
    if (!parsed.ok) throw new Error(parsed.reason);
    const assembled = assembleTransaction(parsed.draft, { format: 'kv', captureRef: 'x@0+1' });
    expect(assembled.ok && assembled.transaction.transactionId).toBe(
      'berlin-01_till-1_20261126_000101',
    );
  });

  it('accept ; as separator, escapes in quotes, and order items by index', () => {
    const result = parseKvText(
      'kind=sale;item2.name="B \\"two\\"";  item1.name=A ; item10.name="C;D" ;',
    );
    expect(result).toEqual({
      ok: true,
      draft: { kind: 'sale', lines: [{ name: 'A' }, { name: 'B "two"' }, { name: 'C;D' }] },
    });
  });

  it('keep numbers, booleans and identities typed by field', () => {
    const result = parseKvText(
      'receiptNumber=42 total=12 pricesIncludeTax=false item1.quantity=0.255 identity1.kind=app-qr identity1.value=x coupon=10',
    );
    expect(result).toEqual({
      ok: true,
      draft: {
        receiptNumber: '42',
        total: 12,
        pricesIncludeTax: false,
        coupon: '10',
        lines: [{ quantity: 0.255 }],
        identities: [{ kind: 'app-qr', value: 'x' }],
      },
    });
  });

  it('carry custom attributes, category levels, line coupons and a basket discount', () => {
    const result = parseKvText(
      'discount=100 attributes.cashier_shift=late attributes.basket_size=3 attributes.zip="01234" ' +
        'item1.category2=Dairy item1.coupon=CHEESE10 item1.taxRate=7 item1.attributes.shelf=B-12 item1.attributes.weight_g=250.5',
    );
    expect(result).toEqual({
      ok: true,
      draft: {
        discount: 100,
        attributes: { cashier_shift: 'late', basket_size: 3, zip: '01234' },
        lines: [
          {
            category2: 'Dairy',
            coupon: 'CHEESE10',
            taxRate: 7,
            attributes: { shelf: 'B-12', weight_g: 250.5 },
          },
        ],
      },
    });
    const sale = parseKvText(
      SALE.replace(
        'subtotal=1077 tax=172 total=1077',
        'subtotal=1077 discount=77 tax=160 total=1000',
      )
        .replace('payment1.amount=1077', 'payment1.amount=1000')
        .concat(' attributes.cashier_shift=late item2.attributes.shelf=B-12'),
    );
    if (!sale.ok) throw new Error(sale.reason);
    const assembled = assembleTransaction(sale.draft, { format: 'kv', captureRef: 'x@0+1' });
    if (!assembled.ok) throw new Error(assembled.rejection.reason);
    expect(assembled.transaction).toMatchObject({
      discount: 77,
      attributes: { cashier_shift: 'late' },
      lines: [{ sku: 'A-1001' }, { sku: 'A-2040', attributes: { shelf: 'B-12' } }],
    });
  });

  it('leave wrong values as strings, so the contract names the field', () => {
    const parsed = parseKvText(SALE.replace(' total=1077', ' total=10.77.0'));
    if (!parsed.ok) throw new Error(parsed.reason);
    const assembled = assembleTransaction(parsed.draft, { format: 'kv', captureRef: 'x@0+1' });
    expect(assembled.ok ? 'accepted' : assembled.rejection.reason).toMatch(/^total: /);
  });

  it.each([
    ['kind=sale total', /expected key=value at column 11/],
    ['kind=sale =12', /expected key=value at column 11/],
    ['name="unclosed', /unterminated quote in the value of name/],
    ['name="a"b', /expected a space or ; after the quoted value of name/],
    ['name=a"b"', /a quote inside the bare value of name/],
    ['total=1 total=2', /duplicate key total/],
    ['item.sku=A', /item keys need an index from 1, e\.g\. item1\.sku/],
    ['item0.sku=A', /index from 1/],
    ['item01.sku=A', /index from 1/],
    ['lines=x item1.sku=A', /lines given both whole and indexed/],
    ['attributes=x attributes.a=1', /attributes given both whole and by name/],
    ['attributes.a=1 attributes=x', /attributes given both whole and by name/],
    ['item1.attributes=x item1.attributes.a=1', /attributes given both whole and by name/],
    ['item0.attributes.a=1', /index from 1, e\.g\. item1\.attributes\.a/],
    [' ; ;', /no key=value pairs/],
  ])('reject %j with KV_INVALID', (line, reason) => {
    const result = parseKvText(line);
    expect(result).toMatchObject({ ok: false, code: 'KV_INVALID' });
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('reject bytes that are not UTF-8 with ENCODING_INVALID', () => {
    expect(parseKvRecord(Uint8Array.from([0x6b, 0x3d, 0xff]))).toMatchObject({
      ok: false,
      code: 'ENCODING_INVALID',
    });
  });

  it('parse the fixture journal through the RecordParser port', () => {
    const lines = readFileSync(
      new URL('../../../../fixtures/profiles/kv/day.kv', import.meta.url),
      'utf8',
    )
      .split('\n')
      .filter((l) => l !== '');
    const kinds = lines.map((line) => {
      const parsed = kvRecordParser.parse({
        kind: 'record',
        raw: new TextEncoder().encode(line),
        byteOffset: 0,
      });
      if (!parsed.ok) return parsed.code;
      const assembled = assembleTransaction(parsed.draft, { format: 'kv', captureRef: 'day.kv' });
      return assembled.ok ? assembled.transaction.kind : assembled.rejection.code;
    });
    expect(kinds).toEqual(['sale', 'sale', 'refund']);
  });
});
