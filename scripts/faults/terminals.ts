/**
 * Terminal adapters as real processes (`pos-ga4 terminal --config FILE`), one per till, each
 * reading a serial line made by socat (the POS writes into the pair's other end).
 *
 * `startProcessTerminals(context, options)`: for every identity a data dir, a socat pair, a JSON
 * config (serial source `printer` on the pair, `jsonl` or `escpos` + profile, heartbeat every
 * second, quick serial reconnect, log level warn) and a supervised process (restarted 2 s after
 * any exit, like the systemd unit); resolves once every terminal's heartbeat shows the serial
 * line `open`. Each `ProcessTerminal` has its POS-side `writer`, `capturedBytes()` (bytes in its
 * raw capture files: what it received) and `rejects()` (its reject store).
 * `waitUntilCaptured(terminals)`: until every terminal has received every byte written to it.
 * `waitForSerial(...)`: until each terminal reports the wanted serial state.
 * Errors: rejects when a terminal does not come up within 60 s (its output in the message).
 * Lifecycle: everything started is stopped and removed through `context.defer`.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { readRejects } from '@pos-ga4/terminal';
import type { RejectRecord } from '@pos-ga4/terminal';
import { socatPair } from '@pos-ga4/testkit';
import type { SocatPair } from '@pos-ga4/testkit';

import { spawnProcess, supervise } from './processes.js';
import type { Supervised } from './processes.js';
import { PtyWriter } from './pty-feeder.js';
import { serialState } from './redis-state.js';
import type { ScenarioContext } from './scenario.js';
import type { TerminalIdentity } from './workload.js';

export interface ProcessTerminal {
  readonly identity: TerminalIdentity;
  readonly dataDir: string;
  readonly pair: SocatPair;
  readonly writer: PtyWriter;
  readonly process: Supervised;
  capturedBytes(): number;
  rejects(): RejectRecord[];
}

export interface TerminalOptions {
  readonly identities: readonly TerminalIdentity[];
  /** The Redis the terminals hand over to (may be a proxy in front of `adminUrl`). */
  readonly redisUrl: string;
  /** Where the harness reads heartbeats (the real Redis). */
  readonly adminUrl: string;
  readonly prefix: string;
  readonly format: 'jsonl' | 'escpos';
  readonly profile?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Bytes in the raw capture files of a source directory. */
export function captureBytesIn(dir: string): number {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return 0;
  }
  return files
    .filter((file) => /^capture-.*\.bin$/.test(file))
    .reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
}

export async function waitForSerial(
  terminals: readonly ProcessTerminal[],
  options: { adminUrl: string; prefix: string; open: boolean; timeoutMs?: number },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (const terminal of terminals) {
    for (;;) {
      const state = await serialState(options.adminUrl, options.prefix, terminal.identity);
      if ((state === 'open') === options.open && state !== undefined) break;
      if (Date.now() > deadline)
        throw new Error(
          `terminal ${terminal.identity.storeId}/${terminal.identity.terminalId}: serial line is ${String(state)}, waited for ${options.open ? 'open' : 'not open'}; output: ${terminal.process.current()?.output() || terminal.process.lastCrashOutput()}`,
        );
      await sleep(200);
    }
  }
}

export async function waitUntilCaptured(
  terminals: readonly ProcessTerminal[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (terminals.some((t) => t.capturedBytes() < t.writer.written)) {
    if (Date.now() > deadline) throw new Error('terminals did not receive every byte written');
    await sleep(50);
  }
}

export async function startProcessTerminals(
  context: ScenarioContext,
  options: TerminalOptions,
): Promise<ProcessTerminal[]> {
  const terminals: ProcessTerminal[] = [];
  // cleanup runs in reverse: writers, then every terminal process (in parallel), then the ptys
  context.defer(() => Promise.all(terminals.map((t) => t.pair.close())));
  context.defer(() => Promise.all(terminals.map((t) => t.process.stop())));
  context.defer(() => Promise.all(terminals.map((t) => t.writer.close())));
  for (const [index, identity] of options.identities.entries()) {
    const dataDir = join(context.dir, `terminal-${index}`);
    mkdirSync(dataDir, { recursive: true });
    const pair = await socatPair();
    const configFile = join(dataDir, 'terminal.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        storeId: identity.storeId,
        terminalId: identity.terminalId,
        redis: { url: options.redisUrl, prefix: options.prefix },
        dataDir,
        heartbeatIntervalMs: 1000,
        log: { level: 'warn' },
        sources: [
          {
            type: 'serial',
            name: 'printer',
            path: pair.devicePath,
            format: options.format,
            ...(options.profile === undefined ? {} : { profile: options.profile }),
            reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
          },
        ],
      }),
    );
    const name = `terminal ${identity.storeId}/${identity.terminalId}`;
    const proc = supervise(name, () =>
      spawnProcess({ name, args: ['terminal', '--config', configFile] }),
    );
    const writer = new PtyWriter(pair.peerPath);
    const captureDir = join(dataDir, 'capture', 'printer');
    terminals.push({
      identity,
      dataDir,
      pair,
      writer,
      process: proc,
      capturedBytes: () => captureBytesIn(captureDir),
      rejects: () => readRejects(join(dataDir, 'rejects')),
    });
  }
  await waitForSerial(terminals, {
    adminUrl: options.adminUrl,
    prefix: options.prefix,
    open: true,
  });
  return terminals;
}
