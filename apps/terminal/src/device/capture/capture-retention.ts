/**
 * Retention of capture files in one directory: deletes whole captures (data file and index),
 * oldest first, while the directory's capture files add up to more than `maxTotalBytes`, and
 * every capture whose data file was last written more than `maxAgeDays` ago.
 * Files named in `keep` (the one being written) are never deleted. Files that vanish meanwhile are
 * skipped. Returns the data file names deleted, oldest first. Throws only on unexpected I/O errors
 * (e.g. EACCES on unlink).
 */
import { statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

import { indexFileName, listCaptureFiles } from './capture-format.js';

export interface PruneCapturesOptions {
  readonly dir: string;
  readonly maxTotalBytes: number;
  readonly maxAgeDays: number;
  readonly now: number;
  readonly keep?: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

function sizeAndTime(path: string): { size: number; mtimeMs: number } | undefined {
  try {
    const stat = statSync(path);
    return { size: stat.size, mtimeMs: stat.mtimeMs };
  } catch {
    return undefined;
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export function pruneCaptures(options: PruneCapturesOptions): string[] {
  const keep = new Set(options.keep ?? []);
  const oldestAllowed = options.now - options.maxAgeDays * DAY_MS;
  const files = listCaptureFiles(options.dir).flatMap((file) => {
    const data = sizeAndTime(join(options.dir, file.name));
    if (data === undefined) return [];
    const index = sizeAndTime(join(options.dir, indexFileName(file.name)));
    return [{ name: file.name, bytes: data.size + (index?.size ?? 0), mtimeMs: data.mtimeMs }];
  });
  let total = files.reduce((sum, file) => sum + file.bytes, 0);
  const removed: string[] = [];
  for (const file of files) {
    if (keep.has(file.name)) continue;
    if (total <= options.maxTotalBytes && file.mtimeMs >= oldestAllowed) continue;
    // index first: a crash in between leaves a data file the reader still reads (as recovered)
    removeIfPresent(join(options.dir, indexFileName(file.name)));
    removeIfPresent(join(options.dir, file.name));
    total -= file.bytes;
    removed.push(file.name);
  }
  return removed;
}
