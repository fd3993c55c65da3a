import { createRequire } from 'node:module';

import type { MockBindingInterface, MockPortBinding } from '@serialport/binding-mock' with {
  'resolution-mode': 'require',
};
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { SerialBinding } from './serial-binding.js';
import { SerialByteSource } from './serial-byte-source.js';
import type { SerialClock } from './serial-clock.js';
import { SerialSourceConfigSchema } from './serial-config.js';
import type { SerialSourceConfigInput } from './serial-config.js';
import type { SerialDeviceState } from './serial-device-state.js';

// The package's ESM entry ships no types: load its CommonJS build, typed.
const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as {
  MockBinding: MockBindingInterface;
};

const PATH = '/dev/ttyMOCK0';
const START = Date.parse('2024-05-01T10:00:00.000Z');

/** MockBinding that remembers every port binding it opened (they exist only after open). */
function recordingBinding(): { binding: SerialBinding; opened: MockPortBinding[] } {
  const opened: MockPortBinding[] = [];
  return {
    opened,
    binding: {
      list: () => MockBinding.list(),
      open: async (options) => {
        const port = await MockBinding.open(options);
        opened.push(port);
        return port;
      },
    },
  };
}

/** Sleeps are recorded and take ~1 ms; watchdog timers fire only when the test says so. */
function testClock(): { clock: SerialClock; sleeps: number[]; expireTimers: () => number } {
  let now = START;
  const sleeps: number[] = [];
  const timers = new Set<() => void>();
  return {
    sleeps,
    expireTimers: () => {
      const due = [...timers];
      timers.clear();
      for (const fire of due) fire();
      return due.length;
    },
    clock: {
      now: () => now,
      sleep: (ms, signal) => {
        sleeps.push(ms);
        now += ms;
        return new Promise((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, 1);
          signal.addEventListener('abort', done, { once: true });
        });
      },
      startTimer: (_ms, onExpire) => {
        timers.add(onExpire);
        return () => timers.delete(onExpire);
      },
    },
  };
}

function config(input: Partial<SerialSourceConfigInput> = {}) {
  return SerialSourceConfigSchema.parse({
    type: 'serial',
    path: PATH,
    reconnect: { initialDelayMs: 10, maxDelayMs: 40 },
    ...input,
  });
}

function collect(source: AsyncIterable<Uint8Array>) {
  const chunks: Uint8Array[] = [];
  const done = (async () => {
    for await (const chunk of source) chunks.push(chunk);
  })();
  return { chunks, done, text: () => Buffer.concat(chunks).toString('latin1') };
}

/** Unplug as upstream's stream tests do: the next read fails with a non-cancel error. */
function unplug(port: MockPortBinding): void {
  port.read = () =>
    Promise.reject(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
  port.emitData(Buffer.alloc(0)); // wakes the pending read, which now calls the failing read
}

const messages = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, i) => `msg-${String(from + i).padStart(4, '0')}\n`);

function latest(opened: readonly MockPortBinding[]): MockPortBinding {
  const port = opened.at(-1);
  if (port === undefined) throw new Error('no port opened yet');
  return port;
}

