/** Spool record codec and scanner: round trips, checksums, torn tails, damage, any chunking. */
import { chunkings } from '@pos-ga4/testkit';
import { describe, expect, it } from 'vitest';

import { decodeRecord, encodeAck, encodeEntry } from './spool-record.js';
import { createSpoolScanner } from './spool-scan.js';

const line = (bytes: Buffer): string => bytes.toString('utf8').replace(/\n$/, '');

describe('spool records', () => {
  it('round-trips entries (any UTF-8, tabs inside JSON) and acks', () => {
    const payload = JSON.stringify({ name: 'Café\tau lait ☕', n: 1 });
    expect(decodeRecord(line(encodeEntry(7, payload)))).toEqual({ type: 'entry', seq: 7, payload });
    expect(decodeRecord(line(encodeAck(12)))).toEqual({ type: 'ack', seq: 12 });
  });

  it('refuses any single changed byte', () => {
    const bytes = encodeEntry(3, '{"a":"bcdef"}');
    for (let i = 0; i < bytes.length - 1; i++) {
      const damaged = Buffer.from(bytes);
      damaged[i] = (damaged[i] ?? 0) ^ 0x04;
      expect(decodeRecord(line(damaged))).toBeUndefined();
    }
  });

  it('cannot frame an empty payload or one with a newline', () => {
    expect(() => encodeEntry(1, '')).toThrow(TypeError);
    expect(() => encodeEntry(1, 'a\nb')).toThrow(TypeError);
    expect(() => encodeEntry(0, 'a')).toThrow(TypeError);
  });
});

describe('spool scan', () => {
  const records = Buffer.concat([
    encodeEntry(1, '"one"'),
    encodeEntry(2, '"two"'),
    encodeAck(1),
    encodeEntry(3, '"three"'),
  ]);

  it('finds the same live entries whatever the chunking', () => {
    for (const chunks of chunkings(records, { count: 20 })) {
      const scanner = createSpoolScanner(100);
      for (const chunk of chunks) scanner.push(Buffer.from(chunk));
      const result = scanner.finish();
      expect(result.live.map((e) => e.seq)).toEqual([2, 3]);
      expect(result.live[0]?.offset).toBe(100 + encodeEntry(1, '"one"').length);
      expect([result.ackedSeq, result.maxSeq, result.truncateAt, result.corruptRecords]).toEqual([
        1,
        3,
        undefined,
        0,
      ]);
    }
  });

  it('cuts a torn tail (partial line, or damaged lines with nothing intact after them)', () => {
    const torn = createSpoolScanner(0);
    torn.push(Buffer.concat([records, encodeEntry(4, '"four"').subarray(0, 9)]));
    expect(torn.finish()).toMatchObject({ truncateAt: records.length, corruptRecords: 0 });

    const damaged = Buffer.from(encodeEntry(4, '"four"'));
    damaged[5] = 0x7a;
    const bad = createSpoolScanner(0);
    bad.push(Buffer.concat([records, damaged]));
    const result = bad.finish();
    expect(result).toMatchObject({ truncateAt: records.length, corruptRecords: 0 });
    expect(result.live.map((e) => e.seq)).toEqual([2, 3]);
  });

  it('counts damaged records between intact ones and keeps the intact ones', () => {
    const damaged = Buffer.from(encodeEntry(2, '"two"'));
    damaged[damaged.length - 3] = 0x21;
    const scanner = createSpoolScanner(0);
    scanner.push(Buffer.concat([encodeEntry(1, '"one"'), damaged, encodeEntry(3, '"three"')]));
    const result = scanner.finish();
    expect(result.live.map((e) => e.seq)).toEqual([1, 3]);
    expect([result.corruptRecords, result.truncateAt]).toEqual([1, undefined]);
  });
});
