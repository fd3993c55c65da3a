import { FakeHidProvider, hidPosReports, usKeyboardReports } from '@pos-ga4/testkit';
import type { FakeHidDeviceInfo } from '@pos-ga4/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { signAppQr } from '../../scan/index.js';
import type { ScannedBarcode } from '../../scan/index.js';
import { HidScanSource } from './hid-scan-source.js';
import type { HidScanSourceOptions, HidSourceStatus } from './hid-scan-source.js';

const START = Date.parse('2026-11-26T10:00:00Z');
const KEYBOARD: FakeHidDeviceInfo = {
  vendorId: 0x0c2e,
  productId: 0x0b61,
  path: '/dev/hidraw3',
  usagePage: 0x01,
  usage: 0x06,
  manufacturer: 'Honeywell',
  product: 'Fake 1950g',
};
const POS: FakeHidDeviceInfo = { ...KEYBOARD, path: '/dev/hidraw4', usagePage: 0x8c, usage: 0x02 };
const CLIENT_A = 'GA1.1.1197596843.1732615200';
const CLIENT_B = '2094562311.1764150000';

interface Harness {
  readonly provider: FakeHidProvider;
  readonly source: HidScanSource;
  readonly scans: ScannedBarcode[];
  readonly statuses: HidSourceStatus[];
  readonly listedAt: number[];
  readonly done: Promise<void>;
}

function harness(
  devices: readonly FakeHidDeviceInfo[],
  options: Partial<HidScanSourceOptions> = {},
): Harness {
  const provider = new FakeHidProvider(devices);
  const listedAt: number[] = [];
  const statuses: HidSourceStatus[] = [];
  const source = new HidScanSource({
    provider: {
      list: () => {
        listedAt.push(Date.now() - START);
        return provider.list();
      },
      open: (info) => provider.open(info),
    },
    device: { vendorId: KEYBOARD.vendorId, productId: KEYBOARD.productId },
    decoder: { mode: 'keyboard' },
    onStateChange: (state) => {
      if (statuses.at(-1) !== state.status) statuses.push(state.status);
    },
    ...options,
  });
  const scans: ScannedBarcode[] = [];
  const done = (async () => {
    for await (const scan of source) scans.push(scan);
  })();
  return { provider, source, scans, statuses, listedAt, done };
}