describe('SerialByteSource', () => {
  const sources: SerialByteSource[] = [];
  const track = (source: SerialByteSource): SerialByteSource => {
    sources.push(source);
    return source;
  };

  afterEach(async () => {
    await Promise.all(sources.splice(0).map((source) => source.close()));
    MockBinding.reset();
  });

  it('yields the bytes emitted after open, in order, and ends on close', async () => {
    MockBinding.createPort(PATH);
    const { binding, opened } = recordingBinding();
    const source = track(new SerialByteSource({ config: config(), binding }));
    expect(source.name).toBe(`serial:${PATH}`);
    const received = collect(source);
    await vi.waitFor(() => {
      expect(source.state.state).toBe('open');
    });
    const sent = messages(0, 200);
    for (const [i, message] of sent.entries()) {
      latest(opened).emitData(message);
      if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await vi.waitFor(() => {
      expect(received.text()).toBe(sent.join(''));
    });
    await source.close();
    await received.done;
    expect(source.state).toMatchObject({
      state: 'closed',
      path: PATH,
      reconnects: 0,
      lastError: null,
    });
    // the port was released: it opens again
    const again = await MockBinding.open({ path: PATH, baudRate: 9600 });
    await again.close();
  });

  it('opens with the configured line settings', async () => {
    MockBinding.createPort(PATH);
    const { binding, opened } = recordingBinding();
    track(
      new SerialByteSource({
        config: config({ baudRate: 19200, dataBits: 7, parity: 'even', stopBits: 2, rtscts: true }),
        binding,
      }),
    );
    await vi.waitFor(() => {
      expect(opened).toHaveLength(1);
    });
    expect(latest(opened).openOptions).toMatchObject({
      path: PATH,
      baudRate: 19200,
      dataBits: 7,
      parity: 'even',
      stopBits: 2,
      rtscts: true,
      xon: false,
      xoff: false,
      lock: true,
    });
  });

  it('reconnects after an unplug and delivers every byte exactly once, in order', async () => {
    MockBinding.createPort(PATH);
    const { binding, opened } = recordingBinding();
    const { clock, sleeps } = testClock();
    const states: SerialDeviceState[] = [];
    const source = track(
      new SerialByteSource({
        config: config(),
        binding,
        clock,
        onStateChange: (s) => states.push(s),
      }),
    );
    const received = collect(source);
    await vi.waitFor(() => {
      expect(source.state.state).toBe('open');
    });
    const before = messages(0, 50);
    for (const message of before) latest(opened).emitData(message);
    await vi.waitFor(() => {
      expect(received.text()).toBe(before.join(''));
    });

    // unplug; the device is gone (opening fails) until it is plugged in again
    unplug(latest(opened));
    MockBinding.reset();
    await vi.waitFor(() => {
      expect(source.state.lastError?.kind).toBe('open-failed');
    });
    expect(source.state.state).toBe('reconnecting');
    expect(
      states.some((s) => s.state === 'reconnecting' && s.lastError?.kind === 'disconnected'),
    ).toBe(true);
    const disconnect = states.find((s) => s.lastError?.kind === 'disconnected');
    expect(disconnect?.lastError?.message).toContain('EIO');
    await vi.waitFor(() => {
      expect(sleeps.length).toBeGreaterThanOrEqual(4);
    });
    MockBinding.createPort(PATH);
    await vi.waitFor(() => {
      expect(source.state.state).toBe('open');
    });
    expect(source.state.reconnects).toBe(1);
    expect(opened).toHaveLength(2);
    // backoff: 10, 20, 40, then capped at 40
    expect(sleeps.slice(0, 4)).toEqual([10, 20, 40, 40]);
    expect(sleeps.every((ms) => ms <= 40)).toBe(true);

    const after = messages(50, 100);
    for (const message of after) latest(opened).emitData(message);
    await vi.waitFor(() => {
      expect(received.text()).toBe([...before, ...after].join(''));
    });
    await source.close();
    await received.done;
    expect(received.text()).toBe([...before, ...after].join(''));
    expect(states.map((s) => s.state)).toContain('closed');
  });

  it('reopens immediately when the port comes back under the same path', async () => {
    MockBinding.createPort(PATH);
    const { binding, opened } = recordingBinding();
    const { clock, sleeps } = testClock();
    const source = track(new SerialByteSource({ config: config(), binding, clock }));
    const received = collect(source);
    await vi.waitFor(() => {
      expect(source.state.state).toBe('open');
    });
    latest(opened).emitData('one\n');
    await vi.waitFor(() => {
      expect(received.text()).toBe('one\n');
    });
    unplug(latest(opened));
    await vi.waitFor(() => {
      expect(source.state.reconnects).toBe(1);
    });
    expect(sleeps).toEqual([10]);
    latest(opened).emitData('two\n');
    await vi.waitFor(() => {
      expect(received.text()).toBe('one\ntwo\n');
    });
  });

  it('closes and reopens a silent port when the watchdog expires', async () => {
    MockBinding.createPort(PATH);
    const { binding, opened } = recordingBinding();
    const { clock, expireTimers } = testClock();
    const source = track(
      new SerialByteSource({ config: config({ silenceTimeoutMs: 600_000 }), binding, clock }),
    );
    const received = collect(source);
    await vi.waitFor(() => {
      expect(source.state.state).toBe('open');
    });
    latest(opened).emitData('before\n');
    await vi.waitFor(() => {
      expect(received.text()).toBe('before\n');
    });
    expect(source.state.lastDataAt).toBe(new Date(START).toISOString());
    expect(expireTimers()).toBe(1);
    await vi.waitFor(() => {
      expect(source.state).toMatchObject({ state: 'open', reconnects: 1, silenceTimeouts: 1 });
    });
    expect(source.state.lastError).toMatchObject({ kind: 'silence' });
    expect(source.state.lastError?.message).toContain('no data for 600000 ms');
    expect(opened).toHaveLength(2);
    expect(opened[0]?.isOpen).toBe(false);
    latest(opened).emitData('after\n');
    await vi.waitFor(() => {
      expect(received.text()).toBe('before\nafter\n');
    });
  });

  it('reopens when the device path vanishes without a close event (missed unplug)', async () => {
    MockBinding.createPort(PATH);
    const { binding, opened } = recordingBinding();
    const { clock, expireTimers } = testClock();
    let present = true;
    const source = track(
      new SerialByteSource({ config: config(), binding, clock, pathExists: () => present }),
    );
    const received = collect(source);
    await vi.waitFor(() => {
      expect(source.state.state).toBe('open');
    });
    latest(opened).emitData('one\n');
    await vi.waitFor(() => {
      expect(received.text()).toBe('one\n');
    });
    expect(expireTimers()).toBe(1); // still there: checks again later
    expect(source.state.state).toBe('open');
    present = false;
    expect(expireTimers()).toBe(1);
    await vi.waitFor(() => {
      expect(source.state.lastError?.kind).toBe('vanished');
    });
    present = true;
    await vi.waitFor(() => {
      expect(source.state).toMatchObject({ state: 'open', reconnects: 1 });
    });
    expect(opened[0]?.isOpen).toBe(false);
    latest(opened).emitData('two\n');
    await vi.waitFor(() => {
      expect(received.text()).toBe('one\ntwo\n');
    });
  });

  it('runs no watchdog when silenceTimeoutMs is 0', async () => {
    MockBinding.createPort(PATH);
    const { binding } = recordingBinding();
    const { clock, expireTimers } = testClock();
    const source = track(new SerialByteSource({ config: config(), binding, clock }));
    await vi.waitFor(() => {
      expect(source.state.state).toBe('open');
    });
    expect(expireTimers()).toBe(0);
  });

  it('finds the port by vendorId/productId, again after re-enumeration', async () => {
    MockBinding.createPort('/dev/ttyS0');
    MockBinding.createPort('/dev/ttyUSB0', { vendorId: '0403', productId: '6001' });
    const { binding, opened } = recordingBinding();
    const { clock } = testClock();
    const source = track(
      new SerialByteSource({
        config: config({ path: undefined, vendorId: '0403', productId: '6001' }),
        binding,
        clock,
        pathExists: () => false,
      }),
    );
    expect(source.name).toBe('serial:0403:6001');
    const received = collect(source);
    await vi.waitFor(() => {
      expect(source.state).toMatchObject({ state: 'open', path: '/dev/ttyUSB0' });
    });
    latest(opened).emitData('a');
    await vi.waitFor(() => {
      expect(received.text()).toBe('a');
    });
    unplug(latest(opened));
    MockBinding.reset();
    await vi.waitFor(() => {
      expect(source.state.lastError?.kind).toBe('not-found');
    });
    MockBinding.createPort('/dev/ttyUSB1', { vendorId: '0403', productId: '6001' });
    await vi.waitFor(() => {
      expect(source.state).toMatchObject({ state: 'open', path: '/dev/ttyUSB1', reconnects: 1 });
    });
    latest(opened).emitData('b');
    await vi.waitFor(() => {
      expect(received.text()).toBe('ab');
    });
  });

  it('reports a failed listing with the clear message and keeps trying without crashing', async () => {
    const { clock, sleeps } = testClock();
    const binding: SerialBinding = {
      open: (options) => MockBinding.open(options),
      list: () => Promise.reject(new Error('spawn udevadm ENOENT')),
    };
    const source = track(
      new SerialByteSource({
        config: config({ path: undefined, vendorId: '0403', productId: '6001' }),
        binding,
        clock,
      }),
    );
    await vi.waitFor(() => {
      expect(sleeps.length).toBeGreaterThanOrEqual(2);
    });
    expect(source.state).toMatchObject({
      state: 'reconnecting',
      lastError: {
        kind: 'list-failed',
        message: 'udevadm not found: install udev, or configure the port by path',
      },
    });
    await source.close();
    expect(source.state.state).toBe('closed');
  });

  it('explains "Cannot lock port"', async () => {
    const { clock } = testClock();
    const binding: SerialBinding = {
      list: () => MockBinding.list(),
      open: () =>
        Promise.reject(new Error('Error Resource temporarily unavailable Cannot lock port')),
    };
    const source = track(new SerialByteSource({ config: config(), binding, clock }));
    await vi.waitFor(() => {
      expect(source.state.lastError?.kind).toBe('open-failed');
    });
    expect(source.state.lastError?.message).toContain('UV_USE_IO_URING=0');
  });

  it('hands every chunk to the capture sink with its arrival time', async () => {
    MockBinding.createPort(PATH);
    const { binding, opened } = recordingBinding();
    const { clock } = testClock();
    const captured: { bytes: string; at: string }[] = [];
    const source = track(
      new SerialByteSource({
        config: config(),
        binding,
        clock,
        capture: {
          write: (chunk, at) =>
            captured.push({ bytes: Buffer.from(chunk).toString(), at: at.toISOString() }),
        },
      }),
    );
    const received = collect(source);
    await vi.waitFor(() => {
      expect(source.state.state).toBe('open');
    });
    latest(opened).emitData('receipt-1\n');
    await vi.waitFor(() => {
      expect(received.text()).toBe('receipt-1\n');
    });
    expect(captured.map((c) => c.bytes).join('')).toBe('receipt-1\n');
    expect(captured[0]?.at).toBe('2024-05-01T10:00:00.000Z');
  });

  it('keeps delivering when the capture sink throws, and says so', async () => {
    MockBinding.createPort(PATH);
    const { binding, opened } = recordingBinding();
    const source = track(
      new SerialByteSource({
        config: config(),
        binding,
        capture: {
          write: () => {
            throw new Error('ENOSPC: no space left on device');
          },
        },
      }),
    );
    const received = collect(source);
    await vi.waitFor(() => {
      expect(source.state.state).toBe('open');
    });
    latest(opened).emitData('x');
    await vi.waitFor(() => {
      expect(received.text()).toBe('x');
    });
    expect(source.state.lastError).toMatchObject({ kind: 'capture-failed' });
  });

  it('pauses reading while the consumer lags, and loses nothing', async () => {
    MockBinding.createPort(PATH, { maxReadSize: 4096 });
    const { binding, opened } = recordingBinding();
    const source = track(
      new SerialByteSource({ config: config({ maxBufferedBytes: 1024 }), binding }),
    );
    await vi.waitFor(() => {
      expect(source.state.state).toBe('open');
    });
    const payload = Buffer.alloc(300_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) % 251;
    latest(opened).emitData(payload);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // reading stopped: the device side still holds bytes nobody asked for
    expect(latest(opened).port.data.length).toBeGreaterThan(0);
    const received = collect(source);
    await vi.waitFor(() => {
      expect(Buffer.concat(received.chunks).length).toBe(payload.length);
    });
    expect(Buffer.concat(received.chunks).equals(payload)).toBe(true);
  });

  it('closes when the consumer stops iterating, and can be iterated once only', async () => {
    MockBinding.createPort(PATH);
    const { binding, opened } = recordingBinding();
    const source = track(new SerialByteSource({ config: config(), binding }));
    await vi.waitFor(() => {
      expect(source.state.state).toBe('open');
    });
    latest(opened).emitData('first');
    for await (const chunk of source) {
      expect(Buffer.from(chunk).toString()).toBe('first');
      break;
    }
    expect(source.state.state).toBe('closed');
    await expect(source[Symbol.asyncIterator]().next()).rejects.toThrow('iterated once');
  });

  it('close() while waiting for a missing device ends at once', async () => {
    const { binding } = recordingBinding();
    const source = track(
      new SerialByteSource({
        config: config({ reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 } }),
        binding,
      }),
    );
    await vi.waitFor(() => {
      expect(source.state.lastError?.kind).toBe('open-failed');
    });
    const started = Date.now();
    const received = collect(source);
    await source.close();
    await received.done;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(received.chunks).toHaveLength(0);
  });
});
