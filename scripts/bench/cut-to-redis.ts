/**
 * Bench helper: receipt cut → job in Redis, through the real terminal daemon.
 * Starts socat (a pseudo-terminal pair standing in for the printer cable) and the daemon as a
 * child process reading one end as an ESC/POS serial source with profiles/hudson-market-us.yaml
 * (no HID source, so nothing is held for scans; spool fsync and raw capture are in the path, as
 * deployed). By default (`daemonEntry: 'bundle'`) the daemon runs as
 * deploy/systemd/pos-ga4-terminal.service runs it: the bench first builds the production bundle
 * (scripts/build/bundle.ts) into a directory of its own under `.pos-ga4/` (never stale, `dist/`
 * untouched) and starts `node --max-semi-space-size=1 <bundle>/pos-ga4.js terminal --config
 * <tmp>/terminal.yaml` (`nodeFlags` overrides the flags); `daemonEntry: 'sources'` starts
 * `node_modules/.bin/pos-ga4` (tsx) with the same flags. The run reports which (`daemonEntry`,
 * `daemonCommand`). After warm-up receipts, writes `receipts` copies of
 * fixtures/profiles/hudson-market-us/sale.bin (727 bytes, each with its own `TRN` number) to the
 * other end one at a time, every 5–20 ms (seeded jitter), each with one non-blocking write.
 * Per receipt: cut = the moment the write of its last byte returned (local high-resolution clock,
 * mapped onto the Redis server clock with `TIME`, best of 5 round trips); in Redis = the BullMQ
 * `added` event of its job in the partition queue's events stream (`<prefix>:{tx-N}:events`),
 * whose entry id is the Redis server's millisecond: 1 ms resolution, taken at the middle of that
 * millisecond. Also reads the daemon's VmRSS and VmHWM (/proc/<pid>/status, Linux) after the
 * last receipt landed; MB = 10^6 bytes.
 * Errors: rejects when the bundle does not build, socat or the daemon cannot start, the daemon
 * exits early, the events stream cannot be read, or not every receipt is in Redis within 60 s of
 * its write (messages carry the daemon's last output).
 * Lifecycle: always stops the daemon (SIGTERM, then SIGKILL) and socat, deletes the temporary
 * directory, the bench's bundle and the run's Redis keys, also on failure.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  bullmqQueueKey,
  DEFAULT_PARTITIONS,
  partitionOf,
  transactionQueueName,
} from '@pos-ga4/queue-contract';
import { createRedisConnection, deleteKeysWithPrefix } from '@pos-ga4/redis';
import type { Redis } from 'ioredis';

import {
  BUNDLE_ENTRY_NAME,
  buildBundle,
  TERMINAL_ENV,
  TERMINAL_NODE_FLAGS,
} from '../build/bundle.js';

import { benchPrefix, sleep, waitUntil } from './bench-util.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'node_modules', '.bin', 'pos-ga4');
const PROFILE = join(ROOT, 'profiles', 'hudson-market-us.yaml');
const SALE_BIN = join(ROOT, 'fixtures', 'profiles', 'hudson-market-us', 'sale.bin');
/** What sale.bin prints on its `STORE 0142   REG 03   TRN 5521` line, through the profile. */
const STORE_ID = 'hudson-0142';
const TERMINAL_ID = 'reg-03';
const TRN_IN_FIXTURE = Buffer.from('TRN 5521', 'latin1');
const WARM_UP_RECEIPTS = 20;
const START_TIMEOUT_MS = 30_000;
const SETTLE_TIMEOUT_MS = 60_000;
const FIRST_TRN = 100_000;

/** What the daemon runs: the production bundle (as deployed) or the TypeScript sources via tsx. */
export type DaemonEntry = 'bundle' | 'sources';

export interface CutToRedisSettings {
  readonly redisUrl: string;
  /** Default `bundle`. */
  readonly daemonEntry?: DaemonEntry;
  /** Node flags of the daemon; default the systemd unit's (`TERMINAL_NODE_FLAGS`). */
  readonly nodeFlags?: readonly string[];
  readonly timeoutMs: number;
  /** Measured receipts (after warm-up). */
  readonly receipts: number;
  /** The pause between two receipts is drawn uniformly from this range. */
  readonly paceMs: { readonly min: number; readonly max: number };
}

export interface CutToRedisRun {
  /** Cut → `added` event, one per measured receipt, ms. */
  readonly samples: number[];
  readonly rssMb: number | undefined;
  readonly peakRssMb: number | undefined;
  readonly daemonEntry: DaemonEntry;
  /** The daemon's command line, paths relative to the repository root (config file elided). */
  readonly daemonCommand: string;
}

