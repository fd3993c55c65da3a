import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { indexFileName, listCaptureFiles } from './capture-format.js';
import { readCapture, readCaptureRef } from './capture-reader.js';
import { parseCaptureRef } from './capture-ref.js';
import { CaptureWriter } from './capture-writer.js';

const T0 = Date.parse('2024-05-01T10:00:00.000Z');

/** Chunk i: `length` bytes, all different from one chunk to the next. */
function chunk(i: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, j) => (i * 31 + j) % 256);
}

describe('CaptureWriter', () => {
  let dir: string;
  const writers: CaptureWriter[] = [];
  const open = (options: Partial<ConstructorParameters<typeof CaptureWriter>[0]> = {}) => {
    const writer = new CaptureWriter({ dir, ...options });
    writers.push(writer);
    return writer;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pos-ga4-capture-'));
  });

  afterEach(async () => {
    await Promise.all(writers.splice(0).map((writer) => writer.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the bytes exactly, with one index line per chunk at its offset', async () => {
    const writer = open();
    const sent = [chunk(0, 5), chunk(1, 1), chunk(2, 300), chunk(3, 17)];
    sent.forEach((bytes, i) => {
      writer.write(bytes, new Date(T0 + i * 250));
    });
    writer.write(new Uint8Array(0), new Date(T0 + 2000));
    await writer.close();
    const files = listCaptureFiles(dir);
    expect(files.map((f) => f.name)).toEqual(['capture-20240501-100000-000001.bin']);
    const name = files[0]?.name ?? '';
    const data = readFileSync(join(dir, name));
    expect(data.equals(Buffer.concat(sent))).toBe(true);
    const index = readFileSync(join(dir, indexFileName(name)), 'utf8')
      .trim()
      .split('\n');
    expect(index.map((line) => JSON.parse(line) as unknown)).toEqual([
      { at: '2024-05-01T10:00:00.000Z', offset: 0, length: 5 },
      { at: '2024-05-01T10:00:00.250Z', offset: 5, length: 1 },
      { at: '2024-05-01T10:00:00.500Z', offset: 6, length: 300 },
      { at: '2024-05-01T10:00:00.750Z', offset: 306, length: 17 },
    ]);
    const chunks = await readCapture(join(dir, name));
    expect(chunks.map((c) => Buffer.from(c.bytes))).toEqual(sent.map((b) => Buffer.from(b)));
    expect(chunks.map((c) => c.at.getTime() - T0)).toEqual([0, 250, 500, 750]);
    expect(chunks.every((c) => !c.recovered)).toBe(true);
  });

  it('rotates before a file would pass maxFileBytes, never splitting a chunk', async () => {
    const writer = open({ maxFileBytes: 1024 });
    const sent = Array.from({ length: 40 }, (_, i) => chunk(i, 30 + (i % 5) * 40));
    sent.forEach((bytes, i) => {
      writer.write(bytes, new Date(T0 + i * 1000));
    });
    writer.write(chunk(99, 1500), new Date(T0 + 50_000)); // larger than a file: a file of its own
    writer.write(chunk(100, 10), new Date(T0 + 51_000));
    await writer.close();
    const files = listCaptureFiles(dir);
    expect(files.length).toBeGreaterThan(3);
    const sizes = files.map((f) => statSync(join(dir, f.name)).size);
    expect(sizes.filter((size) => size > 1024)).toEqual([1500]);
    expect(files.map((f) => f.seq)).toEqual(files.map((_, i) => i + 1));
    // every chunk, across files, read back in order and in its original chunking
    const read: Buffer[] = [];
    for (const file of files)
      for (const c of await readCapture(join(dir, file.name))) read.push(Buffer.from(c.bytes));
    expect(read).toEqual([...sent, chunk(99, 1500), chunk(100, 10)].map((b) => Buffer.from(b)));
    // file names carry the arrival time of their first chunk
    expect(files[1]?.name).toMatch(/^capture-20240501-1000\d\d-000002\.bin$/);
  });

  it('starts a new file when the current one is rotateAfterHours old', async () => {
    const writer = open({ rotateAfterHours: 1 });
    writer.write(chunk(0, 10), new Date(T0));
    writer.write(chunk(1, 10), new Date(T0 + 59 * 60_000));
    writer.write(chunk(2, 10), new Date(T0 + 60 * 60_000));
    await writer.close();
    expect(listCaptureFiles(dir).map((f) => f.name)).toEqual([
      'capture-20240501-100000-000001.bin',
      'capture-20240501-110000-000002.bin',
    ]);
  });

  it('maps stream offsets to exact references, across rotations', async () => {
    const writer = open({ maxFileBytes: 1024 });
    const stream: Uint8Array[] = [];
    for (let i = 0; i < 30; i++) {
      const bytes = chunk(i, 97);
      stream.push(bytes);
      writer.write(bytes, new Date(T0 + i));
    }
    const all = Buffer.concat(stream);
    expect(writer.stats()).toMatchObject({ streamOffset: all.length, capturedBytes: all.length });
    for (const [start, length] of [
      [0, 10],
      [100, 500],
      [950, 200], // crosses the first rotation
      [all.length - 7, 7],
      [0, all.length],
    ] as const) {
      const ref = writer.refAt(start, length);
      expect(ref).toBeDefined();
      const bytes = await readCaptureRef({ dir, ref: ref ?? '' });
      expect(Buffer.from(bytes ?? []).equals(all.subarray(start, start + length))).toBe(true);
    }
    const last = writer.currentRef(50);
    expect(
      Buffer.from((await readCaptureRef({ dir, ref: last ?? '' })) ?? []).equals(all.subarray(-50)),
    ).toBe(true);
    expect(parseCaptureRef(writer.currentRef(10) ?? '')?.file).toBe(writer.stats().currentFile);
    expect(writer.refAt(all.length, 1)).toBeUndefined();
  });

  it('deletes the oldest files beyond maxTotalBytes, never the current one', async () => {
    const writer = open({ maxFileBytes: 1024, maxTotalBytes: 4096 });
    for (let i = 0; i < 100; i++) writer.write(chunk(i, 100), new Date(T0 + i * 1000));
    const files = listCaptureFiles(dir);
    const total = readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    expect(total).toBeLessThanOrEqual(4096 + 1024 + 2048); // caps + current file + its index
    expect(files.at(-1)?.name).toBe(writer.stats().currentFile);
    expect(files[0]?.seq).toBeGreaterThan(1);
    // no orphan index files are left behind
    expect(readdirSync(dir).filter((f) => f.endsWith('.idx.jsonl'))).toHaveLength(files.length);
    // references to pruned bytes are gone, recent ones still resolve
    expect(writer.refAt(0, 10)).toBeUndefined();
    const recent = writer.currentRef(100);
    expect(
      Buffer.from((await readCaptureRef({ dir, ref: recent ?? '' })) ?? []).equals(chunk(99, 100)),
    ).toBe(true);
    expect(
      await readCaptureRef({ dir, ref: 'capture-20240501-100000-000001.bin@0+10' }),
    ).toBeUndefined();
  });

  it('deletes files older than maxAgeDays when it opens, continuing the sequence', () => {
    const first = open();
    first.write(chunk(0, 10), new Date(T0));
    void first.close();
    const second = open();
    second.write(chunk(1, 10), new Date(T0 + 1000));
    void second.close();
    const [old, recent] = listCaptureFiles(dir);
    const past = new Date(Date.now() - 100 * 24 * 3600 * 1000);
    utimesSync(join(dir, old?.name ?? ''), past, past);
    const third = open({ maxAgeDays: 90 });
    expect(listCaptureFiles(dir).map((f) => f.name)).toEqual([recent?.name]);
    third.write(chunk(2, 10), new Date(T0 + 2000));
    expect(third.stats().currentFile).toMatch(/-000003\.bin$/);
  });

  it('keeps earlier data readable after a crash mid-append', async () => {
    const writer = open({ fsyncIntervalMs: 0 });
    const sent = [chunk(0, 40), chunk(1, 41), chunk(2, 42)];
    sent.forEach((bytes, i) => {
      writer.write(bytes, new Date(T0 + i * 100));
    });
    await writer.close();
    const name = listCaptureFiles(dir)[0]?.name ?? '';
    const indexPath = join(dir, indexFileName(name));
    // the crash: the last index line was only half written
    const index = readFileSync(indexPath, 'utf8');
    truncateSync(indexPath, index.length - 20);
    const chunks = await readCapture(join(dir, name));
    expect(chunks.map((c) => Buffer.from(c.bytes))).toEqual(sent.map((b) => Buffer.from(b)));
    expect(chunks.map((c) => c.recovered)).toEqual([false, false, true]);
    expect(chunks[2]?.at.getTime()).toBe(T0 + 100);
    expect(chunks[2]?.offset).toBe(81);
    // a crash between the data and the index write: unindexed bytes, and a new writer
    writeFileSync(join(dir, name), Buffer.from('tail'), { flag: 'a' });
    const after = await readCapture(indexPath);
    expect(
      Buffer.from(after.at(-1)?.bytes ?? [])
        .toString('latin1')
        .endsWith('tail'),
    ).toBe(true);
    const next = open();
    next.write(chunk(9, 3), new Date(T0 + 5000));
    await next.close();
    expect(listCaptureFiles(dir)).toHaveLength(2);
    expect((await readCapture(join(dir, name))).map((c) => c.bytes.length)).toEqual([40, 41, 46]);
  });

  it('counts a failed write as dropped and keeps the stream offset', async () => {
    const writer = open({ maxFileBytes: 1024 });
    writer.write(chunk(0, 1000), new Date(T0));
    rmSync(dir, { recursive: true, force: true }); // the directory went away under it
    writer.write(chunk(1, 100), new Date(T0 + 1)); // needs a new file: fails
    writer.write(chunk(2, 10), new Date(T0 + 2)); // tries again: fails
    expect(writer.stats()).toMatchObject({
      streamOffset: 1110,
      capturedBytes: 1000,
      droppedChunks: 2,
      droppedBytes: 110,
      currentFile: null,
    });
    expect(writer.stats().lastError).toMatch(/ENOENT/);
    expect(writer.refAt(1000, 10)).toBeUndefined();
    await writer.close();
    writer.write(chunk(3, 5), new Date(T0 + 3));
    expect(writer.stats()).toMatchObject({ streamOffset: 1115, lastError: 'write after close' });
  });
});
