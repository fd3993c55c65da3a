/** User properties: GA4's rules for names and values, and how config and identity record merge. */
import { validateRequest } from '@pos-ga4/ga4-mp';
import { describe, expect, it } from 'vitest';

import { IdentityRecordSchema } from '../lookup/identity-store.js';

import {
  UserPropertiesSchema,
  UserPropertyMappingSchema,
  userPropertiesOf,
} from './user-properties.js';

const messages = (schema: typeof UserPropertiesSchema, input: unknown): string[] => {
  const parsed = schema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

const transaction = { storeId: 'berlin-01', terminalId: 'till-2' };

describe('user property rules (GA4: ≤ 25, names ≤ 24, values ≤ 36)', () => {
  it('accepts texts up to 36 characters and numbers under names of up to 24', () => {
    const ok = { tier: 'gold', ['n'.repeat(24)]: 't'.repeat(36), member_since: 2019, score: 0.5 };
    expect(messages(UserPropertiesSchema, ok)).toEqual([]);
  });

  it.each([
    ['a name of 25 characters', { ['n'.repeat(25)]: 'x' }, /is not a GA4 user property name/],
    ['a name starting with a digit', { '1tier': 'x' }, /is not a GA4 user property name/],
    ['a reserved prefix', { ga_tier: 'x' }, /is not a GA4 user property name/],
    ['a reserved name', { user_id: 'x' }, /is not a GA4 user property name/],
    ['a value of 37 characters', { tier: 't'.repeat(37) }, /^tier: a GA4 user property value/],
    ['an empty value', { tier: '' }, /^tier: a GA4 user property value/],
    [
      '26 properties',
      Object.fromEntries(Array.from({ length: 26 }, (_, n) => [`p${n}`, n])),
      /at most 25 user properties/,
    ],
  ])('rejects %s', (_name, input, message) => {
    const found = messages(UserPropertiesSchema, input);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it('lets the config take values from storeId or terminalId only', () => {
    expect(UserPropertyMappingSchema.parse({ last_store: 'storeId' })).toEqual({
      last_store: 'storeId',
    });
    const parsed = UserPropertyMappingSchema.safeParse({ home: 'customerName' });
    expect(parsed.success ? '' : parsed.error.issues[0]?.message).toBe(
      'the transaction field to take the value from: storeId or terminalId',
    );
  });

  it('belong to identity records as `properties`', () => {
    const record = { properties: { tier: 'gold' }, updatedAt: '2026-11-01T00:00:00Z' };
    expect(IdentityRecordSchema.parse(record).properties).toEqual({ tier: 'gold' });
    expect(
      IdentityRecordSchema.safeParse({ ...record, properties: { tier: 't'.repeat(37) } }).success,
    ).toBe(false);
  });
});

describe('userPropertiesOf', () => {
  it('takes the config’s from the transaction and adds the record’s; the config wins a name', () => {
    expect(
      userPropertiesOf(
        transaction,
        { last_store: 'storeId', last_till: 'terminalId' },
        { tier: 'gold', last_store: 'hamburg-02' },
      ),
    ).toEqual({
      last_store: { value: 'berlin-01' },
      last_till: { value: 'till-2' },
      tier: { value: 'gold' },
    });
  });

  it('is undefined without any, and never more than 25 (the config’s first)', () => {
    expect(userPropertiesOf(transaction, undefined, undefined)).toBeUndefined();
    expect(userPropertiesOf(transaction, {}, {})).toBeUndefined();
    const record = Object.fromEntries(Array.from({ length: 25 }, (_, n) => [`p${n}`, n]));
    const merged = userPropertiesOf(transaction, { last_store: 'storeId' }, record) ?? {};
    expect(Object.keys(merged)).toHaveLength(25);
    expect(merged['last_store']).toEqual({ value: 'berlin-01' });
    expect(merged['p24']).toBeUndefined();
    expect(validateRequest({ client_id: '1.2', user_properties: merged, events: [] })).toEqual(
      expect.not.arrayContaining([
        expect.objectContaining({
          fieldPath: expect.stringMatching(/^user_properties/) as unknown,
        }),
      ]),
    );
  });
});
