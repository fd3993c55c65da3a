/**
 * Scenario 6, `unplug`: serial lines unplugged and replugged (socat killed and restarted) and a
 * HID scanner unplugged and replugged (the HID port's fake), while receipts and scans keep coming.
 *
 * Terminals: one adapter built in this process with `buildTerminal` (a socat serial line plus a
 * HID scanner from testkit's `FakeHidProvider` — the fake only works in-process), and two real
 * terminal processes on socat serial lines. Workers are real processes, Redis the shared one
 * (own prefix), the collector the run's. Full: 3,000 receipts and 20 scans; `--short`: 500 and 4.
 *
 * Scans: for some identified receipts of the HID terminal the JSON carries no identity; instead,
 * 1 s after the previous receipt (past its 300 ms after-cut window) the customer's GA client id is
 * scanned, then the receipt is printed: the binder must join exactly that receipt. Such receipts
 * are accounted under the scanned client id, so `scanJoinMismatches` counts scans delivered under
 * another client id (an extra check: must be 0). The customers are shared with the other
 * terminals, so client order is checked across them.
 *
 * Unplugs: at 35 % of the receipts every serial line is unplugged (once all bytes written so far
 * have reached the terminals: bytes still in a cable when it is pulled are not the adapter's to
 * lose), each terminal must report it, and after 1 s the lines come back; at 65 % the scanner is
 * unplugged and replugged. Receipts are not written while a line is unplugged (the POS cannot
 * print into a missing port). `kills` = 0.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { createLogger } from '@pos-ga4/logger';
import { createRedisConnection } from '@pos-ga4/redis';
import { buildTerminal, loadSystemSerialBinding, TerminalConfigSchema } from '@pos-ga4/terminal';
import type { RunningTerminal } from '@pos-ga4/terminal';
import { FakeHidProvider, socatPair, usKeyboardReports } from '@pos-ga4/testkit';
import type { SocatPair } from '@pos-ga4/testkit';

import { attributeDuplicates } from '../accounting.js';
import { PtyWriter, feed } from '../pty-feeder.js';
import { deleteScenarioKeys, readJobStates, reconcileDifference } from '../redis-state.js';
import type { Scenario, ScenarioContext } from '../scenario.js';
import {
  accountWithJobs,
  describeLost,
  quietPeriod,
  resetCollector,
  scenarioPrefix,
  terminalIdentities,
  waitForProgress,
} from '../stream-run.js';
import { captureBytesIn, startProcessTerminals, waitForSerial } from '../terminals.js';
import type { ProcessTerminal } from '../terminals.js';
import { startWorkers } from '../workers.js';
import { planReceipts } from '../workload.js';
import type { PlannedReceipt } from '../workload.js';

const SCANNER = { vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw-fake-faults' };
const AFTER_MS = 300;
const SCAN_GAP_MS = 1_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

interface HidTerminal {
  readonly terminal: RunningTerminal;
  readonly pair: SocatPair;
  readonly writer: PtyWriter;
  readonly hid: FakeHidProvider;
  readonly captureDir: string;
}

async function startHidTerminal(
  context: ScenarioContext,
  options: { storeId: string; terminalId: string; prefix: string },
): Promise<HidTerminal> {
  const binding = await loadSystemSerialBinding();
  if (!binding.ok) throw new Error(binding.message);
  const pair = await socatPair();
  context.defer(() => pair.close());
  const dataDir = join(context.dir, 'hid-terminal');
  mkdirSync(dataDir, { recursive: true });
  const hid = new FakeHidProvider([SCANNER]);
  const config = TerminalConfigSchema.parse({
    storeId: options.storeId,
    terminalId: options.terminalId,
    redis: { url: context.redisUrl, prefix: options.prefix },
    dataDir,
    heartbeatIntervalMs: 1000,
    scanMatching: { beforeMs: 60_000, afterMs: AFTER_MS },
    sources: [
      {
        type: 'serial',
        name: 'printer',
        path: pair.devicePath,
        format: 'jsonl',
        reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
      },
      { type: 'hid', device: { vendorId: SCANNER.vendorId, productId: SCANNER.productId } },
    ],
  });
  const redis = createRedisConnection({ url: context.redisUrl }, 'producer');
  redis.on('error', () => undefined);
  context.defer(() => {
    redis.disconnect();
    return undefined;
  });
  const terminal = await buildTerminal({
    config,
    redis,
    logger: createLogger({ name: 'terminal', level: 'silent' }),
    serialBinding: binding.binding,
    hidProvider: hid,
  });
  context.defer(() => terminal.close({ flushTimeoutMs: 5_000 }));
  const writer = new PtyWriter(pair.peerPath);
  context.defer(() => writer.close());
  await until('the HID terminal’s devices', () => {
    const devices = terminal.devices();
    return devices['printer'] === 'open' && devices['hid-0'] === 'connected';
  });
  return { terminal, pair, writer, hid, captureDir: join(dataDir, 'capture', 'printer') };
}

/** Receipts of terminal 0 that carry a customer lose their JSON identity: a scan brings it. */
function chooseScans(receipts: readonly PlannedReceipt[], count: number): Set<PlannedReceipt> {
  const candidates = receipts.filter((r) => r.terminal === 0 && r.expected.clientId !== undefined);
  const step = Math.max(1, Math.floor(candidates.length / (count + 1)));
  const chosen = new Set<PlannedReceipt>();
  for (let i = step; i < candidates.length && chosen.size < count; i += step) {
    const receipt = candidates[i];
    if (receipt !== undefined) chosen.add(receipt);
  }
  return chosen;
}

