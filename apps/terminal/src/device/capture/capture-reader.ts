/**
 * Reading captures back.
 * - `readCapture(file)`: the chunks of one capture (data `.bin` or its `.idx.jsonl` path) with
 *   their arrival times, in order. Index lines that are malformed, partial (a crash mid-append),
 *   out of sequence or pointing past the end of the data are ignored; data bytes no valid line
 *   covers (the tail after a crash) come back as one last chunk with `recovered: true`, timed at
 *   the last indexed chunk (or the file's mtime). A missing index yields one recovered chunk.
 * - `readCaptureRef({ dir, ref })`: the exact bytes a `<file>@<offset>+<length>` reference names,
 *   continuing into the following capture files when the range crosses a rotation; undefined
 *   when the files or bytes are no longer there (retention).
 * Errors: a missing or unreadable data file rejects (ENOENT…). Reads whole files into memory
 * (files are bounded by `maxFileBytes`). No lifecycle.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { dataFileName, indexFileName, listCaptureFiles, parseIndexLine } from './capture-format.js';
import { parseCaptureRef } from './capture-ref.js';

export interface CaptureChunk {
  readonly at: Date;
  /** Byte offset in the data file. */
  readonly offset: number;
  readonly bytes: Uint8Array;
  /** True for the unindexed tail of a capture cut short by a crash. */
  readonly recovered: boolean;
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

export async function readCapture(file: string): Promise<CaptureChunk[]> {
  const dataPath = dataFileName(file);
  const data = await readFile(dataPath);
  const index = await readOptional(join(dirname(dataPath), indexFileName(basename(dataPath))));
  const chunks: CaptureChunk[] = [];
  let next = 0;
  for (const line of index.split('\n')) {
    const entry = parseIndexLine(line);
    if (entry?.offset !== next || entry.offset + entry.length > data.length) continue;
    chunks.push({
      at: new Date(entry.at),
      offset: entry.offset,
      bytes: data.subarray(entry.offset, entry.offset + entry.length),
      recovered: false,
    });
    next += entry.length;
  }
  if (next < data.length) {
    const at = chunks.at(-1)?.at ?? (await stat(dataPath)).mtime;
    chunks.push({ at, offset: next, bytes: data.subarray(next), recovered: true });
  }
  return chunks;
}

export interface ReadCaptureRefOptions {
  readonly dir: string;
  readonly ref: string;
}

export async function readCaptureRef(
  options: ReadCaptureRefOptions,
): Promise<Uint8Array | undefined> {
  const ref = parseCaptureRef(options.ref);
  if (ref === undefined) return undefined;
  const files = listCaptureFiles(options.dir);
  const first = files.findIndex((file) => file.name === ref.file);
  if (first < 0) return undefined;
  const parts: Uint8Array[] = [];
  let offset = ref.offset;
  let missing = ref.length;
  for (const file of files.slice(first)) {
    if (missing === 0) break;
    let data: Buffer;
    try {
      data = await readFile(join(options.dir, file.name));
    } catch {
      return undefined;
    }
    const part = data.subarray(offset, offset + missing);
    parts.push(part);
    missing -= part.length;
    offset = Math.max(0, offset - data.length);
  }
  return missing === 0 ? Buffer.concat(parts) : undefined;
}
