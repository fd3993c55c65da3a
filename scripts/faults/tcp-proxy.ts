/**
 * A TCP proxy that can be cut: the terminals' way to Redis in the redis-cut scenario (the
 * workers keep their direct connection).
 *
 * `startTcpProxy({ targetPort })` listens on a free 127.0.0.1 port and pipes every connection to
 * the target. `cut()` destroys every open connection (both ends, like a pulled WAN cable seen
 * from both sides) and stops listening, so new connections are refused; `restore()` listens on
 * the same port again. `connections()` counts connections accepted so far.
 * Errors: `restore()` rejects if the port was taken meanwhile. Lifecycle: `close()` cuts and
 * leaves it closed (idempotent).
 */
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

import { freeTcpPort } from '@pos-ga4/redis';

export interface TcpProxy {
  readonly port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  connections(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(options: {
  targetPort: number;
  targetHost?: string;
}): Promise<TcpProxy> {
  const port = await freeTcpPort();
  const sockets = new Set<Socket>();
  let accepted = 0;
  let server: Server | undefined;

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const s = createServer((client) => {
        accepted++;
        const upstream = createConnection({
          port: options.targetPort,
          host: options.targetHost ?? '127.0.0.1',
        });
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => undefined);
          socket.on('close', () => {
            sockets.delete(socket);
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        s.off('error', reject);
        server = s;
        resolve();
      });
    });

  const cut = async (): Promise<void> => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s !== undefined)
      await new Promise<void>((resolve) => {
        s.close(() => {
          resolve();
        });
      });
  };

  await listen();
  return {
    port,
    cut,
    async restore() {
      if (server === undefined) await listen();
    },
    connections: () => accepted,
    close: cut,
  };
}
