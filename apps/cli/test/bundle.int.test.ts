/**
 * The production bundle (scripts/build/bundle.ts, docs/decisions/0004-production-bundle.md), built
 * into a temporary directory and run as deployed, in real subprocesses with plain `node` (no tsx):
 * --help, `schemas check` and `parse` from outside the checkout (fixtures/ and schemas/ found from
 * a chunk), and the terminal daemon with the systemd unit's flags reading ESC/POS receipts from a
 * socat pseudo-terminal into the shared Redis (its own key prefix, deleted afterwards).
 * The temporary outdir lies inside the checkout (`.pos-ga4/`, ignored by git, ESLint, Prettier and
 * Docker), because the bundle resolves its third-party imports from `<root>/node_modules`.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { constants, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { DEFAULT_PARTITIONS, partitionOf, transactionQueueName } from '@pos-ga4/queue-contract';
import type { TransactionJobData } from '@pos-ga4/queue-contract';
import { redisTestResource, runProcess, socatPair } from '@pos-ga4/testkit';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  buildBundle,
  REPO_ROOT,
  TERMINAL_ENV,
  TERMINAL_NODE_FLAGS,
} from '../../../scripts/build/bundle.js';
import type { BundleResult } from '../../../scripts/build/bundle.js';

const OUTDIR = join(REPO_ROOT, '.pos-ga4', `bundle-test-${randomUUID().slice(0, 8)}`);
const PROFILE = join(REPO_ROOT, 'profiles', 'hudson-market-us.yaml');
const SALE_BIN = join(REPO_ROOT, 'fixtures', 'profiles', 'hudson-market-us', 'sale.bin');
/** What sale.bin prints on its `STORE 0142   REG 03   TRN 5521` line, through the profile. */
const STORE_ID = 'hudson-0142';
const TERMINAL_ID = 'reg-03';

let bundle: BundleResult;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  bundle = await buildBundle({ outdir: OUTDIR, logLevel: 'error' });
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
});
afterAll(() => {
  rmSync(OUTDIR, { recursive: true, force: true });
  try {
    rmdirSync(dirname(OUTDIR)); // only when empty: nothing else kept there
  } catch {
    // not empty, or already gone
  }
});

/** `node <bundle> …args` from a directory outside the checkout. */
const fromBundle = (args: string[]) =>
  runProcess(process.execPath, [bundle.entry, ...args], { cwd: tmpdir(), timeoutMs: 20_000 });

/** The sale receipt as printed, with `TRN <trn>` instead of the fixture's number. */
function saleReceipt(trn: number): Buffer {
  const template = readFileSync(SALE_BIN);
  const marker = Buffer.from('TRN 5521', 'latin1');
  const at = template.indexOf(marker);
  if (at < 0) throw new Error(`${SALE_BIN} no longer prints "TRN 5521"`);
  return Buffer.concat([
    template.subarray(0, at),
    Buffer.from(`TRN ${trn}`, 'latin1'),
    template.subarray(at + marker.length),
  ]);
}

interface Daemon {
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
}

function startDaemon(configFile: string): Daemon {
  const proc = spawn(
    process.execPath,
    [...TERMINAL_NODE_FLAGS, bundle.entry, 'terminal', '--config', configFile],
    { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...TERMINAL_ENV } },
  );
  let output = '';
  const keep = (text: string): void => {
    output = (output + text).slice(-16_000);
  };
  proc.stdout.setEncoding('utf8').on('data', keep);
  proc.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    proc.once('close', (code) => {
      resolve(code);
    });
  });
  return { proc, exited, output: () => output };
}

