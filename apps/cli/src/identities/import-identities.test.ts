/** The identity CSV: `prop.<name>` columns become the record's GA4 user properties. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadIdentities } from './import-identities.js';

function csv(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'identities-')), 'crm.csv');
  writeFileSync(file, text);
  return file;
}

describe('identity CSV user properties', () => {
  it('reads prop.<name> columns as user properties, skipping empty cells', async () => {
    const { identities, rejected } = await loadIdentities(
      csv(
        [
          'kind,token,clientId,prop.tier,prop.home_store',
          'loyalty-card,LOY-1,1122334455.1700000000,gold,berlin-01',
          'loyalty-card,LOY-2,1122334455.1700000001,,',
        ].join('\n'),
      ),
    );
    expect(rejected).toEqual([]);
    expect(identities.get('loyalty-card:LOY-1')?.properties).toEqual({
      tier: 'gold',
      home_store: 'berlin-01',
    });
    expect(identities.get('loyalty-card:LOY-2')).not.toHaveProperty('properties');
  });

  it('rejects a row whose property breaks GA4’s rules, naming it and the line', async () => {
    const { identities, rejected } = await loadIdentities(
      csv(
        [
          'kind,token,prop.tier,prop.ga_segment',
          `loyalty-card,LOY-1,${'t'.repeat(37)},`,
          'loyalty-card,LOY-2,gold,x',
          'loyalty-card,LOY-3,gold,',
        ].join('\n'),
      ),
    );
    expect(rejected.map((r) => r.line)).toEqual([2, 3]);
    expect(rejected[0]?.reason).toMatch(/^properties\.tier: a GA4 user property value/);
    expect(rejected[1]?.reason).toMatch(/^properties\.ga_segment: .*not a GA4 user property name/);
    expect([...identities.keys()]).toEqual(['loyalty-card:LOY-3']);
  });
});
