/**
 * Rebuilds a spool's state from its file's bytes (pure; the file is read in chunks by the caller).
 * Inputs: chunks in file order, starting right after the header, with their file offset.
 * Outputs (`finish`): the entries not yet handed over (number, byte offset and length, in file
 * order), the highest ack and sequence number seen, where to truncate a torn tail, and how many
 * damaged records sit between intact ones.
 * A crash can only tear the end of the file (records are appended and fsync'd in order), so bad
 * bytes after the last intact record are a torn tail, cut off (they were never acknowledged to the
 * caller). Bad lines followed by intact records are damage, not a crash: they are counted so the
 * owner can quarantine a copy of the file; the intact records around them are kept.
 */
import { decodeRecord } from './spool-record.js';

export interface IndexedEntry {
  readonly seq: number;
  readonly offset: number;
  readonly length: number;
}

export interface ScanResult {
  readonly live: IndexedEntry[];
  readonly ackedSeq: number;
  readonly maxSeq: number;
  /** File length to keep; bytes from here on are a torn tail. Undefined when the tail is intact. */
  readonly truncateAt: number | undefined;
  readonly corruptRecords: number;
}

export interface SpoolScanner {
  push(chunk: Buffer): void;
  finish(): ScanResult;
}

const NEWLINE = 0x0a;

export function createSpoolScanner(startOffset: number): SpoolScanner {
  let carry: Buffer[] = [];
  let carryLength = 0;
  let offset = startOffset; // file offset of the first carried byte
  let live: IndexedEntry[] = [];
  let liveHead = 0;
  let ackedSeq = 0;
  let maxSeq = 0;
  let corruptRecords = 0;
  let firstPendingBad: number | undefined;
  let pendingBad = 0;

  const intact = (): void => {
    corruptRecords += pendingBad;
    pendingBad = 0;
    firstPendingBad = undefined;
  };

  const line = (bytes: Buffer, at: number): void => {
    const record = decodeRecord(bytes.toString('utf8', 0, bytes.length - 1));
    if (record === undefined) {
      firstPendingBad ??= at;
      pendingBad++;
      return;
    }
    intact();
    maxSeq = Math.max(maxSeq, record.seq);
    if (record.type === 'entry') {
      if (record.seq > ackedSeq) live.push({ seq: record.seq, offset: at, length: bytes.length });
      return;
    }
    ackedSeq = Math.max(ackedSeq, record.seq);
    while (liveHead < live.length && (live[liveHead]?.seq ?? Infinity) <= ackedSeq) liveHead++;
    if (liveHead > 4096 && liveHead * 2 > live.length) {
      live = live.slice(liveHead);
      liveHead = 0;
    }
  };

  return {
    push(chunk) {
      let start = 0;
      for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, start)) {
        const piece = chunk.subarray(start, i + 1);
        const bytes = carryLength === 0 ? piece : Buffer.concat([...carry, piece]);
        carry = [];
        carryLength = 0;
        line(bytes, offset);
        offset += bytes.length;
        start = i + 1;
      }
      if (start < chunk.length) {
        const rest = Buffer.from(chunk.subarray(start));
        carry.push(rest);
        carryLength += rest.length;
      }
    },
    finish() {
      const tornAt = carryLength > 0 ? offset : undefined;
      const truncateAt = firstPendingBad ?? tornAt;
      return {
        // an ack may precede entries it covers only in a damaged file; filter to be exact
        live: live.slice(liveHead).filter((entry) => entry.seq > ackedSeq),
        ackedSeq,
        maxSeq,
        truncateAt,
        corruptRecords,
      };
    },
  };
}
