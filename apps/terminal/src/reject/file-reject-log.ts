/**
 * RejectLog as daily JSON-lines files (`<dir>/rejects-YYYY-MM-DD.jsonl`), each record fsync'd
 * before `record` resolves: a rejected receipt survives a crash. Rejections are rare, so the
 * cost of a sync per record is acceptable. `readRejects(dir)` lists them for operators.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { appendFile, open } from 'node:fs/promises';
import { join } from 'node:path';

import type { RejectCode } from '../errors.js';

import type { RejectLog, RejectRecord } from './reject-log.js';

export function fileRejectLog(dir: string, now: () => Date = () => new Date()): RejectLog {
  mkdirSync(dir, { recursive: true });
  return {
    async record(rejection) {
      const at = now();
      const record: RejectRecord<RejectCode> = {
        at: at.toISOString(),
        code: rejection.code,
        reason: rejection.reason,
        format: rejection.format,
        captureRef: rejection.captureRef,
        rawBase64: Buffer.from(rejection.raw).toString('base64'),
        issues: rejection.issues ?? [],
      };
      const file = join(dir, `rejects-${at.toISOString().slice(0, 10)}.jsonl`);
      await appendFile(file, `${JSON.stringify(record)}\n`);
      const handle = await open(file, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    close() {
      return Promise.resolve();
    },
  };
}

export function readRejects(dir: string): RejectRecord[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => /^rejects-\d{4}-\d{2}-\d{2}\.jsonl$/.test(f))
      .sort();
  } catch {
    return [];
  }
  return files.flatMap((f) =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as RejectRecord),
  );
}