/** The sale receipt as printed, with `TRN <trn>` instead of the fixture's number. */
function receiptBytes(template: Buffer, trn: number): Buffer {
  const at = template.indexOf(TRN_IN_FIXTURE);
  if (at < 0) throw new Error(`${SALE_BIN} no longer prints "TRN 5521"`);
  return Buffer.concat([
    template.subarray(0, at),
    Buffer.from(`TRN ${trn}`, 'latin1'),
    template.subarray(at + TRN_IN_FIXTURE.length),
  ]);
}

function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** A child process with the tail of its output kept for error messages. */
interface Child {
  readonly proc: ChildProcess;
  readonly exited: Promise<void>;
  output(): string;
  running(): boolean;
}

function startChild(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Child {
  const proc = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const keep = (text: string): void => {
    output = (output + text).slice(-8000);
  };
  proc.stdout.setEncoding('utf8').on('data', keep);
  proc.stderr.setEncoding('utf8').on('data', keep);
  proc.once('error', (error) => {
    keep(`\n${error.message}`);
  });
  const exited = new Promise<void>((resolve) => {
    proc.once('close', () => {
      resolve();
    });
  });
  return {
    proc,
    exited,
    output: () => output,
    running: () => proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined,
  };
}

/** SIGTERM, SIGKILL after `graceMs`; resolves once it is gone. */
async function stopChild(child: Child, graceMs: number): Promise<void> {
  if (child.running()) child.proc.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (child.running()) child.proc.kill('SIGKILL');
  }, graceMs);
  await child.exited;
  clearTimeout(timer);
}

/** VmRSS and VmHWM of a process in MB (10^6 bytes); undefined where /proc is not there. */
function memoryOf(pid: number): { rssMb: number | undefined; peakRssMb: number | undefined } {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return { rssMb: undefined, peakRssMb: undefined };
  }
  const mb = (field: string): number | undefined => {
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1];
    return kb === undefined ? undefined : Math.round((Number(kb) * 1024) / 1e5) / 10;
  };
  return { rssMb: mb('VmRSS'), peakRssMb: mb('VmHWM') };
}

/** Redis server clock minus local `performance.now()`, ms (best of 5 `TIME` round trips). */
async function redisClockOffset(redis: Redis): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 5; i++) {
    const sent = performance.now();
    const [seconds, micros] = await redis.time();
    const received = performance.now();
    const serverMs = Number(seconds) * 1000 + Number(micros) / 1000;
    if (received - sent < best.rtt)
      best = { rtt: received - sent, offset: serverMs - (sent + received) / 2 };
  }
  return best.offset;
}

/**
 * Follows an events stream over its own connection (closed by `stop()`); `added` maps job id →
 * the entry id's millisecond (Redis server clock).
 */
interface AddedWatch {
  readonly added: Map<string, number>;
  failure(): unknown;
  stop(): Promise<void>;
}

function fieldOf(fields: readonly string[], name: string): string | undefined {
  const at = fields.indexOf(name);
  return at < 0 ? undefined : fields[at + 1];
}

function watchAdded(redis: Redis, stream: string): AddedWatch {
  const added = new Map<string, number>();
  const state: { stopped: boolean; failure: unknown } = { stopped: false, failure: undefined };
  const loop = (async () => {
    let last = '0-0';
    while (!state.stopped) {
      const reply = await redis.xread('COUNT', 1000, 'BLOCK', 100, 'STREAMS', stream, last);
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          last = id;
          const jobId = fieldOf(fields, 'jobId');
          if (fieldOf(fields, 'event') === 'added' && jobId !== undefined)
            added.set(jobId, Number(id.split('-')[0]));
        }
      }
    }
  })().catch((error: unknown) => {
    if (!state.stopped) state.failure = error;
  });
  return {
    added,
    failure: () => state.failure,
    async stop() {
      state.stopped = true;
      redis.disconnect();
      await loop;
    },
  };
}

/** Why writing to the serial line must stop: the daemon is gone, or the deadline passed. */
interface WriteGuard {
  readonly daemon: Child;
  /** A `Date.now()` value. */
  readonly deadline: number;
}

/**
 * Writes all of `bytes` to a non-blocking fd, retrying while the pty is full; returns
 * `performance.now()` right after the last byte.
 */
