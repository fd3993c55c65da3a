/**
 * Writing receipts into terminals the way a POS does: bytes into the POS end of a serial line
 * (the socat pair's `peerPath`).
 *
 * - `PtyWriter(path)`: opens the pty lazily (`O_WRONLY | O_NOCTTY`), counts the bytes written;
 *   `close()` before an unplug (the pty goes away), the next `write` opens it again.
 * - `feed(items, writers, options)`: writes `items` in order at `ratePerSecond` (due items are
 *   grouped per terminal, one write per terminal per tick, terminals one after another so at
 *   most one libuv thread blocks on a full pty). `options.atSent`: actions run when exactly that
 *   many items have been written; the feed waits for each (time spent there does not make the
 *   feed catch up in a burst afterwards). `options.before(item)`: may return a promise to wait
 *   for before that item is written alone (scenario 6 scans a barcode first). Returns how many
 *   items were written (`sent`).
 * Errors: a failed write rejects (the scenario then reports the error).
 * Lifecycle: the caller closes its writers.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

export class PtyWriter {
  readonly path: string;
  #handle: FileHandle | undefined;
  #written = 0;

  constructor(path: string) {
    this.path = path;
  }

  get written(): number {
    return this.#written;
  }

  async write(bytes: Buffer): Promise<void> {
    this.#handle ??= await open(this.path, constants.O_WRONLY | constants.O_NOCTTY);
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await this.#handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
    this.#written += bytes.length;
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => undefined);
  }
}

export interface FeedItem {
  readonly terminal: number;
  readonly bytes: Buffer;
}

export interface FeedHook {
  readonly sent: number;
  readonly action: () => Promise<void>;
}

export interface FeedOptions<T extends FeedItem> {
  readonly ratePerSecond: number;
  readonly atSent?: readonly FeedHook[];
  readonly before?: (item: T) => Promise<void> | undefined;
  readonly onProgress?: (sent: number) => void;
}

const TICK_MS = 50;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function writeGrouped(items: readonly FeedItem[], writers: readonly PtyWriter[]) {
  const byTerminal = new Map<number, Buffer[]>();
  for (const item of items) {
    const list = byTerminal.get(item.terminal) ?? [];
    list.push(item.bytes);
    byTerminal.set(item.terminal, list);
  }
  for (const [terminal, chunks] of byTerminal) {
    const writer = writers[terminal];
    if (writer === undefined) throw new RangeError(`no writer for terminal ${terminal}`);
    await writer.write(Buffer.concat(chunks));
  }
}

export async function feed<T extends FeedItem>(
  items: readonly T[],
  writers: readonly PtyWriter[],
  options: FeedOptions<T>,
): Promise<number> {
  const hooks = [...(options.atSent ?? [])].sort((a, b) => a.sent - b.sent);
  let sent = 0;
  let origin = Date.now();
  while (sent < items.length) {
    const hook = hooks[0];
    if (hook !== undefined && hook.sent <= sent) {
      hooks.shift();
      const pausedAt = Date.now();
      await hook.action();
      origin += Date.now() - pausedAt;
      continue;
    }
    const due = Math.floor(((Date.now() - origin) * options.ratePerSecond) / 1000) + 1;
    const limit = Math.min(items.length, due, hook?.sent ?? Infinity);
    const batch: T[] = [];
    for (let i = sent; i < limit; i++) {
      const item = items[i];
      if (item === undefined) break;
      const waitFor = options.before?.(item);
      if (waitFor === undefined) {
        batch.push(item);
        continue;
      }
      await writeGrouped(batch, writers);
      sent += batch.length;
      batch.length = 0;
      const pausedAt = Date.now();
      await waitFor;
      origin += Date.now() - pausedAt;
      await writeGrouped([item], writers);
      sent++;
    }
    await writeGrouped(batch, writers);
    sent += batch.length;
    options.onProgress?.(sent);
    if (sent < items.length) await sleep(TICK_MS);
  }
  return sent;
}
