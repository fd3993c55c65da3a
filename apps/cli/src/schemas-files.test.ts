import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { schemasDir } from './repo-paths.js';
import { generatedSchemas } from './schemas-files.js';

describe('published JSON Schemas', () => {
  it.each(Object.entries(generatedSchemas()))(
    'schemas/%s is up to date (npx pos-ga4 schemas write)',
    (name, text) => {
      expect(readFileSync(join(schemasDir(), name), 'utf8')).toBe(text);
    },
  );

  it('describes the Transaction for vendors, money as integers', () => {
    const schema = JSON.parse(generatedSchemas()['transaction.schema.json'] ?? '{}') as {
      properties: Record<string, { type?: string }>;
      required: string[];
    };
    expect(schema.properties['total']?.type).toBe('integer');
    expect(schema.required).toEqual(
      expect.arrayContaining([
        'storeId',
        'terminalId',
        'receiptNumber',
        'occurredAt',
        'currency',
        'total',
      ]),
    );
  });
});
