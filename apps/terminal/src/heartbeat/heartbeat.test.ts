/** Heartbeat record layout and codec, silence check, and a publisher that never throws or piles up. */
import { afterEach, describe, expect, it } from 'vitest';

import { startHeartbeat } from './heartbeat-publisher.js';
import type { HeartbeatPublisher } from './heartbeat-publisher.js';
import {
  decodeHeartbeat,
  encodeHeartbeat,
  heartbeatIndexKey,
  heartbeatKey,
  parseMember,
} from './heartbeat-record.js';
import type { TerminalHeartbeat } from './heartbeat-record.js';
import { assessLiveness } from './terminal-liveness.js';

const sample: TerminalHeartbeat = {
  storeId: 'berlin-01',
  terminalId: 'till-1',
  version: '0.1.0',
  hostname: 'pos-7',
  pid: 4242,
  startedAt: '2026-11-26T08:00:00.000Z',
  lastSeenAt: '2026-11-26T10:00:00.000Z',
  intervalMs: 15000,
  devices: { printer: 'ok', scanner: 'disconnected' },
  spool: { depth: 12, alarm: false, full: false },
  lastReceiptAt: '2026-11-26T09:59:30.000Z',
};

describe('heartbeat record', () => {
  it('round-trips through a Redis hash, with and without optional parts', () => {
    expect(decodeHeartbeat(encodeHeartbeat(sample))).toEqual(sample);
    const bare = { ...sample, spool: undefined, lastReceiptAt: undefined, devices: {} };
    expect(decodeHeartbeat(encodeHeartbeat(bare))).toEqual(bare);
    expect(decodeHeartbeat({ ...encodeHeartbeat(sample), devices: '[1]' })).toBeUndefined();
    expect(decodeHeartbeat({})).toBeUndefined();
  });

  it('lives under the prefix, one hash per terminal and an index', () => {
    expect(heartbeatIndexKey('pos-ga4')).toBe('pos-ga4:{terminals}');
    expect(heartbeatKey('pos-ga4', sample)).toBe('pos-ga4:{terminals}:berlin-01:till-1');
    expect(parseMember('berlin-01:till-1')).toEqual({ storeId: 'berlin-01', terminalId: 'till-1' });
  });
});

describe('terminal liveness', () => {
  it('flags terminals silent for longer than the threshold, sorted by store and terminal', () => {
    const nowMs = Date.parse('2026-11-26T10:00:00Z');
    const rows = assessLiveness(
      [
        { storeId: 's2', terminalId: 't1', lastSeenMs: nowMs - 121_000, heartbeat: undefined },
        { storeId: 's1', terminalId: 't2', lastSeenMs: nowMs - 120_000, heartbeat: undefined },
        { storeId: 's1', terminalId: 't1', lastSeenMs: nowMs - 5_000, heartbeat: sample },
      ],
      { nowMs, silentAfterSeconds: 120 },
    );
    expect(rows.map((r) => [r.storeId, r.terminalId, r.ageSeconds, r.silent])).toEqual([
      ['s1', 't1', 5, false],
      ['s1', 't2', 120, false],
      ['s2', 't1', 121, true],
    ]);
  });
});

const publishers: HeartbeatPublisher[] = [];
afterEach(async () => {
  for (const publisher of publishers.splice(0)) await publisher.close();
});

describe('heartbeat publisher', () => {
  const identity = { storeId: 'berlin-01', terminalId: 'till-1', version: '0.1.0' };

  it('publishes at start with what the providers say', async () => {
    const written: TerminalHeartbeat[] = [];
    const publisher = startHeartbeat({
      store: { write: (h) => Promise.resolve(void written.push(h)) },
      identity,
      devices: () => ({ printer: 'ok' }),
      spool: () => ({ depth: 3, alarm: false, full: false }),
      lastReceiptAt: () => '2026-11-26T09:00:00.000Z',
    });
    publishers.push(publisher);
    await publisher.publishNow();
    expect(written[0]).toMatchObject({
      ...identity,
      devices: { printer: 'ok' },
      spool: { depth: 3 },
      lastReceiptAt: '2026-11-26T09:00:00.000Z',
      pid: process.pid,
    });
  });

  it('never throws or piles up when the store fails, hangs or a provider throws', async () => {
    const errors: unknown[] = [];
    let writes = 0;
    let mode: 'fail' | 'hang' = 'fail';
    const publisher = startHeartbeat({
      store: {
        write: () => {
          writes++;
          return mode === 'fail'
            ? Promise.reject(new Error("Stream isn't writeable"))
            : new Promise<void>(() => undefined);
        },
      },
      identity,
      timeoutMs: 30,
      devices: () => {
        throw new Error('device layer down');
      },
      onError: (e) => errors.push(e),
    });
    publishers.push(publisher);
    expect(await publisher.publishNow()).toBe(false);
    mode = 'hang';
    const before = writes;
    const beats = await Promise.all([publisher.publishNow(), publisher.publishNow()]);
    expect(beats).toEqual([false, false]);
    expect(writes).toBe(before + 1);
    expect(errors.map((e) => (e as Error).message)).toContain('device layer down');
    expect(errors.map((e) => (e as Error).message)).toContain('heartbeat not stored within 30 ms');
    expect(publisher.stats()).toMatchObject({ published: 0 });
    expect(publisher.stats().failed).toBeGreaterThanOrEqual(2);
  });
});
