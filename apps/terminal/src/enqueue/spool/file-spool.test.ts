/**
 * File spool on temp dirs: order and numbering across reopens, acks, compaction, capacity and
 * alarm, torn tails, damaged records, the lock, and a random model of the whole API.
 */
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { openFileSpool } from './file-spool.js';
import type { FileSpool, FileSpoolOptions } from './file-spool.js';
import { isSpoolError } from './spool-error.js';
import type { SpoolLevel } from './spool.js';

const open: FileSpool[] = [];

afterEach(async () => {
  for (const spool of open.splice(0)) await spool.close();
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'spool-unit-'));
}

async function spoolIn(dir: string, options: Partial<FileSpoolOptions> = {}): Promise<FileSpool> {
  const spool = await openFileSpool({ dir, ...options });
  open.push(spool);
  return spool;
}

async function reopen(
  spool: FileSpool,
  options: Partial<FileSpoolOptions> = {},
): Promise<FileSpool> {
  await spool.close();
  return spoolIn(join(spool.file, '..'), options);
}

const payloads = (from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => JSON.stringify({ n: from + i }));

async function all(spool: FileSpool): Promise<string[]> {
  return (await spool.peek(Number.MAX_SAFE_INTEGER)).map((e) => e.payload);
}

describe('file spool', () => {
  it('keeps appended entries in order across a reopen, numbered consecutively', async () => {
    const spool = await spoolIn(tempDir());
    expect(await spool.append(payloads(1, 3))).toEqual([1, 2, 3]);
    expect(await spool.append(payloads(4, 2))).toEqual([4, 5]);
    expect(await spool.append([])).toEqual([]);
    expect((await spool.peek(2)).map((e) => e.seq)).toEqual([1, 2]);
    const again = await reopen(spool);
    expect(await all(again)).toEqual(payloads(1, 5));
    expect(again.level()).toMatchObject({ depth: 5, alarm: false, full: false });
    expect(await again.append(payloads(6, 1))).toEqual([6]);
  });

  it('forgets entries marked handed over, also after a reopen', async () => {
    const spool = await spoolIn(tempDir());
    await spool.append(payloads(1, 5));
    await spool.markHandedOver(2);
    await spool.markHandedOver(1); // older marks are no-ops
    expect(await all(spool)).toEqual(payloads(3, 3));
    const again = await reopen(spool);
    expect(await all(again)).toEqual(payloads(3, 3));
    await again.markHandedOver(99); // capped at the last entry
    expect(again.level().depth).toBe(0);
    expect(await again.append(payloads(6, 1))).toEqual([6]);
  });

  it('compacts handed-over bytes away and keeps numbering after a restart', async () => {
    const dir = tempDir();
    const spool = await spoolIn(dir, { compactMinBytes: 2048 });
    for (let i = 0; i < 20; i++) {
      const seqs = await spool.append(payloads(i * 10, 10));
      await spool.markHandedOver(seqs.at(-1) ?? 0);
    }
    expect(statSync(spool.file).size).toBeLessThan(2048 + 1024);
    await spool.append(payloads(1000, 4));
    await spool.markHandedOver(201);
    await spool.compact();
    expect(await all(spool)).toEqual(payloads(1001, 3));
    const again = await reopen(spool);
    expect(await all(again)).toEqual(payloads(1001, 3));
    expect(await again.append(payloads(2000, 1))).toEqual([205]);
    expect(readdirSync(dir).sort()).toEqual(['spool.lock', 'spool.log']);
  });

  it('refuses a batch that would pass capacity whole, raises and clears the alarm', async () => {
    const alarms: SpoolLevel[] = [];
    const dir = tempDir();
    const spool = await spoolIn(dir, {
      capacity: { maxEntries: 10, alarmRatio: 0.8 },
      onAlarm: (level) => alarms.push(level),
    });
    await spool.append(payloads(1, 7));
    expect(alarms).toEqual([]);
    await spool.append(payloads(8, 1));
    expect(alarms).toEqual([expect.objectContaining({ alarm: true, depth: 8, fill: 0.8 })]);
    const refused = await spool.append(payloads(9, 3)).catch((error: unknown) => error);
    expect(isSpoolError(refused, 'SPOOL_FULL')).toBe(true);
    expect(spool.level()).toMatchObject({ depth: 8, full: true, alarm: true });
    const after = await reopen(spool, {
      capacity: { maxEntries: 10 },
      onAlarm: (level) => alarms.push(level),
    });
    expect(await all(after)).toEqual(payloads(1, 8));
    expect(alarms.at(-1)).toMatchObject({ alarm: true, depth: 8 }); // raised again at open
    await after.markHandedOver(1);
    expect(after.level().alarm).toBe(true); // 0.7: hysteresis keeps it
    await after.markHandedOver(2);
    expect(alarms.at(-1)).toMatchObject({ alarm: false, depth: 6 });
    await after.append(payloads(9, 3));
    expect(after.level()).toMatchObject({ depth: 9, full: false, alarm: true });
  });

  it('bounds bytes too', async () => {
    const spool = await spoolIn(tempDir(), { capacity: { maxBytes: 200 } });
    await spool.append([JSON.stringify('x'.repeat(120))]);
    const refused = await spool.append([JSON.stringify('y'.repeat(120))]).catch((e: unknown) => e);
    expect(isSpoolError(refused, 'SPOOL_FULL')).toBe(true);
    expect(spool.level().depth).toBe(1);
  });

  it('cuts a torn tail left by a crash and goes on appending', async () => {
    const spool = await spoolIn(tempDir());
    await spool.append(payloads(1, 3));
    await spool.close();
    appendFileSync(spool.file, 'E\t4\tdeadbeef\t{"n":'); // an append cut short
    const again = await spoolIn(join(spool.file, '..'));
    expect(again.recovery).toMatchObject({ truncatedBytes: 18, corruptRecords: 0 });
    expect(await again.append(payloads(4, 1))).toEqual([4]);
    expect(await all(await reopen(again))).toEqual(payloads(1, 4));
  });

  it('skips a damaged record between intact ones, keeping a copy of the file', async () => {
    const dir = tempDir();
    const spool = await spoolIn(dir);
    await spool.append(payloads(1, 3));
    await spool.close();
    const text = readFileSync(spool.file, 'utf8');
    writeFileSync(spool.file, text.replace('{"n":2}', '{"n":9}'));
    const again = await spoolIn(dir, { now: () => new Date('2026-11-26T10:00:00Z') });
    expect(again.recovery).toEqual({
      truncatedBytes: 0,
      corruptRecords: 1,
      quarantinedTo: join(dir, 'spool-corrupt-2026-11-26T10-00-00-000Z.log'),
    });
    expect(readFileSync(again.recovery.quarantinedTo ?? '', 'utf8')).toContain('{"n":9}');
    expect(await all(again)).toEqual([payloads(1, 1)[0], payloads(3, 1)[0]]);
    expect(await all(await reopen(again))).toHaveLength(2);
  });

  it('has one owner: a live holder is refused, a dead one taken over; leftovers removed', async () => {
    const dir = tempDir();
    await spoolIn(dir);
    const second = await openFileSpool({ dir }).catch((e: unknown) => e);
    expect(isSpoolError(second, 'SPOOL_LOCKED')).toBe(true);
    await open.pop()?.close();
    writeFileSync(join(dir, 'spool.lock'), '999999999\n'); // a pid that does not run
    writeFileSync(join(dir, 'spool.log.tmp'), 'half a compaction');
    const taken = await spoolIn(dir);
    expect(readFileSync(join(dir, 'spool.lock'), 'utf8')).toBe(`${process.pid}\n`);
    expect(readdirSync(dir).sort()).toEqual(['spool.lock', 'spool.log']);
    await taken.close();
    expect(readdirSync(dir)).toEqual(['spool.log']);
  });

  it('refuses a file that is not a spool, and use after close', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spool.log'), 'something else\n');
    const refused = await openFileSpool({ dir }).catch((e: unknown) => e);
    expect(isSpoolError(refused, 'SPOOL_CORRUPT')).toBe(true);
    const spool = await spoolIn(tempDir());
    await spool.close();
    const closed = await spool.append(payloads(1, 1)).catch((e: unknown) => e);
    expect(isSpoolError(closed, 'SPOOL_CLOSED')).toBe(true);
  });

  it('matches a simple queue model under random appends, marks, compactions and reopens', async () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let spool = await spoolIn(tempDir(), { compactMinBytes: 256 });
    const model: { seq: number; payload: string }[] = [];
    let n = 0;
    for (let step = 0; step < 300; step++) {
      const r = random();
      if (r < 0.45) {
        const batch = payloads(n, 1 + Math.floor(random() * 5));
        n += batch.length;
        const seqs = await spool.append(batch);
        seqs.forEach((seq, i) => model.push({ seq, payload: batch[i] ?? '' }));
      } else if (r < 0.85) {
        const upTo = Math.floor(random() * (model.length + 1));
        const seq = model[upTo - 1]?.seq;
        if (seq !== undefined) {
          await spool.markHandedOver(seq);
          model.splice(0, upTo);
        }
      } else if (r < 0.92) {
        await spool.compact();
      } else {
        spool = await reopen(spool, { compactMinBytes: 256 });
      }
      expect(spool.level().depth).toBe(model.length);
    }
    expect(await spool.peek(1000)).toEqual(model);
  });
});
