/**
 * CaptureWriter: appends every received chunk to rotating raw capture files in one directory
 * (format in `capture-format.ts`), and maps stream offsets to capture references.
 *
 * Inputs: `write(chunk, at)` in arrival order. The writer counts a stream offset: the number of
 * bytes handed to `write` since it was created. When it records exactly one ByteSource from its
 * start, a frame's `byteOffset` in that source is this stream offset, and
 * `refAt(frame.byteOffset, frame.bytes.length)` is the exact `<file>@<offset>+<length>` of its
 * bytes; `currentRef(length)` is the reference of the last `length` bytes written.
 *
 * Files: a new file per writer (it never appends to an earlier run's file), then a new one before
 * the current would exceed `maxFileBytes` (a chunk is never split; a single larger chunk gets a file
 * of its own) or once it is `rotateAfterHours` old. Retention (`pruneCaptures`) runs at creation,
 * after each rotation and hourly.
 *
 * Durability: data is written before its index line, both appended with O_APPEND, and both
 * fsync'd every `fsyncIntervalMs` (0: after every chunk), at rotation and at close. Bytes already
 * written are never rewritten, so a crash cannot corrupt earlier data: at worst the last index
 * line is partial or missing (the reader ignores it and returns the unindexed tail as a
 * `recovered` chunk), and a power loss can lose what was written since the last fsync.
 *
 * Errors: `write` never throws. A failed write closes the current file (the next write starts a
 * new one), the chunk counts as dropped (`stats()`), and the stream offset still advances, so
 * later references stay exact; `refAt` returns undefined for ranges that are not captured.
 * Lifecycle: the caller owns the writer and calls `close()` (idempotent) after closing the source
 * that feeds it; writes after close are dropped.
 */
import { closeSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import {
  captureFileName,
  formatIndexLine,
  indexFileName,
  listCaptureFiles,
} from './capture-format.js';
import { formatCaptureRef } from './capture-ref.js';
import { pruneCaptures } from './capture-retention.js';

export interface CaptureWriterOptions {
  readonly dir: string;
  readonly maxFileBytes?: number;
  readonly maxTotalBytes?: number;
  readonly maxAgeDays?: number;
  readonly rotateAfterHours?: number;
  readonly fsyncIntervalMs?: number;
  /** Wall clock for retention and the hourly prune (file ages are file mtimes). */
  readonly now?: () => number;
}

export interface CaptureWriterStats {
  /** Stream offset: bytes handed to `write`, captured or not. */
  readonly streamOffset: number;
  readonly capturedBytes: number;
  readonly droppedChunks: number;
  readonly droppedBytes: number;
  /** The data file being written, if any. */
  readonly currentFile: string | null;
  readonly lastError: string | null;
}

interface OpenFile {
  readonly name: string;
  readonly data: number;
  readonly index: number;
  readonly startedAt: number;
  size: number;
}

interface Segment {
  readonly name: string;
  /** Stream offset of the file's first byte. */
  readonly start: number;
  length: number;
}

const HOUR_MS = 60 * 60 * 1000;

function writeFully(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed or failing: nothing more to do for this descriptor
  }
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported on every platform; the file data itself is still synced
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

export class CaptureWriter {
  readonly dir: string;
  readonly #maxFileBytes: number;
  readonly #maxTotalBytes: number;
  readonly #maxAgeDays: number;
  readonly #rotateAfterMs: number;
  readonly #fsyncIntervalMs: number;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;
  #segments: Segment[] = [];
  #file: OpenFile | undefined;
  #nextSeq: number;
  #streamOffset = 0;
  #capturedBytes = 0;
  #droppedChunks = 0;
  #droppedBytes = 0;
  #dirty = false;
  #lastPrune = 0;
  #lastError: string | null = null;
  #closed = false;

  /** Creates `dir` if needed and applies retention to what is already there. Throws if `dir` cannot be created. */
  constructor(options: CaptureWriterOptions) {
    this.dir = options.dir;
    this.#maxFileBytes = options.maxFileBytes ?? 16 * 1024 * 1024;
    this.#maxTotalBytes = options.maxTotalBytes ?? 1024 * 1024 * 1024;
    this.#maxAgeDays = options.maxAgeDays ?? 90;
    this.#rotateAfterMs = (options.rotateAfterHours ?? 24) * HOUR_MS;
    this.#fsyncIntervalMs = options.fsyncIntervalMs ?? 1000;
    this.#now = options.now ?? Date.now;
    mkdirSync(this.dir, { recursive: true });
    this.#nextSeq = (listCaptureFiles(this.dir).at(-1)?.seq ?? 0) + 1;
    this.prune();
    this.#timer = setInterval(
      () => {
        this.#tick();
      },
      this.#fsyncIntervalMs > 0 ? this.#fsyncIntervalMs : 60_000,
    );
    this.#timer.unref();
  }

  write(chunk: Uint8Array, at: Date = new Date(this.#now())): void {
    const offset = this.#streamOffset;
    this.#streamOffset += chunk.length;
    if (chunk.length === 0) return;
    if (this.#closed) {
      this.#drop(chunk, 'write after close');
      return;
    }
    try {
      const file = this.#fileFor(chunk.length, at);
      writeFully(file.data, chunk);
      writeFully(
        file.index,
        Buffer.from(
          formatIndexLine({ at: at.toISOString(), offset: file.size, length: chunk.length }),
        ),
      );
      file.size += chunk.length;
      this.#capturedBytes += chunk.length;
      this.#record(file.name, offset, chunk.length);
      this.#dirty = true;
      if (this.#fsyncIntervalMs === 0) this.sync();
    } catch (error) {
      this.#drop(chunk, error instanceof Error ? error.message : String(error));
      this.#closeFile();
    }
  }

  /** The reference of the last `length` bytes written (undefined if they were not captured). */
  currentRef(length: number): string | undefined {
    const size = Math.min(Math.max(0, length), this.#streamOffset);
    return this.refAt(this.#streamOffset - size, size);
  }

  /** The reference of stream bytes [`streamOffset`, `streamOffset + length`), if all captured. */
  refAt(streamOffset: number, length: number): string | undefined {
    const end = streamOffset + length;
    const first = this.#segments.findIndex(
      (s) => streamOffset >= s.start && streamOffset < s.start + Math.max(s.length, 1),
    );
    const segment = this.#segments[first];
    if (segment === undefined || length < 0) return undefined;
    let covered = segment.start + segment.length;
    for (const next of this.#segments.slice(first + 1)) {
      if (covered >= end || next.start !== covered) break;
      covered += next.length;
    }
    if (covered < end) return undefined;
    return formatCaptureRef({ file: segment.name, offset: streamOffset - segment.start, length });
  }

  /** fsync data, then index, of the current file if anything was written since the last sync. */
  sync(): void {
    const file = this.#file;
    if (file === undefined || !this.#dirty) return;
    try {
      fdatasyncSync(file.data);
      fdatasyncSync(file.index);
      this.#dirty = false;
    } catch (error) {
      this.#lastError = `fsync ${file.name}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Applies retention now; returns the data files deleted. */
  prune(): string[] {
    this.#lastPrune = this.#now();
    try {
      const removed = pruneCaptures({
        dir: this.dir,
        maxTotalBytes: this.#maxTotalBytes,
        maxAgeDays: this.#maxAgeDays,
        now: this.#lastPrune,
        keep: this.#file === undefined ? [] : [this.#file.name],
      });
      if (removed.length > 0) {
        const gone = new Set(removed);
        this.#segments = this.#segments.filter((segment) => !gone.has(segment.name));
      }
      return removed;
    } catch (error) {
      this.#lastError = `retention: ${error instanceof Error ? error.message : String(error)}`;
      return [];
    }
  }

  stats(): CaptureWriterStats {
    return {
      streamOffset: this.#streamOffset,
      capturedBytes: this.#capturedBytes,
      droppedChunks: this.#droppedChunks,
      droppedBytes: this.#droppedBytes,
      currentFile: this.#file?.name ?? null,
      lastError: this.#lastError,
    };
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      clearInterval(this.#timer);
      this.#closeFile();
    }
    return Promise.resolve();
  }

  #tick(): void {
    this.sync();
    if (this.#now() - this.#lastPrune >= HOUR_MS) this.prune();
  }

  #fileFor(length: number, at: Date): OpenFile {
    const current = this.#file;
    if (current !== undefined) {
      const full = current.size > 0 && current.size + length > this.#maxFileBytes;
      const old = at.getTime() - current.startedAt >= this.#rotateAfterMs;
      if (!full && !old) return current;
      this.#closeFile();
      const opened = this.#openFile(at);
      this.prune();
      return opened;
    }
    return this.#openFile(at);
  }

  #openFile(at: Date): OpenFile {
    for (;;) {
      const name = captureFileName(at, this.#nextSeq++);
      let data: number;
      try {
        data = openSync(join(this.dir, name), 'ax');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      let index: number;
      try {
        index = openSync(join(this.dir, indexFileName(name)), 'a');
      } catch (error) {
        closeQuietly(data);
        throw error;
      }
      syncDirectory(this.dir);
      this.#file = { name, data, index, startedAt: at.getTime(), size: 0 };
      return this.#file;
    }
  }

  #closeFile(): void {
    const file = this.#file;
    if (file === undefined) return;
    this.sync();
    closeQuietly(file.data);
    closeQuietly(file.index);
    this.#file = undefined;
    this.#dirty = false;
  }

  #record(name: string, offset: number, length: number): void {
    const last = this.#segments.at(-1);
    if (last?.name === name && last.start + last.length === offset) last.length += length;
    else this.#segments.push({ name, start: offset, length });
  }

  #drop(chunk: Uint8Array, reason: string): void {
    this.#droppedChunks++;
    this.#droppedBytes += chunk.length;
    this.#lastError = reason;
  }
}
