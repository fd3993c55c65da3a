/**
 * Imports customer identities from CSV into the identity store (worker lookups).
 *
 * Columns (header row required; order free): `kind` (loyalty-card | other), `token`, and any of
 * `clientId`, `userId`, `adUserData`, `adPersonalization` (GRANTED | DENIED), `email`, `phone`,
 * and `prop.<name>` columns: GA4 user properties of the customer (`prop.tier` → `tier`, sent as
 * text; GA4's rules: names ≤ 24 characters, values ≤ 36, at most 25; an empty cell sets none).
 * Email and phone are normalised and SHA-256 hashed here (Google's rules): plain values never
 * reach Redis. Rows are validated; bad rows are reported with their line number and skipped, the
 * rest imported in chunks. Streaming: memory stays flat for millions of rows. `loadIdentities`
 * reads the same file into memory for offline mapping (`ga4 map --identities`).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

import { hashEmail, hashPhone } from '@pos-ga4/ga4-mp';
import { identityTokenKey, IdentityRecordSchema, IdentityStore } from '@pos-ga4/worker';
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

/** Columns named `prop.<name>` hold GA4 user properties. */
const PROPERTY_COLUMN = 'prop.';

function split(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[|;]/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** One CSV row: a token and its record, or why the row was skipped. */
export type IdentityRow =
  | {
      readonly line: number;
      readonly token: { kind: string; value: string };
      readonly record: IdentityRecord;
    }
  | { readonly line: number; readonly reason: string };

/** The rows of an identity CSV, validated and hashed, streamed (the one parser of the format). */
export async function* readIdentityRows(
  options: Pick<ImportOptions, 'file' | 'now' | 'onProgress'>,
): AsyncGenerator<IdentityRow> {
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
  let line = 1;
  const now = (options.now ?? (() => new Date()))().toISOString();
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    line++;
    const kind = row['kind'] ?? 'loyalty-card';
    const token = row['token'];
    if (kind !== 'loyalty-card' && kind !== 'other') {
      yield { line, reason: `kind must be loyalty-card or other, got ${JSON.stringify(kind)}` };
      continue;
    }
    if (token === undefined || token === '') {
      yield { line, reason: 'token is empty' };
      continue;
    }
    const emails = split(row['email']).map(hashEmail);
    const phones = split(row['phone']).flatMap((p) => {
      const hashed = hashPhone(p);
      return hashed === undefined ? [] : [hashed];
    });
    const properties = Object.fromEntries(
      Object.entries(row).flatMap(([column, value]) =>
        column.startsWith(PROPERTY_COLUMN) && value !== ''
          ? [[column.slice(PROPERTY_COLUMN.length), value]]
          : [],
      ),
    );
    const candidate = {
      ...(row['clientId'] ? { clientId: row['clientId'] } : {}),
      ...(row['userId'] ? { userId: row['userId'] } : {}),
      ...(row['adUserData'] ? { adUserData: row['adUserData'] } : {}),
      ...(row['adPersonalization'] ? { adPersonalization: row['adPersonalization'] } : {}),
      ...(emails.length > 0 ? { emailSha256: emails } : {}),
      ...(phones.length > 0 ? { phoneSha256: phones } : {}),
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
      updatedAt: now,
    };
    const parsed = IdentityRecordSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      yield { line, reason: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
      continue;
    }
    yield { line, token: { kind, value: token }, record: parsed.data };
  }
}

export async function importIdentities(options: ImportOptions): Promise<ImportResult> {
  const store = new IdentityStore({ redis: options.redis, prefix: options.prefix });
  const rejected: { line: number; reason: string }[] = [];
  let batch: { token: { kind: string; value: string }; record: IdentityRecord }[] = [];
  let imported = 0;
  for await (const row of readIdentityRows(options)) {
    if ('reason' in row) {
      rejected.push(row);
      continue;
    }
    batch.push({ token: row.token, record: row.record });
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

/** An identity CSV in memory, keyed as workers look tokens up (`ga4 map --identities`). */
export async function loadIdentities(file: string): Promise<{
  identities: Map<string, IdentityRecord>;
  rejected: { line: number; reason: string }[];
}> {
  const identities = new Map<string, IdentityRecord>();
  const rejected: { line: number; reason: string }[] = [];
  for await (const row of readIdentityRows({ file })) {
    if ('reason' in row) rejected.push(row);
    else identities.set(identityTokenKey(row.token), row.record);
  }
  return { identities, rejected };
}