async function writeAll(fd: number, bytes: Buffer, guard: WriteGuard): Promise<number> {
  let offset = 0;
  for (;;) {
    if (!guard.daemon.running())
      throw new Error(`the terminal daemon exited: ${guard.daemon.output()}`);
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      if (Date.now() > guard.deadline)
        throw new Error(`the serial line stays full; daemon output: ${guard.daemon.output()}`);
      await sleep(1);
      continue;
    }
    if (offset >= bytes.length) return performance.now();
  }
}

interface Rig {
  readonly dir: string;
  readonly prefix: string;
  readonly children: Child[];
  /** Where the bench's bundle goes (inside the checkout, so node_modules resolves). */
  readonly bundleDir: string;
}

/** The daemon's `node` arguments before `--config <file>`. */
interface DaemonCommand {
  readonly entry: DaemonEntry;
  readonly args: readonly string[];
}

async function daemonCommand(
  settings: Pick<CutToRedisSettings, 'daemonEntry' | 'nodeFlags'>,
  rig: Rig,
): Promise<DaemonCommand> {
  const entry = settings.daemonEntry ?? 'bundle';
  const flags = settings.nodeFlags ?? TERMINAL_NODE_FLAGS;
  if (entry === 'sources') return { entry, args: [...flags, CLI, 'terminal'] };
  try {
    await buildBundle({ outdir: rig.bundleDir, logLevel: 'error' });
  } catch (error) {
    throw new Error('building the production bundle failed', { cause: error });
  }
  return {
    entry,
    args: [...flags, join(rig.bundleDir, BUNDLE_ENTRY_NAME), 'terminal'],
  };
}

const describeCommand = (command: DaemonCommand): string =>
  ['node', ...command.args.map((arg) => (arg.startsWith(ROOT) ? relative(ROOT, arg) : arg))].join(
    ' ',
  );

