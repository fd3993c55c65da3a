import { describe, expect, it } from 'vitest';

import { ChunkQueue } from './chunk-queue.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('ChunkQueue', () => {
  it('hands chunks over in order, to a waiting or a later take', async () => {
    const queue = new ChunkQueue({ lowWaterBytes: 0 });
    const waiting = queue.take();
    queue.push(bytes('a'));
    queue.push(bytes('bc'));
    queue.push(bytes(''));
    queue.push(bytes('d'));
    expect(await waiting).toEqual(bytes('a'));
    expect(queue.bufferedBytes).toBe(3);
    expect(await queue.take()).toEqual(bytes('bc'));
    expect(await queue.take()).toEqual(bytes('d'));
    expect(queue.bufferedBytes).toBe(0);
  });

  it('delivers what was pushed before end, then undefined; drops pushes after end', async () => {
    const queue = new ChunkQueue({ lowWaterBytes: 0 });
    queue.push(bytes('x'));
    queue.end();
    queue.push(bytes('y'));
    expect(await queue.take()).toEqual(bytes('x'));
    expect(await queue.take()).toBeUndefined();
    const pending = new ChunkQueue({ lowWaterBytes: 0 });
    const take = pending.take();
    pending.end();
    expect(await take).toBeUndefined();
  });

  it('tells the producer when the buffer is down to the low-water mark', async () => {
    let drained = 0;
    const queue = new ChunkQueue({
      lowWaterBytes: 2,
      onDrained: () => {
        drained++;
      },
    });
    queue.push(bytes('aaa'));
    queue.push(bytes('bb'));
    await queue.take();
    expect(drained).toBe(1);
  });

  it('has one consumer', () => {
    const queue = new ChunkQueue({ lowWaterBytes: 0 });
    void queue.take();
    expect(() => queue.take()).toThrow('one consumer');
  });
});
