import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { defaultedBlock } from './index.js';

const Block = z.strictObject({
  maxJobs: z.number().int().default(100),
  name: z.string().optional(),
});
const Schema = z.strictObject({ batch: defaultedBlock(Block) });

describe('defaultedBlock', () => {
  it('gives a left-out block its fields’ defaults, a new object each time', () => {
    const first = Schema.parse({});
    expect(first.batch).toEqual({ maxJobs: 100 });
    first.batch.maxJobs = 1;
    expect(Schema.parse({}).batch).toEqual({ maxJobs: 100 });
    expect(Schema.parse({ batch: { name: 'x' } }).batch).toEqual({ maxJobs: 100, name: 'x' });
  });

  it('shows the block’s default in the input JSON Schema', () => {
    expect(z.toJSONSchema(Schema, { io: 'input' })).toMatchObject({
      properties: { batch: { default: { maxJobs: 100 } } },
    });
  });

  it('refuses a block with a field that has no default when it is built', () => {
    expect(() => defaultedBlock(z.strictObject({ url: z.string() }))).toThrow(/url/);
  });
});
