import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadReceiptProfile, parseReceiptProfile, ProfileError } from './load-profile.js';

const VALID = {
  name: 'test',
  money: { currency: 'EUR', decimal: ',' },
  dates: { formats: ['DD.MM.YYYY HH:mm'], timeZone: 'Europe/Berlin' },
  taxMode: 'included',
  patterns: {
    fields: '^(?<datetime>\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}) Bon (?<receipt>\\d+)$',
    total: '^SUMME\\s+(?<amount>\\S+)$',
    items: ['^(?<name>.+?)\\s+(?<total>\\d+,\\d{2})$'],
  },
};

/** VALID with `patch` merged one level into the top and into `patterns`. */
function variant(patch: Record<string, unknown>, patterns: Record<string, unknown> = {}) {
  return { ...VALID, ...patch, patterns: { ...VALID.patterns, ...patterns } };
}

function issuesOf(value: unknown): string[] {
  try {
    parseReceiptProfile(value);
  } catch (error) {
    if (error instanceof ProfileError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('receipt profile validation', () => {
  it('accepts (?<attr_NAME>…) in fields and item lines only, with names GA4 and the contract allow', () => {
    expect(
      issuesOf(variant({}, { fields: [VALID.patterns.fields, '^Lane (?<attr_lane>\\w+)$'] })),
    ).toEqual([]);
    const reserved = issuesOf(
      variant({}, { fields: [VALID.patterns.fields, '^Lane (?<attr_value>\\w+)$'] }),
    );
    expect(reserved.join('\n')).toMatch(
      /\(\?<attr_value>…\): "value" is an event parameter pos-ga4 sets itself/,
    );
    const prefixed = issuesOf(
      variant({}, { fields: [VALID.patterns.fields, '^Lane (?<attr_ga_x>\\w+)$'] }),
    );
    expect(prefixed.join('\n')).toMatch(/"ga_x" starts with ga_, a prefix GA4 reserves/);
    const onTotal = issuesOf(variant({}, { total: '^SUMME (?<amount>\\S+) (?<attr_x>\\w+)$' }));
    expect(onTotal.join('\n')).toMatch(/unknown group \(\?<attr_x>…\)/);
  });

  it('accepts a minimal profile and applies defaults', () => {
    const profile = parseReceiptProfile(VALID);
    expect(profile).toMatchObject({
      money: { currency: 'EUR', decimal: ',', thousands: '' },
      dates: { locale: 'en-US' },
      unknownLines: 'warn',
      itemIdFallback: 'none',
      receiptNumber: { fallback: 'none' },
      escpos: {},
    });
  });

  it.each([
    [variant({}, { total: '^SUMME (\\d+' }), /^patterns\.total: pattern does not compile/],
    [
      variant({}, { total: '^SUMME (?<sum>\\S+)$' }),
      /^patterns\.total: unknown group \(\?<sum>…\)/,
    ],
    [
      variant({}, { total: ['^SUMME (?<sum>\\S+)$'] }),
      /^patterns\.total\.0: needs a named group \(\?<amount>…\)/,
    ],
    [
      variant({}, { total: 12 }),
      /^patterns\.total: expected a pattern \(string\) or a list of patterns/,
    ],
    [variant({}, { total: undefined }), /^patterns\.total: /],
    [
      variant({}, { items: ['^(?<title>.+) (?<total>\\S+)$'] }),
      /^patterns\.items\.0: unknown group \(\?<title>…\)/,
    ],
    [
      variant({}, { items: ['^(?<name>.+)$'] }),
      /^patterns\.items\.0: an item layout needs \(\?<total>…\) or \(\?<unitPrice>…\)/,
    ],
    [
      variant({}, { items: [['^(?<name>.+) (?<total>\\S+)$', '^(?<total>\\S+)$']] }),
      /^patterns\.items\.0: group \(\?<total>…\) appears on more than one line/,
    ],
    [variant({}, { fields: '^(?<_only>.+)$' }), /^patterns\.fields: captures nothing/],
    [
      variant({}, { fields: '^Bon (?<receipt>\\d+)$' }),
      /^patterns\.fields: no fields pattern captures \(\?<datetime>…\) or \(\?<date>…\)/,
    ],
    [
      variant({}, { fields: '^(?<datetime>.+)$' }),
      /^receiptNumber\.fallback: no fields pattern captures \(\?<receipt>…\)/,
    ],
    [
      variant({}, { payments: [{ method: 'cheque', pattern: '^(?<amount>.+)$' }] }),
      /^patterns\.payments\.0\.method: /,
    ],
    [variant({}, { colour: 'red' }), /^patterns: unknown key\(s\) colour/],
    [
      variant({ money: { currency: 'EURO' } }),
      /^money\.currency: must be three upper-case letters/,
    ],
    [variant({ money: { currency: 'XYZ' } }), /^money\.currency: is not an active ISO 4217 code/],
    [
      variant({ money: { currency: 'EUR', decimal: ',', thousands: ',' } }),
      /^money\.thousands: thousands separator must differ/,
    ],
    [
      variant({ dates: { formats: ['DD.MM.YYYY Q'], timeZone: 'Europe/Berlin' } }),
      /^dates\.formats\.0: unknown token "Q"/,
    ],
    [
      variant({ dates: { formats: ['DD.MM.YYYY'], timeZone: 'Europe/Berlinn' } }),
      /^dates\.timeZone: is not an IANA time zone/,
    ],
    [variant({ taxMode: 'vat' }), /^taxMode: /],
    [variant({ name: 'Bad Name' }), /^name: must be 1-64 lower-case letters/],
    [
      variant({ store: { prefix: 'markt-' } }),
      /^store\.prefix: store\.prefix needs a fields pattern with \(\?<store>…\)/,
    ],
    [variant({ store: { id: 'no spaces allowed' } }), /^store\.id: /],
    [variant({ unknownLines: 'ignore' }), /^unknownLines: /],
    [variant({ escpos: { star: 'yes' } }), /^escpos\.star: /],
  ])('names the field: %#', (profile, expected) => {
    expect(issuesOf(profile)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('loads YAML and JSON files, and says which file is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    const json = join(dir, 'p.json');
    writeFileSync(json, JSON.stringify(VALID));
    expect(loadReceiptProfile(json).name).toBe('test');
    const yaml = join(dir, 'p.yaml');
    writeFileSync(
      yaml,
      "name: test\nmoney: { currency: EUR }\ntaxMode: added\npatterns:\n  total: '^T (?<amount>.+)$'\n",
    );
    expect(() => loadReceiptProfile(yaml)).toThrow(
      /Invalid receipt profile .*p\.yaml:\n {2}- dates: required/,
    );
    writeFileSync(yaml, 'name: [unclosed');
    expect(() => loadReceiptProfile(yaml)).toThrow(/p\.yaml is not valid YAML/);
    expect(() => loadReceiptProfile(join(dir, 'missing.yaml'))).toThrow(ProfileError);
  });
});
