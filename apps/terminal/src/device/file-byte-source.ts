/**
 * A ByteSource over a file (captures, journals, fixtures): the replay path goes through the same
 * framing and parsing as live devices. `chunkSize` lets tests and benchmarks vary chunking.
 */
import { createReadStream } from 'node:fs';
import type { ReadStream } from 'node:fs';
import { basename } from 'node:path';

import type { ByteSource } from './byte-source.js';

export function fileByteSource(path: string, options: { chunkSize?: number } = {}): ByteSource {
  let stream: ReadStream | undefined;
  return {
    name: basename(path),
    async *[Symbol.asyncIterator]() {
      stream = createReadStream(path, { highWaterMark: options.chunkSize ?? 64 * 1024 });
      for await (const chunk of stream) yield chunk as Buffer;
    },
    close() {
      stream?.destroy();
      return Promise.resolve();
    },
  };
}
