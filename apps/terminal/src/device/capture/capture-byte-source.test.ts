import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { captureByteSource } from './capture-byte-source.js';
import { listCaptureFiles } from './capture-format.js';
import { CaptureWriter } from './capture-writer.js';

const T0 = Date.parse('2024-05-01T10:00:00.000Z');

describe('captureByteSource', () => {
  let dir: string;
  let file: string;
  const sent = ['GS V A\n', 'receipt 1\n', 'x', 'receipt 2\n'];
  const gaps = [0, 1500, 20, 600_000];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pos-ga4-replay-'));
    const writer = new CaptureWriter({ dir });
    let at = T0;
    sent.forEach((text, i) => {
      at += gaps[i] ?? 0;
      writer.write(Buffer.from(text), new Date(at));
    });
    await writer.close();
    file = join(dir, listCaptureFiles(dir)[0]?.name ?? '');
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('replays the recorded chunks as fast as consumed, named after the file', async () => {
    const source = captureByteSource(file);
    expect(source.name).toBe('capture-20240501-100000-000001.bin');
    const chunks: string[] = [];
    for await (const chunk of source) chunks.push(Buffer.from(chunk).toString());
    expect(chunks).toEqual(sent);
  });

  it('waits the recorded gaps with original timing, scaled and capped', async () => {
    const waits: number[] = [];
    const source = captureByteSource(file, {
      timing: 'original',
      speed: 2,
      maxGapMs: 60_000,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    const chunks: string[] = [];
    for await (const chunk of source) chunks.push(Buffer.from(chunk).toString());
    expect(chunks).toEqual(sent);
    expect(waits).toEqual([750, 10, 60_000]);
  });

  it('stops a pending wait on close', async () => {
    const source = captureByteSource(file, { timing: 'original' });
    const chunks: string[] = [];
    const done = (async () => {
      for await (const chunk of source) {
        chunks.push(Buffer.from(chunk).toString());
        if (chunks.length === 1) setTimeout(() => void source.close(), 20);
      }
    })();
    const started = Date.now();
    await done;
    expect(chunks).toEqual([sent[0]]);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