/** socat and the daemon, started; resolves once the daemon has opened the serial device. */
async function startRig(
  rig: Rig,
  setup: { redisUrl: string; command: DaemonCommand },
): Promise<{ peer: string; daemon: Child }> {
  const device = join(rig.dir, 'ttyV0');
  const peer = join(rig.dir, 'ttyV1');
  const socat = startChild('socat', [
    '-d',
    '-d',
    `pty,raw,echo=0,link=${device}`,
    `pty,raw,echo=0,link=${peer}`,
  ]);
  rig.children.push(socat);
  await waitUntil(
    () => (existsSync(device) && existsSync(peer)) || !socat.running(),
    { timeoutMs: START_TIMEOUT_MS, everyMs: 10 },
    () => `socat did not create the pty links: ${socat.output()}`,
  );
  if (!socat.running()) {
    await socat.exited;
    throw new Error(`socat exited (is it installed?): ${socat.output()}`);
  }
  const config = {
    storeId: STORE_ID,
    terminalId: TERMINAL_ID,
    redis: { url: setup.redisUrl, prefix: rig.prefix },
    partitions: DEFAULT_PARTITIONS,
    dataDir: join(rig.dir, 'data'),
    log: { level: 'info' },
    sources: [{ type: 'serial', path: device, format: 'escpos', profile: PROFILE }],
  };
  const configFile = join(rig.dir, 'terminal.yaml');
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`); // JSON is valid YAML
  // the environment of the terminal's systemd unit (deploy/systemd/pos-ga4-terminal.service)
  const daemon = startChild(
    process.execPath,
    [...setup.command.args, '--config', configFile],
    TERMINAL_ENV,
  );
  rig.children.push(daemon);
  const opened = (): boolean =>
    daemon
      .output()
      .split('\n')
      .some((line) => line.includes('"msg":"serial device"') && line.includes('"state":"open"'));
  await waitUntil(
    () => opened() || !daemon.running(),
    { timeoutMs: START_TIMEOUT_MS, everyMs: 20 },
    () => `the terminal daemon did not open ${device}: ${daemon.output()}`,
  );
  if (!daemon.running()) {
    await daemon.exited;
    throw new Error(`the terminal daemon exited: ${daemon.output()}`);
  }
  return { peer, daemon };
}

/** Waits until `count` jobs were added; fails early when the daemon or the stream reader fails. */
async function untilAdded(
  run: { watch: AddedWatch; daemon: Child; timeoutMs: number },
  count: number,
): Promise<void> {
  const { watch, daemon } = run;
  await waitUntil(
    () => watch.added.size >= count || !daemon.running() || watch.failure() !== undefined,
    { timeoutMs: run.timeoutMs },
    () => `${watch.added.size} of ${count} receipts in Redis; daemon output: ${daemon.output()}`,
  );
  const failure = watch.failure();
  if (failure !== undefined)
    throw new Error('reading the events stream failed', { cause: failure });
  if (!daemon.running()) throw new Error(`the terminal daemon exited: ${daemon.output()}`);
}

/** Writes the warm-up and measured receipts; returns each measured receipt's cut by TRN. */
async function writeReceipts(
  fd: number,
  settings: CutToRedisSettings,
  run: { watch: AddedWatch; daemon: Child; redis: Redis },
): Promise<Map<number, number>> {
  const template = readFileSync(SALE_BIN);
  const guard: WriteGuard = { daemon: run.daemon, deadline: Date.now() + settings.timeoutMs };
  // a receipt is in Redis within milliseconds; waiting longer than this means it never will be
  const settleMs = Math.min(settings.timeoutMs, SETTLE_TIMEOUT_MS);
  for (let i = 0; i < WARM_UP_RECEIPTS; i++) {
    await writeAll(fd, receiptBytes(template, FIRST_TRN + i), guard);
    await sleep(10);
  }
  await untilAdded({ ...run, timeoutMs: settleMs }, WARM_UP_RECEIPTS);
  const offset = await redisClockOffset(run.redis);
  const random = lcg(7_700_042);
  const { min, max } = settings.paceMs;
  const cuts = new Map<number, number>();
  for (let i = 0; i < settings.receipts; i++) {
    const trn = FIRST_TRN + WARM_UP_RECEIPTS + i;
    cuts.set(trn, (await writeAll(fd, receiptBytes(template, trn), guard)) + offset);
    await sleep(min + random() * (max - min));
  }
  await untilAdded({ ...run, timeoutMs: settleMs }, WARM_UP_RECEIPTS + settings.receipts);
  return cuts;
}

export async function measureCutToRedis(settings: CutToRedisSettings): Promise<CutToRedisRun> {
  const rig: Rig = {
    dir: mkdtempSync(join(tmpdir(), 'bench-terminal-')),
    prefix: benchPrefix('terminal'),
    children: [],
    bundleDir: join(ROOT, '.pos-ga4', `bench-bundle-${process.pid}-${Date.now().toString(36)}`),
  };
  // last resort if the bench exits without reaching `finally` (process.exit elsewhere)
  const onExit = (): void => {
    for (const child of rig.children) if (child.running()) child.proc.kill('SIGKILL');
    rmSync(rig.dir, { recursive: true, force: true });
    rmSync(rig.bundleDir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const admin = createRedisConnection({ url: settings.redisUrl }, 'worker');
  const reader = createRedisConnection({ url: settings.redisUrl }, 'worker');
  const partition = partitionOf({ storeId: STORE_ID, terminalId: TERMINAL_ID }, DEFAULT_PARTITIONS);
  const watch = watchAdded(
    reader,
    `${bullmqQueueKey(rig.prefix, transactionQueueName(partition))}:events`,
  );
  let fd: number | undefined;
  try {
    const command = await daemonCommand(settings, rig);
    const { peer, daemon } = await startRig(rig, { redisUrl: settings.redisUrl, command });
    fd = openSync(peer, constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
    const cuts = await writeReceipts(fd, settings, { watch, daemon, redis: admin });
    const memory =
      daemon.proc.pid === undefined
        ? { rssMb: undefined, peakRssMb: undefined }
        : memoryOf(daemon.proc.pid);
    const samples: number[] = [];
    for (const [jobId, ms] of watch.added) {
      const cut = cuts.get(Number(/_(\d+)$/.exec(jobId)?.[1]));
      // the entry id is the whole millisecond the job was added in: take its middle
      if (cut !== undefined) samples.push(ms + 0.5 - cut);
    }
    if (samples.length !== settings.receipts)
      throw new Error(`matched ${samples.length} of ${settings.receipts} jobs to their receipts`);
    return {
      samples,
      ...memory,
      daemonEntry: command.entry,
      daemonCommand: describeCommand(command),
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
    await watch.stop();
    for (const child of [...rig.children].reverse()) await stopChild(child, 10_000);
    await deleteKeysWithPrefix(admin, rig.prefix).catch(() => undefined);
    admin.disconnect();
    rmSync(rig.dir, { recursive: true, force: true });
    rmSync(rig.bundleDir, { recursive: true, force: true });
    process.removeListener('exit', onExit);
  }
}
