import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { formatIndexLine } from './capture-format.js';
import { readCapture, readCaptureRef } from './capture-reader.js';

const NAME = 'capture-20240501-100000-000001.bin';
const INDEX = 'capture-20240501-100000-000001.idx.jsonl';
const at = (ms: number): string =>
  new Date(Date.parse('2024-05-01T10:00:00.000Z') + ms).toISOString();

describe('readCapture', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pos-ga4-reader-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('ignores index lines that are malformed, out of sequence or past the data', async () => {
    writeFileSync(join(dir, NAME), 'abcdefgh');
    writeFileSync(
      join(dir, INDEX),
      [
        formatIndexLine({ at: at(0), offset: 0, length: 3 }),
        'garbage\n',
        formatIndexLine({ at: at(5), offset: 0, length: 3 }), // repeated: out of sequence
        formatIndexLine({ at: at(10), offset: 3, length: 2 }),
        formatIndexLine({ at: at(20), offset: 5, length: 9 }), // data lost in a power cut
      ].join(''),
    );
    const chunks = await readCapture(join(dir, NAME));
    expect(chunks.map((c) => [Buffer.from(c.bytes).toString(), c.offset, c.recovered])).toEqual([
      ['abc', 0, false],
      ['de', 3, false],
      ['fgh', 5, true],
    ]);
    expect(chunks[2]?.at.toISOString()).toBe(at(10));
  });

  it('returns the whole data file as recovered when the index is missing', async () => {
    writeFileSync(join(dir, NAME), 'raw');
    const chunks = await readCapture(join(dir, NAME));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ offset: 0, recovered: true });
  });

  it('rejects a missing data file', async () => {
    await expect(readCapture(join(dir, NAME))).rejects.toThrow(/ENOENT/);
  });

  it('reads references, across files, and says undefined for missing bytes', async () => {
    writeFileSync(join(dir, NAME), 'hello ');
    writeFileSync(join(dir, 'capture-20240501-100500-000002.bin'), 'world');
    expect(Buffer.from((await readCaptureRef({ dir, ref: `${NAME}@2+7` })) ?? []).toString()).toBe(
      'llo wor',
    );
    expect(await readCaptureRef({ dir, ref: `${NAME}@2+70` })).toBeUndefined();
    expect(
      await readCaptureRef({ dir, ref: 'capture-20240101-000000-000009.bin@0+1' }),
    ).toBeUndefined();
    expect(await readCaptureRef({ dir, ref: 'nonsense' })).toBeUndefined();
  });
});
