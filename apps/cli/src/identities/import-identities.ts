/**
 * Imports customer identities from CSV into the identity store (worker lookups).
 *
 * Columns (header row required; order free): `kind` (loyalty-card | other), `token`, and any of
 * `clientId`, `userId`, `adUserData`, `adPersonalization` (GRANTED | DENIED), `email`, `phone`.
 * Email and phone are normalised and SHA-256 hashed here (Google's rules): plain values never
 * reach Redis. Rows are validated; bad rows are reported with their line number and skipped, the
 * rest imported in chunks. Streaming: memory stays flat for millions of rows.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

import { hashEmail, hashPhone } from '@pos-ga4/ga4-mp';
import { IdentityRecordSchema, IdentityStore } from '@pos-ga4/worker';
import type { IdentityRecord } from '@pos-ga4/worker';
import { parse } from 'csv-parse';
import type { Redis } from 'ioredis';

export interface ImportResult {
  readonly imported: number;
  readonly rejected: readonly { line: number; reason: string }[];
}

export interface ImportOptions {
  readonly file: string;
  readonly redis: Redis;
  readonly prefix: string;
  readonly now?: () => Date;
  /** Bytes read so far and the file size. */
  readonly onProgress?: (bytes: number, total: number) => void;
}

function split(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[|;]/)
    .map((v) => v.trim())
    .filter(Boolean);
}

export async function importIdentities(options: ImportOptions): Promise<ImportResult> {
  const store = new IdentityStore({ redis: options.redis, prefix: options.prefix });
  const total = (await stat(options.file)).size;
  const input = createReadStream(options.file);
  let bytes = 0;
  input.on('data', (chunk) => {
    bytes += chunk.length;
    options.onProgress?.(bytes, total);
  });
  const parser = input.pipe(
    parse({ columns: true, skip_empty_lines: true, trim: true, bom: true }),
  );
  const rejected: { line: number; reason: string }[] = [];
  let batch: { token: { kind: string; value: string }; record: IdentityRecord }[] = [];
  let imported = 0;
  let line = 1;
  const now = (options.now ?? (() => new Date()))().toISOString();
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    line++;
    const kind = row['kind'] ?? 'loyalty-card';
    const token = row['token'];
    if (kind !== 'loyalty-card' && kind !== 'other') {
      rejected.push({
        line,
        reason: `kind must be loyalty-card or other, got ${JSON.stringify(kind)}`,
      });
      continue;
    }
    if (token === undefined || token === '') {
      rejected.push({ line, reason: 'token is empty' });
      continue;
    }
    const emails = split(row['email']).map(hashEmail);
    const phones = split(row['phone']).flatMap((p) => {
      const hashed = hashPhone(p);
      return hashed === undefined ? [] : [hashed];
    });
    const candidate = {
      ...(row['clientId'] ? { clientId: row['clientId'] } : {}),
      ...(row['userId'] ? { userId: row['userId'] } : {}),
      ...(row['adUserData'] ? { adUserData: row['adUserData'] } : {}),
      ...(row['adPersonalization'] ? { adPersonalization: row['adPersonalization'] } : {}),
      ...(emails.length > 0 ? { emailSha256: emails } : {}),
      ...(phones.length > 0 ? { phoneSha256: phones } : {}),
      updatedAt: now,
    };
    const parsed = IdentityRecordSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      rejected.push({
        line,
        reason: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      });
      continue;
    }
    batch.push({ token: { kind, value: token }, record: parsed.data });
    if (batch.length >= 500) {
      await store.put(batch);
      imported += batch.length;
      batch = [];
    }
  }
  await store.put(batch);
  imported += batch.length;
  return { imported, rejected };
}
