/**
 * Spool as one fsync'd append-only file, `<dir>/spool.log` (format in spool-record.ts and
 * docs/terminal-durability.md).
 * Inputs: a directory (created if missing), an optional capacity (default 256 MiB / 200,000
 * entries, alarm at 80 %), `compactMinBytes`, `onAlarm` (called when the alarm is raised or
 * cleared, also at open), `onCompactError`.
 * Outputs: the Spool port, plus `recovery` (what opening repaired) and `compact()`.
 * Durability: `append` writes the batch in one write and `fdatasync`s before resolving; `markHandedOver`
 * appends an ack and fsyncs it. When handed-over bytes reach max(compactMinBytes, live bytes), the
 * live entries are copied to `spool.log.tmp`, fsync'd and renamed over the file (then the
 * directory is fsync'd): a crash at any point leaves either the old or the new file, both whole.
 * Recovery at open: a leftover `spool.log.tmp` is deleted; a torn tail is truncated; damaged
 * records between intact ones are skipped after the whole file is copied to
 * `spool-corrupt-<time>.log` for an operator.
 * Errors: SpoolError `SPOOL_LOCKED` (another live owner), `SPOOL_CORRUPT` (unknown header, or a
 * record that fails its checksum on read), `SPOOL_FULL`, `SPOOL_CLOSED`; I/O errors as thrown by
 * node:fs. A failed append is cut off again, so the file never keeps half a batch.
 * Lifecycle: `openFileSpool` takes the directory's lock; `close()` closes the file and releases it.
 * Operations run one at a time, in call order.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { copyFile, open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

import { SpoolError } from './spool-error.js';
import { checkCapacity, DEFAULT_SPOOL_CAPACITY, fillOf, fits, nextAlarm } from './spool-level.js';
import { acquireSpoolLock } from './spool-lock.js';
import { decodeRecord, encodeAck, encodeEntry, SPOOL_HEADER } from './spool-record.js';
import { createSpoolScanner } from './spool-scan.js';
import type { IndexedEntry } from './spool-scan.js';
import type { Spool, SpoolCapacity, SpoolEntry, SpoolLevel } from './spool.js';

export interface FileSpoolOptions {
  readonly dir: string;
  readonly capacity?: Partial<SpoolCapacity>;
  /** Compact once handed-over bytes reach max(this, live bytes). Default 1 MiB. */
  readonly compactMinBytes?: number;
  readonly onAlarm?: (level: SpoolLevel) => void;
  /** A failed compaction changes nothing and is tried again later; this reports it. */
  readonly onCompactError?: (error: unknown) => void;
  readonly now?: () => Date;
}

export interface SpoolRecovery {
  /** Bytes of a torn tail cut off at open (an append a crash interrupted). */
  readonly truncatedBytes: number;
  /** Damaged records between intact ones, skipped. */
  readonly corruptRecords: number;
  /** Copy of the file as found, when records were skipped. */
  readonly quarantinedTo: string | undefined;
}

export interface FileSpool extends Spool {
  readonly file: string;
  readonly recovery: SpoolRecovery;
  compact(): Promise<void>;
}

const HEADER = Buffer.from(SPOOL_HEADER, 'utf8');

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
const READ_CHUNK = 1024 * 1024;

async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open or fsync a directory; its rename is durable on its own
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES')
      throw error;
  } finally {
    await handle?.close();
  }
}

async function writeAll(handle: FileHandle, data: Buffer, position?: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(
      data,
      done,
      data.length - done,
      position === undefined ? null : position + done,
    );
    done += bytesWritten;
  }
}

