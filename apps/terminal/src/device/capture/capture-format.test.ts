import { describe, expect, it } from 'vitest';

import {
  captureFileName,
  dataFileName,
  formatIndexLine,
  indexFileName,
  parseCaptureFileName,
  parseIndexLine,
} from './capture-format.js';
import { formatCaptureRef, parseCaptureRef } from './capture-ref.js';

describe('capture format', () => {
  it('names data and index files by first-chunk time (UTC) and sequence', () => {
    const name = captureFileName(new Date('2024-05-01T09:08:07.654Z'), 42);
    expect(name).toBe('capture-20240501-090807-000042.bin');
    expect(indexFileName(name)).toBe('capture-20240501-090807-000042.idx.jsonl');
    expect(dataFileName(indexFileName(name))).toBe(name);
    expect(parseCaptureFileName(name)).toEqual({ name, seq: 42 });
    expect(parseCaptureFileName('capture-20240501-090807-1234567.bin')?.seq).toBe(1234567);
    expect(parseCaptureFileName('capture-20240501-090807-000042.idx.jsonl')).toBeUndefined();
    expect(parseCaptureFileName('notes.txt')).toBeUndefined();
  });

  it('writes one JSON line per chunk and reads back only complete entries', () => {
    const line = formatIndexLine({ at: '2024-05-01T09:08:07.654Z', offset: 10, length: 5 });
    expect(line).toBe('{"at":"2024-05-01T09:08:07.654Z","offset":10,"length":5}\n');
    expect(parseIndexLine(line.trim())).toEqual({
      at: '2024-05-01T09:08:07.654Z',
      offset: 10,
      length: 5,
    });
    expect(parseIndexLine(line.slice(0, 30))).toBeUndefined();
    expect(parseIndexLine('{"at":"x","offset":0,"length":1}')).toBeUndefined();
    expect(parseIndexLine('{"at":"2024-05-01T09:08:07Z","offset":-1,"length":1}')).toBeUndefined();
    expect(parseIndexLine('{"at":"2024-05-01T09:08:07Z","offset":0,"length":0}')).toBeUndefined();
    expect(parseIndexLine('')).toBeUndefined();
    expect(parseIndexLine('null')).toBeUndefined();
  });

  it('formats and parses capture references', () => {
    const ref = { file: 'capture-20240501-090807-000042.bin', offset: 123, length: 45 };
    expect(formatCaptureRef(ref)).toBe('capture-20240501-090807-000042.bin@123+45');
    expect(parseCaptureRef(formatCaptureRef(ref))).toEqual(ref);
    expect(parseCaptureRef('a@b@1+2')).toEqual({ file: 'a@b', offset: 1, length: 2 });
    expect(parseCaptureRef('file@1')).toBeUndefined();
    expect(parseCaptureRef('@1+2')).toBeUndefined();
  });
});
