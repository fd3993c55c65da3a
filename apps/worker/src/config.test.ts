/** Worker config rules that decide what reaches GA4 (docs/configuration.md, docs/ga4-mapping.md). */
import { describe, expect, it } from 'vitest';

import { WorkerConfigSchema } from './config.js';

const ga4 = { measurementId: 'G-CONFIG', apiSecret: 'config-secret' };

function issues(input: unknown): string[] {
  const parsed = WorkerConfigSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('WorkerConfigSchema', () => {
  it('refuses an app stream, saying why (no app_instance_id at a till)', () => {
    const found = issues({ ga4: { firebaseAppId: '1:123:android:abc', apiSecret: 'x' } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^ga4\.firebaseAppId: app streams are not supported: .*app_instance_id/,
    );
    expect(issues({ ga4: { apiSecret: 'x' } })[0]).toMatch(/^ga4\.measurementId: required/);
  });

  it('defaults to net prices, sending refunds of unknown purchases, and no client-id key', () => {
    const config = WorkerConfigSchema.parse({ ga4 });
    expect(config.mapping.prices).toBeUndefined(); // net, unless the old valueIncludesTax says gross
    expect(config.refunds).toEqual({ maxWaitMs: 3_600_000, unknownPurchase: 'send' });
    expect(config.identity.hmacSecret).toBeUndefined();
  });

  it('accepts mapping.prices, mapping.affiliation and a long enough identity.hmacSecret', () => {
    const config = WorkerConfigSchema.parse({
      ga4,
      mapping: { prices: 'gross', affiliation: 'ExampleMart' },
      identity: { hmacSecret: '0123456789abcdef' },
      refunds: { unknownPurchase: 'dead-letter' },
    });
    expect(config.mapping).toMatchObject({ prices: 'gross', affiliation: 'ExampleMart' });
    expect(issues({ ga4, identity: { hmacSecret: 'short' } })[0]).toMatch(
      /^identity\.hmacSecret: at least 16/,
    );
    expect(issues({ ga4, mapping: { prices: 'with-tax' } })).toHaveLength(1);
  });

  it('accepts user properties from storeId or terminalId, and consent defaults per store', () => {
    const config = WorkerConfigSchema.parse({
      ga4,
      mapping: { userProperties: { last_store: 'storeId', last_till: 'terminalId' } },
      consent: {
        default: { adUserData: 'DENIED', adPersonalization: 'DENIED' },
        stores: { 'berlin-01': { adUserData: 'GRANTED' } },
      },
    });
    expect(config.mapping.userProperties).toEqual({
      last_store: 'storeId',
      last_till: 'terminalId',
    });
    expect(config.consent?.stores?.['berlin-01']).toEqual({ adUserData: 'GRANTED' });
    expect(WorkerConfigSchema.parse({ ga4 }).consent).toBeUndefined();
  });

  it('names the field when user properties or consent defaults are wrong', () => {
    expect(issues({ ga4, mapping: { userProperties: { home_store: 'customerId' } } })).toEqual([
      'mapping.userProperties.home_store: the transaction field to take the value from: storeId or terminalId',
    ]);
    expect(issues({ ga4, mapping: { userProperties: { ga_store: 'storeId' } } })[0]).toMatch(
      /^mapping\.userProperties\.ga_store: "ga_store" is not a GA4 user property name/,
    );
    expect(issues({ ga4, consent: { default: { adUserData: 'YES' } } })[0]).toMatch(
      /^consent\.default\.adUserData: /,
    );
    expect(
      issues({ ga4, consent: { stores: { 'berlin-01': { analytics: 'GRANTED' } } } })[0],
    ).toMatch(/^consent\.stores\.berlin-01: .*analytics/);
  });
});
