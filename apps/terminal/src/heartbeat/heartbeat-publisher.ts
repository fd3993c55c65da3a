/**
 * Publishes this terminal's heartbeat every `intervalMs` (default 15 s) and once at start.
 * Inputs: a HeartbeatStore (e.g. Redis over a fail-fast producer connection), identity and
 * version, and providers read at each beat: `devices` (device → state), `spool` (depth, alarm,
 * full), `lastReceiptAt`. A provider that throws is reported and its part left out.
 * Never blocks or crashes the terminal: a beat that fails or takes longer than `timeoutMs`
 * (default 5 s) is reported to `onError` and dropped; a beat never starts while the previous one
 * is still pending; the timer is unref'd.
 * Outputs: `publishNow()` (true when stored), `stats()`.
 * Lifecycle: starts at once; `close()` stops the timer and waits for a pending beat (bounded by
 * the timeout). Does not close the store's connection.
 */
import { hostname } from 'node:os';

import type { TerminalHeartbeat } from './heartbeat-record.js';
import type { HeartbeatStore } from './redis-heartbeat-store.js';

export interface HeartbeatPublisherOptions {
  readonly store: Pick<HeartbeatStore, 'write'>;
  readonly identity: {
    readonly storeId: string;
    readonly terminalId: string;
    readonly version: string;
  };
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly devices?: () => Readonly<Record<string, string>>;
  readonly spool?: () => {
    readonly depth: number;
    readonly alarm: boolean;
    readonly full: boolean;
  };
  readonly lastReceiptAt?: () => string | undefined;
  readonly onError?: (error: unknown) => void;
  readonly now?: () => Date;
}

export interface HeartbeatStats {
  readonly published: number;
  readonly failed: number;
  readonly lastPublishedAt: string | undefined;
  readonly lastError: string | undefined;
}

export interface HeartbeatPublisher {
  publishNow(): Promise<boolean>;
  stats(): HeartbeatStats;
  close(): Promise<void>;
}

export function startHeartbeat(options: HeartbeatPublisherOptions): HeartbeatPublisher {
  const intervalMs = options.intervalMs ?? 15_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const host = hostname();
  let pending: Promise<boolean> | undefined;
  let closed = false;
  let published = 0;
  let failed = 0;
  let lastPublishedAt: string | undefined;
  let lastError: string | undefined;

  const report = (error: unknown): void => {
    try {
      options.onError?.(error);
    } catch {
      // a reporting callback must not break the heartbeat
    }
  };

  const read = <T>(provider: (() => T) | undefined): T | undefined => {
    if (provider === undefined) return undefined;
    try {
      return provider();
    } catch (error) {
      report(error);
      return undefined;
    }
  };

  const beat = async (): Promise<boolean> => {
    const heartbeat: TerminalHeartbeat = {
      ...options.identity,
      hostname: host,
      pid: process.pid,
      startedAt,
      lastSeenAt: now().toISOString(),
      intervalMs,
      devices: read(options.devices) ?? {},
      spool: read(options.spool),
      lastReceiptAt: read(options.lastReceiptAt),
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        options.store.write(heartbeat),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new Error(`heartbeat not stored within ${timeoutMs} ms`));
          }, timeoutMs);
        }),
      ]);
      published++;
      lastPublishedAt = heartbeat.lastSeenAt;
      return true;
    } catch (error) {
      failed++;
      lastError = error instanceof Error ? error.message : String(error);
      report(error);
      return false;
    } finally {
      clearTimeout(timer);
    }
  };

  const publishNow = (): Promise<boolean> => {
    if (closed) return Promise.resolve(false);
    pending ??= beat().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const timer = setInterval(() => void publishNow(), intervalMs);
  timer.unref();
  void publishNow();

  return {
    publishNow,
    stats: () => ({ published, failed, lastPublishedAt, lastError }),
    async close() {
      closed = true;
      clearInterval(timer);
      await pending;
    },
  };
}
