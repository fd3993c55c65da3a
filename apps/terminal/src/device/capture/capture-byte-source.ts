/**
 * A ByteSource replaying one capture file (for `pos-ga4 replay` and tests): yields the recorded
 * chunks in their original chunking, as fast as consumed (`timing: 'asap'`, the default) or with
 * the recorded gaps between chunks (`timing: 'original'`, divided by `speed`, each gap capped at
 * `maxGapMs`). `name` is the data file's base name, so the pipeline's
 * `<name>@<byteOffset>+<length>` references are exact capture references.
 * Errors: an unreadable capture rejects the first `next()`. Lifecycle: `close()` stops the
 * replay (a pending wait ends at once); the iteration then ends.
 */
import { basename } from 'node:path';

import type { ByteSource } from '../byte-source.js';
import { dataFileName } from './capture-format.js';
import { readCapture } from './capture-reader.js';

export interface CaptureReplayOptions {
  readonly timing?: 'asap' | 'original';
  /** 2 = twice as fast as recorded. */
  readonly speed?: number;
  readonly maxGapMs?: number;
  /** Resolves after `ms` or when `signal` aborts; injectable for tests. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export function captureByteSource(file: string, options: CaptureReplayOptions = {}): ByteSource {
  const abort = new AbortController();
  const sleep = options.sleep ?? realSleep;
  const speed = options.speed ?? 1;
  const maxGapMs = options.maxGapMs ?? Infinity;
  const stopped = (): boolean => abort.signal.aborted;
  return {
    name: basename(dataFileName(file)),
    async *[Symbol.asyncIterator]() {
      const chunks = await readCapture(file);
      let previous: number | undefined;
      for (const chunk of chunks) {
        if (stopped()) return;
        const at = chunk.at.getTime();
        if (options.timing === 'original' && previous !== undefined) {
          const gap = Math.min(maxGapMs, Math.max(0, (at - previous) / speed));
          if (gap > 0) await sleep(gap, abort.signal);
          if (stopped()) return;
        }
        previous = at;
        yield chunk.bytes;
      }
    },
    close() {
      abort.abort();
      return Promise.resolve();
    },
  };
}
