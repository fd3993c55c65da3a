/**
 * The spool file's records, as bytes (pure). A spool file is UTF-8 text, one record per line:
 *
 *   POSGA4-SPOOL 1\n                          header (format version)
 *   E\t<seq>\t<crc32>\t<payload>\n           entry: a payload (one line of JSON) with its number
 *   A\t<seq>\t<crc32>\n                       ack: every entry with a number ≤ seq is handed over
 *
 * `<crc32>` is 8 lower-case hex digits of CRC-32 over the line without the checksum field and its
 * tab (`E\t<seq>\t<payload>` or `A\t<seq>`), so a torn or damaged line is recognised.
 * Inputs: sequence numbers are safe positive integers; payloads are non-empty and hold no `\n`.
 * Errors: `encodeEntry` throws TypeError on a payload it cannot frame; `decodeRecord` never
 * throws: it answers `undefined` for anything that is not a well-formed, intact record.
 */
import { crc32 } from 'node:zlib';

export const SPOOL_HEADER = 'POSGA4-SPOOL 1\n';

export type SpoolRecord =
  | { readonly type: 'entry'; readonly seq: number; readonly payload: string }
  | { readonly type: 'ack'; readonly seq: number };

function checksum(text: string): string {
  return crc32(text).toString(16).padStart(8, '0');
}

function checkSeq(seq: number): void {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new TypeError(`bad spool sequence ${seq}`);
}

export function encodeEntry(seq: number, payload: string): Buffer {
  checkSeq(seq);
  if (payload === '' || payload.includes('\n')) {
    throw new TypeError('a spool payload must be one non-empty line');
  }
  const body = `E\t${seq}\t${payload}`;
  return Buffer.from(`E\t${seq}\t${checksum(body)}\t${payload}\n`, 'utf8');
}

export function encodeAck(seq: number): Buffer {
  checkSeq(seq);
  return Buffer.from(`A\t${seq}\t${checksum(`A\t${seq}`)}\n`, 'utf8');
}

const SEQ = /^[1-9]\d{0,15}$/;
const CRC = /^[0-9a-f]{8}$/;

/** Decodes one line (without its `\n`). */
export function decodeRecord(line: string): SpoolRecord | undefined {
  const type = line[0];
  if (type === 'A') {
    const [, seqText, crc, extra] = line.split('\t');
    if (seqText === undefined || crc === undefined || extra !== undefined) return undefined;
    if (!SEQ.test(seqText) || !CRC.test(crc) || checksum(`A\t${seqText}`) !== crc) return undefined;
    return { type: 'ack', seq: Number(seqText) };
  }
  if (type === 'E') {
    const second = line.indexOf('\t', 2);
    const third = second < 0 ? -1 : line.indexOf('\t', second + 1);
    if (line[1] !== '\t' || second < 0 || third < 0) return undefined;
    const seqText = line.slice(2, second);
    const crc = line.slice(second + 1, third);
    const payload = line.slice(third + 1);
    if (!SEQ.test(seqText) || !CRC.test(crc) || payload === '') return undefined;
    if (checksum(`E\t${seqText}\t${payload}`) !== crc) return undefined;
    return { type: 'entry', seq: Number(seqText), payload };
  }
  return undefined;
}
