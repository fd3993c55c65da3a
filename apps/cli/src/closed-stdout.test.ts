import { PassThrough } from 'node:stream';

import { describe, expect, it, vi } from 'vitest';

import { exitQuietlyOnEpipe } from './closed-stdout.js';

const epipe = (): NodeJS.ErrnoException =>
  Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' });

describe('exitQuietlyOnEpipe', () => {
  it('exits with 0 when the reader has gone (EPIPE)', () => {
    const stream = new PassThrough();
    const exit = vi.fn();
    exitQuietlyOnEpipe(stream, exit);
    stream.emit('error', epipe());
    expect(exit).toHaveBeenCalledExactlyOnceWith(0);
  });

  it('rethrows any other stream error', () => {
    const stream = new PassThrough();
    const exit = vi.fn();
    exitQuietlyOnEpipe(stream, exit);
    const other = Object.assign(new Error('write EIO'), { code: 'EIO' });
    expect(() => stream.emit('error', other)).toThrow(other);
    expect(exit).not.toHaveBeenCalled();
  });

  it('installs one listener per stream however often it is called', () => {
    const stream = new PassThrough();
    const exit = vi.fn();
    for (let i = 0; i < 3; i++) exitQuietlyOnEpipe(stream, exit);
    expect(stream.listenerCount('error')).toBe(1);
    stream.emit('error', epipe());
    expect(exit).toHaveBeenCalledTimes(1);
  });
});
