import { describe, expect, it } from 'vitest';

import { routeStore } from './property-router.js';

const ga4 = { region: 'eu' as const, measurementId: 'G-EU', apiSecret: 'x', debug: false };

describe('routeStore', () => {
  it('routes a store to its named property, others to the default', () => {
    const config = {
      routes: { 'nyc-05': 'us' },
      properties: { us: { ...ga4, region: 'global' as const, measurementId: 'G-US' } },
      unroutedStores: 'default' as const,
    };
    expect(routeStore('nyc-05', config)).toEqual({ ok: true, property: 'us' });
    expect(routeStore('berlin-01', config)).toEqual({ ok: true, property: 'default' });
  });

  it('dead-letters unrouted stores when told, and routes to missing properties', () => {
    expect(
      routeStore('berlin-01', { routes: {}, properties: {}, unroutedStores: 'dead-letter' }),
    ).toMatchObject({ ok: false, code: 'UNKNOWN_STORE' });
    expect(
      routeStore('nyc-05', {
        routes: { 'nyc-05': 'typo' },
        properties: {},
        unroutedStores: 'default',
      }),
    ).toMatchObject({ ok: false, code: 'UNKNOWN_STORE' });
  });
});