function withoutIdentity(receipt: PlannedReceipt): PlannedReceipt {
  const draft = JSON.parse(receipt.bytes.toString('utf8')) as Record<string, unknown>;
  return {
    ...receipt,
    bytes: Buffer.from(`${JSON.stringify({ ...draft, identities: [] })}\n`, 'utf8'),
  };
}

export const unplug: Scenario = {
  name: 'unplug',
  summary: 'serial unplug/replug (socat) and HID scanner unplug/replug while receipts come',
  async run(context) {
    const started = Date.now();
    const count = context.short ? 500 : 3_000;
    const scanCount = context.short ? 4 : 20;
    const prefix = scenarioPrefix(context.name);
    context.defer(() => deleteScenarioKeys(context.redisUrl, prefix));
    await context.collector.setFaults({});
    context.defer(() => resetCollector(context));
    const reader = context.collector.reader(context.measurementId);
    const identities = terminalIdentities('un', 3);
    const [hidIdentity, ...processIdentities] = identities;
    if (hidIdentity === undefined) throw new Error('no terminals');
    const workers = startWorkers(context, { count: 2, redisUrl: context.redisUrl, prefix });
    const hidTerminal = await startHidTerminal(context, { ...hidIdentity, prefix });
    const others: ProcessTerminal[] = await startProcessTerminals(context, {
      identities: processIdentities,
      redisUrl: context.redisUrl,
      adminUrl: context.redisUrl,
      prefix,
      format: 'jsonl',
    });
    const planned = planReceipts({
      count,
      terminals: identities,
      customers: 12,
      identifiedShare: 0.4,
      seed: context.seed,
      startMs: Date.now() - 2 * 3_600_000,
      stepMs: 3_600_000 / count,
    });
    const scanned = chooseScans(planned, scanCount);
    const receipts = planned.map((r) => (scanned.has(r) ? withoutIdentity(r) : r));
    const scannedIds = new Set([...scanned].map((r) => r.expected.transactionId));
    const writers = [hidTerminal.writer, ...others.map((t) => t.writer)];
    const captured = [
      () => captureBytesIn(hidTerminal.captureDir),
      ...others.map((t) => () => t.capturedBytes()),
    ];
    const allReceived = (): boolean =>
      writers.every((writer, i) => (captured[i]?.() ?? 0) >= writer.written);
    let serialUnplugs = 0;
    let hidUnplugs = 0;
    let scans = 0;

    const unplugSerial = async (): Promise<void> => {
      await until('every byte written to reach its terminal', allReceived);
      await Promise.all(writers.map((w) => w.close()));
      const pairs = [hidTerminal.pair, ...others.map((t) => t.pair)];
      await Promise.all(pairs.map((p) => p.kill()));
      await until('the HID terminal to see its unplug', () => {
        return hidTerminal.terminal.devices()['printer'] !== 'open';
      });
      await waitForSerial(others, { adminUrl: context.redisUrl, prefix, open: false });
      context.log('serial lines unplugged; every terminal noticed');
      await sleep(1_000);
      await Promise.all(pairs.map((p) => p.restart()));
      await until('the HID terminal’s serial line', () => {
        return hidTerminal.terminal.devices()['printer'] === 'open';
      });
      await waitForSerial(others, { adminUrl: context.redisUrl, prefix, open: true });
      serialUnplugs++;
      context.log('serial lines replugged and open again');
    };
    const unplugHid = async (): Promise<void> => {
      const { hid, terminal } = hidTerminal;
      hid.unplug(SCANNER.path);
      await until('the scanner to be seen gone', () => terminal.devices()['hid-0'] !== 'connected');
      await sleep(500);
      hid.plug(SCANNER);
      await until(
        'the scanner to reconnect',
        () => terminal.devices()['hid-0'] === 'connected',
        60_000,
      );
      hidUnplugs++;
      context.log('HID scanner unplugged and replugged');
    };
    const scanBefore = (receipt: PlannedReceipt): Promise<void> | undefined => {
      const clientId = receipt.expected.clientId;
      if (!scannedIds.has(receipt.expected.transactionId) || clientId === undefined)
        return undefined;
      return (async () => {
        await sleep(SCAN_GAP_MS);
        const device = hidTerminal.hid.current;
        if (device === undefined) throw new Error('no scanner connected');
        device.emitReports(usKeyboardReports(`GA1.1.${clientId}\n`));
        scans++;
        await sleep(100);
      })();
    };

    const sent = await feed(receipts, writers, {
      ratePerSecond: context.short ? 80 : 60,
      atSent: [
        { sent: Math.floor(count * 0.35), action: unplugSerial },
        { sent: Math.floor(count * 0.65), action: unplugHid },
      ],
      before: scanBefore,
    });
    context.log(`fed ${sent} receipts, ${scans} scans`);
    const expected = receipts.slice(0, sent).map((r) => r.expected);
    const expectedIds = new Set(expected.map((r) => r.transactionId));
    await until('every byte written to reach its terminal', allReceived).catch(() => undefined);
    await waitForProgress({
      progress: () => {
        reader.poll();
        let n = 0;
        for (const id of reader.deliveredIds()) if (expectedIds.has(id)) n++;
        return n;
      },
      target: expectedIds.size,
      stallMs: context.short ? 30_000 : 60_000,
      log: context.log,
    });
    await quietPeriod(context, reader);
    const [jobs, reconcile] = await Promise.all([
      readJobStates(context.redisUrl, prefix),
      reconcileDifference(context.redisUrl, prefix),
    ]);
    const { deliveries, requests, withoutTransactionId } = reader.poll();
    const { accounting, deadLettered, pending } = accountWithJobs({ expected, deliveries, jobs });
    if (accounting.lost > 0) context.log(`lost, e.g. ${describeLost(accounting.lostSample, jobs)}`);
    if (accounting.reordered > 0)
      context.log(`reordered, e.g. ${accounting.reorderedSample.join('; ')}`);
    const clientOf = new Map<string, string | undefined>();
    for (const d of deliveries)
      if (!clientOf.has(d.transactionId)) clientOf.set(d.transactionId, d.clientId);
    const scanJoinMismatches = [...scanned].filter(
      (r) =>
        clientOf.has(r.expected.transactionId) &&
        clientOf.get(r.expected.transactionId) !== r.expected.clientId,
    ).length;
    // nothing dies here: no duplicate is explained
    const duplicates = attributeDuplicates(deliveries, [], { only: expectedIds });
    return {
      scenario: context.name,
      sent: accounting.sent,
      delivered: accounting.delivered,
      lost: accounting.lost,
      duplicated: accounting.duplicated,
      reordered: accounting.reordered,
      kills: 0,
      extra: {
        terminals: identities.length,
        workers: workers.length,
        serialUnplugs,
        hidUnplugs,
        scans,
        scanJoinMismatches,
        reorderedTerminal: accounting.reorderedTerminal,
        reorderedClient: accounting.reorderedClient,
        clientMismatches: accounting.clientMismatches,
        unexpected: accounting.unexpected,
        withoutTransactionId,
        duplicatesExplained: duplicates.explained,
        duplicatesUnexplained: accounting.duplicated - duplicates.explained,
        deadLettered,
        pending,
        reconcileDifference: reconcile,
        unexpectedExits: [...workers, ...others.map((t) => t.process)].reduce(
          (sum, p) => sum + p.unexpectedExits(),
          0,
        ),
        requests,
        wallSeconds: Math.round((Date.now() - started) / 100) / 10,
      },
    };
  },
};
