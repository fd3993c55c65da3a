import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { captureFileName, indexFileName, listCaptureFiles } from './capture-format.js';
import { pruneCaptures } from './capture-retention.js';

const DAY = 24 * 3600 * 1000;
const NOW = Date.parse('2024-06-01T00:00:00.000Z');

describe('pruneCaptures', () => {
  let dir: string;

  /** Capture `seq` with `size` data bytes, last written `ageDays` before NOW. */
  const capture = (seq: number, size: number, ageDays: number): string => {
    const name = captureFileName(new Date(NOW - ageDays * DAY), seq);
    const when = new Date(NOW - ageDays * DAY);
    writeFileSync(join(dir, name), Buffer.alloc(size));
    writeFileSync(join(dir, indexFileName(name)), '');
    utimesSync(join(dir, name), when, when);
    return name;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pos-ga4-retention-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('deletes oldest first until the total fits', () => {
    const names = [1, 2, 3, 4, 5].map((seq) => capture(seq, 1000, 6 - seq));
    writeFileSync(join(dir, 'notes.txt'), 'not a capture');
    const removed = pruneCaptures({ dir, maxTotalBytes: 2500, maxAgeDays: 30, now: NOW });
    expect(removed).toEqual(names.slice(0, 3));
    expect(listCaptureFiles(dir).map((f) => f.name)).toEqual(names.slice(3));
    expect(existsSync(join(dir, indexFileName(names[0] ?? '')))).toBe(false);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
  });

  it('deletes files older than maxAgeDays even under the total cap', () => {
    const old = capture(1, 10, 31);
    const recent = capture(2, 10, 29);
    expect(pruneCaptures({ dir, maxTotalBytes: 1e9, maxAgeDays: 30, now: NOW })).toEqual([old]);
    expect(listCaptureFiles(dir).map((f) => f.name)).toEqual([recent]);
  });

  it('never deletes a kept file, and tolerates an empty or missing directory', () => {
    const current = capture(1, 5000, 400);
    expect(
      pruneCaptures({ dir, maxTotalBytes: 1024, maxAgeDays: 1, now: NOW, keep: [current] }),
    ).toEqual([]);
    expect(
      pruneCaptures({ dir: join(dir, 'missing'), maxTotalBytes: 1, maxAgeDays: 1, now: NOW }),
    ).toEqual([]);
  });
});