/** Lets promise chains (list → open → connect, iterator hand-offs) run, plus `ms` of timers. */
async function settle(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

function typeScan(h: Harness, text: string): void {
  const device = h.provider.current;
  if (device === undefined) throw new Error('no open device');
  device.emitReports(usKeyboardReports(text));
}

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('HidScanSource', () => {
  it('opens the configured scanner and turns its reports into classified scans', async () => {
    const h = harness([{ vendorId: 0x046d, productId: 0xc31c, path: '/dev/hidraw0' }, KEYBOARD]);
    await settle();
    expect(h.source.state).toMatchObject({ status: 'connected', device: KEYBOARD, connects: 1 });
    expect(h.provider.opened.map((d) => d.info.path)).toEqual(['/dev/hidraw3']);

    await settle(5_000);
    typeScan(h, `${CLIENT_A}\n`);
    typeScan(h, '4006381333931\n');
    await settle();
    expect(h.scans.map((s) => [s.data, s.classification.kind, s.terminator])).toEqual([
      [CLIENT_A, 'ga-client-id', 'enter'],
      ['4006381333931', 'gtin', 'enter'],
    ]);
    expect(h.scans[0]?.at).toBe('2026-11-26T10:00:05.000Z');
    expect(h.scans[0]?.raw).toHaveLength(CLIENT_A.length * 2 + 1);
    expect(h.scans[0]?.raw[0]).toBe('02000a0000000000'); // Shift + g
    expect(h.source.state.scans).toBe(2);
    await h.source.close();
    await h.done;
  });

  it('completes a scan without terminator after the inter-scan timeout', async () => {
    const h = harness([KEYBOARD], {
      decoder: { mode: 'keyboard', keyboard: { interScanTimeoutMs: 80 } },
    });
    await settle();
    typeScan(h, 'LOYAL-42');
    await settle(79);
    expect(h.scans).toEqual([]);
    await settle(1);
    expect(h.scans.map((s) => [s.data, s.terminator])).toEqual([['LOYAL-42', 'timeout']]);
    await h.source.close();
  });

  it('survives an unplug: disconnected, re-lists with capped backoff, resumes after replug, loses and repeats nothing', async () => {
    const h = harness([KEYBOARD], { backoff: { initialMs: 100, factor: 2, maxMs: 400 } });
    await settle();
    typeScan(h, `${CLIENT_A}\n`);
    const first = h.provider.current;
    typeScan(h, 'PARTIAL'); // the scanner is pulled out in the middle of the next scan
    h.provider.unplug('/dev/hidraw3');
    await settle();
    expect(h.source.state.status).toBe('disconnected');
    expect(h.source.state.lastError?.message).toMatch(/device lost: could not read/);
    expect(h.provider.closeCount).toBe(1);
    expect(first?.emitReport('0000040000000000')).toBe(false); // a dead handle delivers nothing

    await settle(100 + 200 + 400 + 400);
    expect(h.listedAt).toEqual([0, 100, 300, 700, 1100]);
    expect(h.source.state).toMatchObject({ status: 'searching', failedAttempts: 4 });
    expect(h.source.state.lastError?.message).toMatch(/no HID device matches 0c2e:0b61/);

    h.provider.plug(KEYBOARD);
    await settle(400);
    expect(h.source.state).toMatchObject({ status: 'connected', connects: 2, failedAttempts: 0 });
    expect(h.provider.openCount).toBe(2);
    typeScan(h, `${CLIENT_B}\n`);
    await settle();

    expect(h.scans.map((s) => s.data)).toEqual([CLIENT_A, 'PARTIAL', CLIENT_B]);
    expect(h.scans[1]?.terminator).toBe('timeout');
    expect(h.scans[1]?.warnings?.join()).toMatch(/may be incomplete/);
    expect(h.statuses).toEqual([
      'searching',
      'connected',
      'disconnected',
      'searching',
      'connected',
    ]);

    // the next loss starts the backoff from the beginning again
    h.provider.current?.emitError(new Error('read error'));
    await settle(99);
    expect(h.listedAt.at(-1)).toBe(1500);
    await settle(1);
    expect(h.listedAt.at(-1)).toBe(1600);
    await h.source.close();
  });

  it('close() stops reconnecting, closes the device and ends the iteration', async () => {
    const h = harness([KEYBOARD]);
    await settle();
    h.provider.unplug('/dev/hidraw3');
    await settle(250);
    const lists = h.listedAt.length;
    await h.source.close();
    await h.done;
    await settle(60_000);
    expect(h.listedAt.length).toBe(lists);
    expect(h.source.state.status).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() while connected delivers a pending scan, then ends', async () => {
    const h = harness([KEYBOARD]);
    await settle();
    typeScan(h, 'ABC');
    await h.source.close();
    await h.done;
    expect(h.scans.map((s) => s.data)).toEqual(['ABC']);
    expect(h.provider.closeCount).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    h.source.start(); // a closed source stays closed
    await settle(1_000);
    expect(h.provider.openCount).toBe(1);
  });

  it('records list and open failures and retries', async () => {
    const provider = new FakeHidProvider([KEYBOARD]);
    provider.failNextList(new Error('cannot load node-hid'));
    const source = new HidScanSource({
      provider,
      device: { path: '/dev/hidraw3' },
      decoder: { mode: 'keyboard' },
    });
    source.start();
    await settle();
    expect(source.state).toMatchObject({
      status: 'searching',
      failedAttempts: 1,
      lastError: { message: 'cannot load node-hid' },
    });
    expect(source.state.nextAttemptAt).toBe('2026-11-26T10:00:00.250Z');
    provider.failNextOpen(new Error('EACCES: permission denied, open /dev/hidraw3'));
    await settle(250);
    expect(source.state.lastError?.message).toMatch(/EACCES/);
    await settle(500);
    expect(source.state.status).toBe('connected');
    expect(provider.openCount).toBe(2);
    await source.close();
    expect(provider.closeCount).toBe(1);
  });

  it('in pos mode prefers the HID POS interface of the scanner and keeps the symbology', async () => {
    const h = harness([KEYBOARD, POS], { decoder: { mode: 'pos' } });
    await settle();
    expect(h.provider.current?.info.path).toBe('/dev/hidraw4');
    h.provider.current?.emitReports(hidPosReports('4006381333931', { symbology: ']E0' }));
    await settle();
    expect(h.scans).toMatchObject([
      { data: '4006381333931', symbology: ']E0', classification: { kind: 'gtin' } },
    ]);
    expect(h.scans[0]?.terminator).toBeUndefined();
    await h.source.close();
  });

  it('verifies app QR codes with the configured keys; a bad key config does not lose scans', async () => {
    const key = 's'.repeat(32);
    const qr = signAppQr({ key, kid: 'k1', clientId: CLIENT_B, issuedAt: START / 1000 });
    const good = harness([POS], {
      decoder: { mode: 'pos' },
      classify: { appQr: { keys: { k1: key } } },
    });
    await settle();
    good.provider.current?.emitReports(hidPosReports(qr, { symbology: ']Q1' }));
    await settle();
    expect(good.scans[0]?.classification).toMatchObject({ kind: 'app-qr', clientId: CLIENT_B });
    await good.source.close();

    const bad = harness([POS], {
      decoder: { mode: 'pos' },
      classify: { appQr: { keys: { k1: 'short' } } },
    });
    await settle();
    bad.provider.current?.emitReports(hidPosReports(qr));
    await settle();
    expect(bad.scans.map((s) => s.classification.kind)).toEqual(['app-qr-invalid']);
    expect(bad.source.state.lastError?.message).toMatch(/classification failed/);
    await bad.source.close();
  });

  it('rejects an empty selector and invalid decoder options at construction', () => {
    const provider = new FakeHidProvider();
    expect(
      () => new HidScanSource({ provider, device: {}, decoder: { mode: 'keyboard' } }),
    ).toThrow(TypeError);
    expect(
      () =>
        new HidScanSource({
          provider,
          device: { usagePage: 0x8c },
          decoder: { mode: 'keyboard', keyboard: { interScanTimeoutMs: -1 } },
        }),
    ).toThrow(TypeError);
  });
});
