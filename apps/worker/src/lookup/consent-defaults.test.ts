/** Consent defaults per store: the store's setting, else the default, field by field. */
import { describe, expect, it } from 'vitest';

import { ConsentConfigSchema, consentDefaultsFor } from './consent-defaults.js';

const config = ConsentConfigSchema.parse({
  default: { adUserData: 'DENIED', adPersonalization: 'DENIED' },
  stores: { 'berlin-01': { adUserData: 'GRANTED' }, 'paris-03': {} },
});

describe('consentDefaultsFor', () => {
  it('takes the store’s fields and the default’s for the rest', () => {
    expect(consentDefaultsFor(config, 'berlin-01')).toEqual({
      adUserData: 'GRANTED',
      adPersonalization: 'DENIED',
    });
    expect(consentDefaultsFor(config, 'paris-03')).toEqual({
      adUserData: 'DENIED',
      adPersonalization: 'DENIED',
    });
    expect(consentDefaultsFor(config, 'hamburg-02')).toEqual({
      adUserData: 'DENIED',
      adPersonalization: 'DENIED',
    });
  });

  it('gives nothing without a setting', () => {
    expect(consentDefaultsFor(undefined, 'berlin-01')).toEqual({});
    expect(consentDefaultsFor({ stores: { x: { adPersonalization: 'GRANTED' } } }, 'y')).toEqual(
      {},
    );
  });

  it('accepts only GRANTED or DENIED, the two fields, and store ids', () => {
    expect(ConsentConfigSchema.safeParse({ default: { adUserData: 'YES' } }).success).toBe(false);
    expect(ConsentConfigSchema.safeParse({ default: { analytics: 'GRANTED' } }).success).toBe(
      false,
    );
    expect(ConsentConfigSchema.safeParse({ stores: { 'not a store': {} } }).success).toBe(false);
  });
});
