import { describe, expect, it } from 'vitest';

import {
  findApplicationIdentifier,
  getApplicationIdentifier,
} from './gs1-application-identifiers.js';
import { GS, parseBracketedGs1, parseGs1ElementString } from './gs1-element-string.js';

const pairs = (result: ReturnType<typeof parseGs1ElementString>) =>
  result.ok ? result.elements.map((e) => [e.ai, e.value]) : result.error;

describe('GS1 element strings', () => {
  it('parses the raw form: fixed-length AIs need no GS, variable-length ones end at GS', () => {
    // BWIPP wiki example: (01)09521234543213(17)100101(10)123ABC(21)1234567890
    const raw = `01095212345432131710010110123ABC${GS}211234567890`;
    expect(pairs(parseGs1ElementString(raw))).toEqual([
      ['01', '09521234543213'],
      ['17', '100101'],
      ['10', '123ABC'],
      ['21', '1234567890'],
    ]);
  });

  it('parses the gs1-barcode-engine scan-data vector and a leading FNC1 GS', () => {
    expect(pairs(parseGs1ElementString(`011231231231233310ABC123${GS}99TESTING`))).toEqual([
      ['01', '12312312312333'],
      ['10', 'ABC123'],
      ['99', 'TESTING'],
    ]);
    expect(pairs(parseGs1ElementString(`${GS}0109521234543213${GS}3103000750`))).toEqual([
      ['01', '09521234543213'],
      ['3103', '000750'],
    ]);
  });

  it('parses 4-digit AIs such as (3103) net weight and (11)/(15) dates', () => {
    const result = parseGs1ElementString('0109521234543213310300075011250101152506301012');
    expect(pairs(result)).toEqual([
      ['01', '09521234543213'],
      ['3103', '000750'],
      ['11', '250101'],
      ['15', '250630'],
      ['10', '12'],
    ]);
    expect(result.ok && result.elements[1]?.title).toBe('NET WEIGHT (kg)');
  });

  it('parses the bracketed human-readable form', () => {
    const result = parseBracketedGs1('(01)09521234543213(17)100101(10)123ABC(21)1234567890');
    expect(pairs(result)).toEqual([
      ['01', '09521234543213'],
      ['17', '100101'],
      ['10', '123ABC'],
      ['21', '1234567890'],
    ]);
    expect(result.ok && result.problems).toEqual([]);
  });

  it('reports content problems without failing: wrong GTIN check digit, bad characters', () => {
    const result = parseBracketedGs1('(01)09521234543214(10)AB C');
    expect(result.ok && result.problems).toEqual([
      '(01) check digit is wrong',
      '(10) has characters outside set X',
    ]);
  });

  it.each([
    ['unknown AI', '0109521234543213' + '04' + '1', 'no known AI at position 16'],
    ['fixed value too short', '01095212345', '(01) needs 14 characters'],
    ['GS inside a fixed value', `010952123${GS}4543213`, '(01) needs 14 characters'],
    ['variable value too long', `10${'A'.repeat(21)}`, '(10) value has 21 characters, at most 20'],
    ['empty value', `10${GS}21X`, '(10) has no value'],
    ['empty input', '', 'no element'],
  ])('fails on %s', (_name, raw, error) => {
    expect(parseGs1ElementString(raw)).toEqual({ ok: false, error });
  });

  it('fails on bracketed text that does not start with a known AI', () => {
    expect(parseBracketedGs1('hello (01)09521234543213').ok).toBe(false);
    expect(parseBracketedGs1('(04)123').ok).toBe(false);
  });

  it('has a prefix-free AI table (a 2- or 3-digit AI never starts a longer one)', () => {
    const known = (length: number) =>
      Array.from({ length: 10 ** length }, (_, n) => String(n).padStart(length, '0')).filter(
        (ai) => getApplicationIdentifier(ai) !== undefined,
      );
    const longer = [...known(3), ...known(4)];
    expect(longer.length).toBeGreaterThan(200);
    const clashes = longer.filter((ai) =>
      [ai.slice(0, 2), ai.slice(0, 3)].some(
        (prefix) => prefix !== ai && getApplicationIdentifier(prefix) !== undefined,
      ),
    );
    expect(clashes).toEqual([]);
    expect(findApplicationIdentifier('x3103', 1)?.ai).toBe('3103');
    expect(getApplicationIdentifier('01')?.predefinedLength).toBe(true);
    expect(getApplicationIdentifier('10')?.predefinedLength).toBe(false);
  });
});
