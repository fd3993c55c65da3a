import { describe, expect, it } from 'vitest';

import { parseAmount, parseQuantity } from './money-text.js';

const DOT = { decimal: '.', thousands: ',', minorUnits: 2 } as const;
const COMMA = { decimal: ',', thousands: '.', minorUnits: 2 } as const;

describe('parseAmount', () => {
  it.each([
    ['14.25', DOT, 1425],
    ['1,234.56', DOT, 123456],
    ['0.10', DOT, 10],
    ['7', DOT, 700],
    ['7.5', DOT, 750],
    ['-8.99', DOT, -899],
    ['1,19', COMMA, 119],
    ['1.234,56', COMMA, 123456],
    ['-0,50', COMMA, -50],
    ['0,50-', COMMA, -50],
    ['\u22122,00', COMMA, -200],
    ['0.1', DOT, 10],
    ['12.950', DOT, 1295],
  ])('%s → %i minor units', (text, format, expected) => {
    expect(parseAmount(text, format)).toEqual({ ok: true, value: expected });
  });

  it('uses the currency minor units (JPY 0, KWD 3)', () => {
    expect(parseAmount('1,200', { decimal: '.', thousands: ',', minorUnits: 0 })).toEqual({
      ok: true,
      value: 1200,
    });
    expect(parseAmount('1.234', { decimal: '.', thousands: '', minorUnits: 3 })).toEqual({
      ok: true,
      value: 1234,
    });
  });

  it('is exact where floating point is not (0.29 * 100 = 28.999…)', () => {
    expect(parseAmount('0.29', DOT)).toEqual({ ok: true, value: 29 });
    expect(parseAmount('1,005.57', DOT)).toEqual({ ok: true, value: 100557 });
  });

  it.each([
    ['14,25', DOT],
    ['1.2.3', DOT],
    ['12.345', DOT],
    ['$14.25', DOT],
    ['1.19', COMMA],
    ['12,34', DOT],
    ['', DOT],
    ['9999999999999999', DOT],
  ])('rejects %j', (text, format) => {
    expect(parseAmount(text, format).ok).toBe(false);
  });
});

describe('parseQuantity', () => {
  it.each([
    ['2', '.', 2000],
    ['0,255', ',', 255],
    ['1.5', '.', 1500],
    ['12', ',', 12000],
  ] as const)('%s → %i thousandths', (text, decimal, expected) => {
    expect(parseQuantity(text, decimal)).toEqual({ ok: true, value: expected });
  });

  it.each([['0.2555'], ['1,5'], ['x'], ['-1']])('rejects %j', (text) => {
    expect(parseQuantity(text, '.').ok).toBe(false);
  });
});
