/**
 * The identity store in Redis: a customer token (loyalty card number, customer token) →
 * client_id, user_id, consent flags, hashed email/phone for `user_data` and GA4 user
 * `properties` (at most 25, GA4's name and value rules: user-properties.ts), with `updatedAt`.
 * One JSON value per token at `identityKey`: `<prefix>:identity:<kind>:<token>`. Written by
 * `npx pos-ga4 identities import` (or a CRM sync), read by workers in one round trip per batch
 * through a small in-process cache with TTL.
 */
import { identityKey } from '@pos-ga4/queue-contract';
import type { Redis } from 'ioredis';
import { z } from 'zod';

import { UserPropertiesSchema } from '../map/user-properties.js';

export const IdentityRecordSchema = z.strictObject({
  clientId: z
    .string()
    .regex(/^\d+\.\d+$/, 'a GA client id like 1234567890.1700000000')
    .optional(),
  userId: z.string().min(1).max(256).optional(),
  adUserData: z.enum(['GRANTED', 'DENIED']).optional(),
  adPersonalization: z.enum(['GRANTED', 'DENIED']).optional(),
  emailSha256: z.array(z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  phoneSha256: z.array(z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  /** GA4 user properties of this customer (`prop.<name>` columns of the import). */
  properties: UserPropertiesSchema.optional(),
  updatedAt: z.iso.datetime({ offset: true }),
});

export type IdentityRecord = z.output<typeof IdentityRecordSchema>;

export interface IdentityToken {
  readonly kind: string;
  readonly value: string;
}

const tokenKey = (token: IdentityToken): string => `${token.kind}:${token.value}`;

export class IdentityStore {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(options: { redis: Redis; prefix: string }) {
    this.#redis = options.redis;
    this.#prefix = options.prefix;
  }

  key(token: IdentityToken): string {
    return identityKey(this.#prefix, token);
  }

  async get(tokens: readonly IdentityToken[]): Promise<Map<string, IdentityRecord>> {
    const found = new Map<string, IdentityRecord>();
    if (tokens.length === 0) return found;
    // single-key GETs: identity keys spread over Cluster slots
    const values = await Promise.all(tokens.map((token) => this.#redis.get(this.key(token))));
    values.forEach((value, index) => {
      const token = tokens[index];
      if (value === null || token === undefined) return;
      const parsed = IdentityRecordSchema.safeParse(JSON.parse(value));
      if (parsed.success) found.set(tokenKey(token), parsed.data);
    });
    return found;
  }

  async put(entries: readonly { token: IdentityToken; record: IdentityRecord }[]): Promise<void> {
    await Promise.all(
      entries.map(({ token, record }) =>
        this.#redis.set(this.key(token), JSON.stringify(IdentityRecordSchema.parse(record))),
      ),
    );
  }
}

/** A bounded TTL cache in front of the store; misses are looked up together. */
export class CachedIdentityLookup {
  readonly #store: IdentityStore;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #cache = new Map<string, { record: IdentityRecord | undefined; expires: number }>();

  constructor(options: { store: IdentityStore; ttlMs: number; maxEntries: number }) {
    this.#store = options.store;
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
  }

  async lookup(
    tokens: readonly IdentityToken[],
    now: number,
  ): Promise<Map<string, IdentityRecord>> {
    const result = new Map<string, IdentityRecord>();
    const misses: IdentityToken[] = [];
    for (const token of tokens) {
      const cached = this.#cache.get(tokenKey(token));
      if (cached && cached.expires > now) {
        if (cached.record) result.set(tokenKey(token), cached.record);
      } else misses.push(token);
    }
    const fetched = await this.#store.get(misses);
    for (const token of misses) {
      const record = fetched.get(tokenKey(token));
      if (record) result.set(tokenKey(token), record);
      if (this.#maxEntries > 0 && this.#ttlMs > 0) {
        this.#cache.delete(tokenKey(token));
        this.#cache.set(tokenKey(token), { record, expires: now + this.#ttlMs });
        while (this.#cache.size > this.#maxEntries) {
          const oldest = this.#cache.keys().next().value;
          if (oldest === undefined) break;
          this.#cache.delete(oldest);
        }
      }
    }
    return result;
  }
}

export { tokenKey as identityTokenKey };