async function readExactly(
  handle: FileHandle,
  range: { offset: number; length: number },
): Promise<Buffer> {
  const buffer = Buffer.alloc(range.length);
  let done = 0;
  while (done < range.length) {
    const { bytesRead } = await handle.read(buffer, done, range.length - done, range.offset + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === range.length ? buffer : buffer.subarray(0, done);
}

async function createEmpty(file: string, dir: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await writeAll(handle, HEADER);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await syncDir(dir);
}

interface Loaded {
  live: IndexedEntry[];
  ackedSeq: number;
  maxSeq: number;
  size: number;
  truncatedBytes: number;
  corruptRecords: number;
}

async function load(handle: FileHandle, file: string): Promise<Loaded> {
  const { size } = await handle.stat();
  const head = await readExactly(handle, { offset: 0, length: Math.min(size, HEADER.length) });
  if (!head.equals(HEADER)) {
    if (HEADER.subarray(0, head.length).equals(head)) {
      // torn creation: never held an entry
      await handle.truncate(0);
      await writeAll(handle, HEADER);
      await handle.datasync();
      return {
        live: [],
        ackedSeq: 0,
        maxSeq: 0,
        size: HEADER.length,
        truncatedBytes: 0,
        corruptRecords: 0,
      };
    }
    throw new SpoolError('SPOOL_CORRUPT', `${file} is not a pos-ga4 spool of version 1`);
  }
  const scanner = createSpoolScanner(HEADER.length);
  for (let offset = HEADER.length; offset < size; offset += READ_CHUNK) {
    scanner.push(
      await readExactly(handle, { offset, length: Math.min(READ_CHUNK, size - offset) }),
    );
  }
  const scan = scanner.finish();
  let kept = size;
  if (scan.truncateAt !== undefined) {
    await handle.truncate(scan.truncateAt);
    await handle.datasync();
    kept = scan.truncateAt;
  }
  return {
    live: scan.live,
    ackedSeq: scan.ackedSeq,
    maxSeq: scan.maxSeq,
    size: kept,
    truncatedBytes: size - kept,
    corruptRecords: scan.corruptRecords,
  };
}

export async function openFileSpool(options: FileSpoolOptions): Promise<FileSpool> {
  const { dir } = options;
  const capacity = checkCapacity({ ...DEFAULT_SPOOL_CAPACITY, ...options.capacity });
  const compactMinBytes = options.compactMinBytes ?? 1024 * 1024;
  const now = options.now ?? (() => new Date());
  mkdirSync(dir, { recursive: true });
  const release = acquireSpoolLock(dir);
  const file = join(dir, 'spool.log');
  const tmp = `${file}.tmp`;

  let handle: FileHandle;
  let loaded: Loaded;
  let quarantinedTo: string | undefined;
  try {
    await rm(tmp, { force: true });
    if (!existsSync(file)) await createEmpty(file, dir);
    handle = await open(file, 'a+');
    try {
      loaded = await load(handle, file);
      if (loaded.corruptRecords > 0) {
        // (a torn tail is already cut off) copy the file as found for an operator
        const stamp = now().toISOString().replace(/[:.]/g, '-');
        quarantinedTo = join(dir, `spool-corrupt-${stamp}.log`);
        await copyFile(file, quarantinedTo);
        await syncDir(dir);
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
  } catch (error) {
    release();
    throw error;
  }

  let live = loaded.live;
  let liveHead = 0;
  let liveBytes = live.reduce((sum, entry) => sum + entry.length, 0);
  let size = loaded.size;
  let ackedSeq = loaded.ackedSeq;
  let nextSeq = loaded.maxSeq + 1;
  let alarm = false;
  let full = false;
  let closed = false;
  let broken: Error | undefined;
  let closing: Promise<void> | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  const depth = (): number => live.length - liveHead;
  const level = (): SpoolLevel => {
    const usage = { depth: depth(), bytes: liveBytes };
    return { ...usage, fill: fillOf(capacity, usage), alarm, full };
  };
  const updateAlarm = (): void => {
    const next = nextAlarm(capacity, { alarm, fill: level().fill });
    if (next === alarm) return;
    alarm = next;
    try {
      options.onAlarm?.(level());
    } catch {
      // a throwing callback must not turn a durable append into a reported failure
    }
  };

  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = chain.then(async () => {
      if (closed) throw new SpoolError('SPOOL_CLOSED', `spool ${dir} is closed`);
      if (broken !== undefined) throw broken;
      return work();
    });
    chain = run.catch(() => undefined);
    return run;
  };

  const append = async (data: Buffer): Promise<void> => {
    try {
      await writeAll(handle, data);
      await handle.datasync();
      size += data.length;
    } catch (error) {
      try {
        await handle.truncate(size);
        await handle.datasync();
      } catch {
        // cannot restore the file's end: refuse every further operation (reopen recovers)
        broken = toError(error);
      }
      throw error;
    }
  };

  const compactNow = async (): Promise<void> => {
    // 1. copy the live entries to spool.log.tmp; a failure here changes nothing
    const out = await open(tmp, 'w');
    const moved: IndexedEntry[] = [];
    let position = 0;
    try {
      const put = async (data: Buffer): Promise<void> => {
        await writeAll(out, data, position);
        position += data.length;
      };
      await put(HEADER);
      // keep the high-water mark, so sequence numbers keep growing after a restart
      if (ackedSeq > 0) await put(encodeAck(ackedSeq));
      let index = liveHead;
      while (index < live.length) {
        // copy runs of entries that sit next to each other in one read, at most READ_CHUNK
        const first = live[index];
        if (first === undefined) break;
        let end = index + 1;
        let last = first;
        for (;;) {
          const next = live[end];
          if (next?.offset !== last.offset + last.length) break;
          if (next.offset + next.length - first.offset > READ_CHUNK) break;
          last = next;
          end++;
        }
        const length = last.offset + last.length - first.offset;
        const bytes = await readExactly(handle, { offset: first.offset, length });
        if (bytes.length !== length) {
          throw new SpoolError('SPOOL_CORRUPT', `${file} ends before entry ${last.seq}`);
        }
        for (let i = index; i < end; i++) {
          const entry = live[i];
          if (entry === undefined) continue;
          const at = position + entry.offset - first.offset;
          moved.push({ seq: entry.seq, offset: at, length: entry.length });
        }
        await put(bytes);
        index = end;
      }
      await out.datasync();
    } catch (error) {
      await out.close().catch(() => undefined);
      await rm(tmp, { force: true }).catch(() => undefined);
      throw error;
    }
    await out.close();
    // 2. switch files (the old handle is closed first: Windows cannot rename over an open file)
    let renamed = false;
    let failure: Error | undefined;
    try {
      await handle.close();
      await rename(tmp, file);
      renamed = true;
      await syncDir(dir);
    } catch (error) {
      failure = toError(error);
    }
    try {
      handle = await open(file, 'a+');
    } catch (error) {
      broken = toError(error);
      throw error;
    }
    if (renamed) {
      live = moved;
      liveHead = 0;
      size = position;
    } else {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
    if (failure !== undefined) {
      // renamed but not made durable: later appends could vanish with the rename on power loss
      if (renamed) broken = failure;
      throw failure;
    }
  };

  if (loaded.corruptRecords > 0) await compactNow();
  updateAlarm();

  return {
    file,
    recovery: {
      truncatedBytes: loaded.truncatedBytes,
      corruptRecords: loaded.corruptRecords,
      quarantinedTo,
    },
    level,

    append(payloads) {
      return exclusive(async () => {
        if (payloads.length === 0) return [];
        const records = payloads.map((payload, i) => encodeEntry(nextSeq + i, payload));
        const bytes = records.reduce((sum, record) => sum + record.length, 0);
        if (
          !fits(capacity, { depth: depth(), bytes: liveBytes }, { depth: records.length, bytes })
        ) {
          full = true;
          updateAlarm();
          const current = level();
          throw new SpoolError(
            'SPOOL_FULL',
            `spool ${dir} is full: ${current.depth} entries, ${current.bytes} bytes held; ` +
              `${records.length} more (${bytes} bytes) would pass ${capacity.maxEntries} entries / ${capacity.maxBytes} bytes`,
          );
        }
        const start = size;
        await append(Buffer.concat(records, bytes));
        const seqs: number[] = [];
        let offset = start;
        for (const record of records) {
          live.push({ seq: nextSeq, offset, length: record.length });
          seqs.push(nextSeq);
          offset += record.length;
          nextSeq++;
        }
        liveBytes += bytes;
        full = false;
        updateAlarm();
        return seqs;
      });
    },

    peek(max) {
      return exclusive(async () => {
        const count = Math.min(Math.max(0, Math.floor(max)), depth());
        const first = live[liveHead];
        const last = live[liveHead + count - 1];
        if (count === 0 || first === undefined || last === undefined) return [];
        const bytes = await readExactly(handle, {
          offset: first.offset,
          length: last.offset + last.length - first.offset,
        });
        const entries: SpoolEntry[] = [];
        for (let i = liveHead; i < liveHead + count; i++) {
          const entry = live[i];
          if (entry === undefined) break;
          const start = entry.offset - first.offset;
          const record = decodeRecord(bytes.toString('utf8', start, start + entry.length - 1));
          if (record?.type !== 'entry' || record.seq !== entry.seq) {
            throw new SpoolError(
              'SPOOL_CORRUPT',
              `spool ${file}: entry ${entry.seq} at byte ${entry.offset} fails its checksum`,
            );
          }
          entries.push({ seq: record.seq, payload: record.payload });
        }
        return entries;
      });
    },

    markHandedOver(seq) {
      return exclusive(async () => {
        if (seq <= ackedSeq) return;
        const upTo = Math.min(seq, nextSeq - 1);
        if (upTo <= ackedSeq) return;
        const ack = encodeAck(upTo);
        await append(ack);
        ackedSeq = upTo;
        while (liveHead < live.length) {
          const entry = live[liveHead];
          if (entry === undefined || entry.seq > upTo) break;
          liveBytes -= entry.length;
          liveHead++;
        }
        if (liveHead > 4096 && liveHead * 2 > live.length) {
          live = live.slice(liveHead);
          liveHead = 0;
        }
        updateAlarm();
        const dead = size - HEADER.length - liveBytes;
        if (dead >= Math.max(compactMinBytes, liveBytes)) {
          try {
            await compactNow();
          } catch (error) {
            options.onCompactError?.(error);
          }
        }
      });
    },

    compact() {
      return exclusive(compactNow);
    },

    close() {
      if (closing === undefined) {
        closing = chain.then(async () => {
          closed = true;
          try {
            await handle.close();
          } finally {
            release();
          }
        });
        chain = closing.catch(() => undefined);
      }
      return closing;
    },
  };
}