async function until(what: () => string, predicate: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('production bundle (dist/pos-ga4.js)', () => {
  it('bundles only workspace sources, one chunk per command, third-party packages external', () => {
    expect(bundle.entry).toBe(join(OUTDIR, 'pos-ga4.js'));
    expect(bundle.inputs.length).toBeGreaterThan(50);
    expect(bundle.inputs.filter((input) => !/^(apps|packages)\/[^/]+\/src\//.test(input))).toEqual(
      [],
    );
    expect(bundle.inputs.filter((input) => input.includes('testkit'))).toEqual([]);
    expect(bundle.externals).toEqual(expect.arrayContaining(['bullmq', 'ioredis', 'pino', 'zod']));
    expect(bundle.externals.filter((path) => path.startsWith('@pos-ga4/'))).toEqual([]);
    expect(bundle.files).toEqual(
      expect.arrayContaining([
        'pos-ga4.js',
        expect.stringMatching(/^chunks\/terminal-\w+\.js$/) as unknown,
        expect.stringMatching(/^chunks\/worker-\w+\.js$/) as unknown,
      ]),
    );
  });

  it('is what the systemd units run, the terminal with TERMINAL_NODE_FLAGS and TERMINAL_ENV', () => {
    const execStart = (unit: string): string | undefined =>
      /^ExecStart=(.*)$/m.exec(
        readFileSync(join(REPO_ROOT, 'deploy', 'systemd', unit), 'utf8'),
      )?.[1];
    expect(execStart('pos-ga4-terminal.service')).toBe(
      `/usr/bin/node ${TERMINAL_NODE_FLAGS.join(' ')} /opt/pos-ga4/dist/pos-ga4.js terminal --config /etc/pos-ga4/terminal.yaml`,
    );
    expect(execStart('pos-ga4-worker.service')).toBe(
      '/usr/bin/node /opt/pos-ga4/dist/pos-ga4.js worker --config /etc/pos-ga4/worker.yaml',
    );
    const terminalUnit = readFileSync(
      join(REPO_ROOT, 'deploy', 'systemd', 'pos-ga4-terminal.service'),
      'utf8',
    );
    for (const [name, value] of Object.entries(TERMINAL_ENV))
      expect(terminalUnit).toMatch(new RegExp(`^Environment=${name}=${value}$`, 'm'));
  });

  it('runs --help, schemas check and parse with plain node, from outside the checkout', async () => {
    const help = await fromBundle(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^\s+terminal \[options\]/m);
    expect(help.stdout).toMatch(/^\s+worker \[options\]/m);
    // schemas/ is found from a chunk's location, not relative to the sources
    const schemas = await fromBundle(['schemas', 'check']);
    expect([schemas.code, schemas.stderr]).toEqual([0, '']);
    const parsed = await fromBundle([
      'parse',
      '--format',
      'escpos',
      '--profile',
      PROFILE,
      SALE_BIN,
    ]);
    expect(parsed.code).toBe(0);
    expect(JSON.parse(parsed.stdout)).toMatchObject({
      transactionId: `${STORE_ID}_${TERMINAL_ID}_20261126_5521`,
    });
  });

  it('the terminal daemon (node --max-semi-space-size=1 dist/pos-ga4.js terminal) puts ESC/POS receipts into Redis', async () => {
    const redis = redisTestResource('bundle');
    cleanup.push(() => redis.cleanup());
    const pair = await socatPair();
    cleanup.push(() => pair.close());
    const dir = mkdtempSync(join(tmpdir(), 'pos-ga4-bundle-'));
    cleanup.push(() => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    });
    const configFile = join(dir, 'terminal.yaml');
    const config = {
      storeId: STORE_ID,
      terminalId: TERMINAL_ID,
      redis: { url: redis.url, prefix: redis.prefix },
      dataDir: join(dir, 'data'),
      sources: [{ type: 'serial', path: pair.devicePath, format: 'escpos', profile: PROFILE }],
    };
    writeFileSync(configFile, JSON.stringify(config)); // JSON is valid YAML
    const daemon = startDaemon(configFile);
    cleanup.push(async () => {
      daemon.proc.kill('SIGKILL');
      await daemon.exited;
    });
    const opened = (line: string): boolean =>
      line.includes('"msg":"serial device"') && line.includes('"state":"open"');
    await until(
      () => daemon.output(),
      () => Promise.resolve(daemon.output().split('\n').some(opened)),
    );

    const trns = [9001, 9002, 9003];
    const handle = await open(pair.peerPath, constants.O_WRONLY | constants.O_NOCTTY);
    try {
      for (const trn of trns) await handle.write(saleReceipt(trn));
    } finally {
      await handle.close();
    }
    const partition = partitionOf(
      { storeId: STORE_ID, terminalId: TERMINAL_ID },
      DEFAULT_PARTITIONS,
    );
    const queue = new Queue<TransactionJobData>(transactionQueueName(partition), {
      connection: redis.redis,
      prefix: redis.prefix,
    });
    cleanup.push(() => queue.close());
    const waiting = () => queue.getJobs(['wait'], 0, -1, true);
    await until(
      () => daemon.output(),
      async () => (await waiting()).length >= trns.length,
    );
    const jobs = await waiting();
    expect(jobs.map((job) => job.data.transaction.receiptNumber).sort()).toEqual(trns.map(String));
    expect(jobs[0]?.data.transaction).toMatchObject({
      storeId: STORE_ID,
      terminalId: TERMINAL_ID,
      source: { format: 'escpos' },
    });

    // SIGTERM as systemd stops it: a clean exit
    daemon.proc.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  });
});
