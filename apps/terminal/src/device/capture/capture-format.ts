/**
 * The on-disk capture format, pure except `listCaptureFiles` (reads a directory).
 * - Data: `capture-YYYYMMDD-HHMMSS-<seq>.bin`, the received bytes exactly, appended; the time is
 *   the UTC arrival time of the file's first chunk, `<seq>` (6+ digits) increases per directory
 *   and orders the files.
 * - Index: `capture-YYYYMMDD-HHMMSS-<seq>.idx.jsonl`, one line per chunk,
 *   `{"at":"<ISO 8601>","offset":<byte offset in the .bin>,"length":<bytes>}`.
 */
import { readdirSync } from 'node:fs';

export const CAPTURE_FILE_PATTERN = /^capture-(\d{8})-(\d{6})-(\d+)\.bin$/;

export interface CaptureIndexEntry {
  readonly at: string;
  readonly offset: number;
  readonly length: number;
}

export interface CaptureFileName {
  readonly name: string;
  readonly seq: number;
}

export function captureFileName(at: Date, seq: number): string {
  const iso = at.toISOString(); // 2024-05-01T10:00:00.000Z
  const day = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 19).replaceAll(':', '');
  return `capture-${day}-${time}-${String(seq).padStart(6, '0')}.bin`;
}

/** The index file beside a data file (`x.bin` → `x.idx.jsonl`). */
export function indexFileName(dataFile: string): string {
  return `${dataFile.replace(/\.bin$/, '')}.idx.jsonl`;
}

/** The data file of a capture given by its data or index file name. */
export function dataFileName(file: string): string {
  return file.endsWith('.idx.jsonl') ? `${file.slice(0, -'.idx.jsonl'.length)}.bin` : file;
}

export function parseCaptureFileName(name: string): CaptureFileName | undefined {
  const match = CAPTURE_FILE_PATTERN.exec(name);
  const seq = match?.[3];
  return seq === undefined ? undefined : { name, seq: Number(seq) };
}

/** Capture data files in `dir`, oldest first (by sequence number); [] when `dir` is missing. */
export function listCaptureFiles(dir: string): CaptureFileName[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map(parseCaptureFileName)
    .filter((file) => file !== undefined)
    .sort((a, b) => a.seq - b.seq);
}

export function formatIndexLine(entry: CaptureIndexEntry): string {
  return `${JSON.stringify({ at: entry.at, offset: entry.offset, length: entry.length })}\n`;
}

/** One index line, or undefined when it is not a complete, well-formed entry. */
export function parseIndexLine(line: string): CaptureIndexEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { at, offset, length } = value as Record<string, unknown>;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return undefined;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) return undefined;
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length <= 0) return undefined;
  return { at, offset, length };
}
