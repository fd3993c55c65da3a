import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { mapTransaction, validateRequest } from './index.js';
import type { MappableTransaction, MappingOptions } from './index.js';

const dir = new URL('../../../fixtures/ga4/mapping/', import.meta.url);
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.input.json'))
  .map((f) => f.replace('.input.json', ''));

interface GoldenInput {
  options: Omit<MappingOptions, 'now'> & { now: string };
  transaction: MappableTransaction;
}

function load(name: string): GoldenInput {
  return JSON.parse(readFileSync(new URL(`${name}.input.json`, dir), 'utf8')) as GoldenInput;
}

describe('golden mappings (fixtures/ga4/mapping)', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(7);
  });

  it.each(cases)('%s maps to the committed event, which the validator accepts', (name) => {
    const input = load(name);
    const result = mapTransaction(input.transaction, {
      ...input.options,
      now: Date.parse(input.options.now),
    });
    if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
    const expectedFile = new URL(`${name}.mp.json`, dir);
    // Goldens are reviewed by hand; UPDATE_GOLDEN=1 rewrites them after a deliberate change.
    if (process.env['UPDATE_GOLDEN'] === '1')
      writeFileSync(expectedFile, `${JSON.stringify(result.event, null, 2)}\n`);
    const expected: unknown = JSON.parse(readFileSync(expectedFile, 'utf8'));
    expect(result.event).toEqual(expected);
    expect(validateRequest({ client_id: '1.2', events: [result.event] })).toEqual([]);
  });
});

const base: MappableTransaction = {
  transactionId: 's_t_20261126_1',
  storeId: 's',
  kind: 'sale',
  occurredAt: '2026-11-26T10:00:00Z',
  currency: 'EUR',
  pricesIncludeTax: false,
  lines: [{ sku: 'A', name: 'A', quantity: 3, unitPrice: 1999, unitDiscount: 0, lineTotal: 5997 }],
  subtotal: 5997,
  tax: 0,
  shipping: 0,
};
const now = Date.parse('2026-11-26T12:00:00Z');

describe('mapping rules', () => {
  it('turns minor units into exact decimals (no float drift)', () => {
    const result = mapTransaction(
      {
        ...base,
        subtotal: 5997,
        tax: 1,
        lines: [{ ...base.lines[0], unitPrice: 1999, lineTotal: 5997 } as never],
      },
      { now, currencyExponent: 2 },
    );
    expect(result.ok && result.event.params['value']).toBe(59.97);
    expect(result.ok && JSON.stringify(result.event.params['tax'])).toBe('0.01');
  });

  it('takes the included tax out of value on VAT-inclusive receipts, unless told to keep it', () => {
    const vat = { ...base, pricesIncludeTax: true, tax: 957 };
    const net = mapTransaction(vat, { now, currencyExponent: 2 });
    const gross = mapTransaction(vat, { now, currencyExponent: 2, valueIncludesTax: true });
    expect(net.ok && net.event.params['value']).toBe(50.4);
    expect(gross.ok && gross.event.params['value']).toBe(59.97);
  });

  it('adds tax to value for tax-exclusive receipts only when told', () => {
    const result = mapTransaction(
      { ...base, tax: 480 },
      { now, currencyExponent: 2, valueIncludesTax: true },
    );
    expect(result.ok && result.event.params['value']).toBe(64.77);
  });

  it('dead-letters events older than the window, or re-dates and flags them', () => {
    const old = { ...base, occurredAt: '2026-11-23T10:00:00Z' }; // 74 h before now
    expect(mapTransaction(old, { now, currencyExponent: 2 })).toMatchObject({
      ok: false,
      code: 'TOO_OLD',
    });
    const redated = mapTransaction(old, { now, currencyExponent: 2, tooOld: 'redate' });
    expect(redated).toMatchObject({ ok: true, flags: ['REDATED'] });
    expect(redated.ok && redated.event.timestamp_micros).toBe(now * 1000);
    expect(redated.ok && redated.event.params['pos_occurred_at']).toBe('2026-11-23T10:00:00Z');
  });

  it('honours a shorter window and caps it at 72 h', () => {
    const fiftyHours = { ...base, occurredAt: '2026-11-24T10:00:00Z' };
    expect(mapTransaction(fiftyHours, { now, currencyExponent: 2, maxAgeHours: 48 })).toMatchObject(
      { code: 'TOO_OLD' },
    );
    const seventyThree = { ...base, occurredAt: '2026-11-23T11:00:00Z' };
    expect(
      mapTransaction(seventyThree, { now, currencyExponent: 2, maxAgeHours: 500 }),
    ).toMatchObject({ code: 'TOO_OLD' });
  });

  it('rejects events more than 15 minutes in the future as clock skew', () => {
    expect(
      mapTransaction({ ...base, occurredAt: '2026-11-26T12:16:00Z' }, { now, currencyExponent: 2 }),
    ).toMatchObject({ code: 'CLOCK_SKEW' });
    expect(
      mapTransaction({ ...base, occurredAt: '2026-11-26T12:14:00Z' }, { now, currencyExponent: 2 })
        .ok,
    ).toBe(true);
  });

  it('puts timestamp_micros in microseconds on the event', () => {
    const result = mapTransaction(base, { now, currencyExponent: 2 });
    expect(result.ok && result.event.timestamp_micros).toBe(Date.parse(base.occurredAt) * 1000);
    expect(result.ok && String(result.event.timestamp_micros).length).toBe(16);
  });

  it('sends nothing for a void', () => {
    expect(mapTransaction({ ...base, kind: 'void' }, { now, currencyExponent: 2 })).toMatchObject({
      ok: false,
      code: 'VOID_NOT_SENT',
    });
  });

  it('never emits an empty transaction_id', () => {
    const result = mapTransaction(base, { now, currencyExponent: 2 });
    expect(result.ok && result.event.params['transaction_id']).toBe('s_t_20261126_1');
  });
});
