/**
 * Scenario 7, `fuzz`: 10,000 fuzzed ESC/POS printer streams (`--short`: 500) written into real
 * terminal processes over socat serial lines (ESC/POS format, `profiles/frischmarkt-de.yaml`),
 * four tills (`markt-0815/kasse-1…4`; three with `--short`), two workers.
 *
 * The streams (fuzz-streams.ts) are the Frischmarkt receipts of fixtures/profiles with their
 * identity lines rewritten (own receipt number per stream, the till, a date 10 minutes ago) and
 * 0–4 byte mutations in the text around them. Each stream is exactly one receipt frame (one cut),
 * so it is accounted **per stream**: it must end as exactly one of a delivered transaction (its
 * id at the collector), a terminal reject (kept in the terminal's reject store with a reason
 * code; traced back by the `Kasse` and `Bon-Nr.` in its raw bytes) or a worker dead letter (with
 * its reason). `lost` = streams with none of these; `duplicated` counts deliveries beyond the
 * first and streams with two outcomes; `reordered` = delivered receipts out of receipt order on
 * their till. `kills` = 0, so every duplicate fails the run. After the wait, the quiet period.
 */
import { readFileSync } from 'node:fs';

import type { ExpectedReceipt } from '../accounting.js';
import {
  fuzzIdentityAt,
  fuzzStreams,
  FUZZ_STORE_ID,
  fuzzTerminalId,
  streamOfRaw,
} from '../fuzz-streams.js';
import { ROOT } from '../processes.js';
import { feed } from '../pty-feeder.js';
import {
  deleteScenarioKeys,
  failedJobIds,
  readJobStates,
  reconcileDifference,
} from '../redis-state.js';
import type { Scenario } from '../scenario.js';
import {
  accountWithJobs,
  describeLost,
  quietPeriod,
  resetCollector,
  scenarioPrefix,
  waitForProgress,
} from '../stream-run.js';
import { startProcessTerminals } from '../terminals.js';
import type { ProcessTerminal } from '../terminals.js';
import { startWorkers } from '../workers.js';

const PROFILE = `${ROOT}profiles/frischmarkt-de.yaml`;
const TEMPLATES = ['bar.bin', 'karte.bin'].map((name) =>
  readFileSync(`${ROOT}fixtures/profiles/frischmarkt-de/${name}`),
);

/** Rejects of every terminal, attributed to their stream: id → reason code. */
function rejectsById(
  terminals: readonly ProcessTerminal[],
  ymd: string,
): { byId: Map<string, string>; unattributed: number } {
  const byId = new Map<string, string>();
  let unattributed = 0;
  for (const terminal of terminals)
    for (const record of terminal.rejects()) {
      const stream = streamOfRaw(Buffer.from(record.rawBase64, 'base64'), ymd);
      if (stream === undefined) unattributed++;
      else byId.set(stream.transactionId, record.code);
    }
  return { byId, unattributed };
}

function countBy(values: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

export const fuzz: Scenario = {
  name: 'fuzz',
  summary: 'fuzzed ESC/POS serial streams: each ends delivered or as a kept reject',
  async run(context) {
    const started = Date.now();
    const count = context.short ? 500 : 10_000;
    const tills = context.short ? 3 : 4;
    const prefix = scenarioPrefix(context.name);
    context.defer(() => deleteScenarioKeys(context.redisUrl, prefix));
    await context.collector.setFaults({});
    context.defer(() => resetCollector(context));
    const reader = context.collector.reader(context.measurementId);
    const identity = fuzzIdentityAt(new Date(Date.now() - 10 * 60_000), 'Europe/Berlin');
    const streams = fuzzStreams({
      templates: TEMPLATES,
      count,
      tills,
      seed: context.seed,
      firstReceipt: 1,
      identity,
    });
    const identities = Array.from({ length: tills }, (_, i) => ({
      storeId: FUZZ_STORE_ID,
      terminalId: fuzzTerminalId(i + 1),
    }));
    context.log(`${count} fuzzed streams into ${tills} terminals, 2 workers`);
    const workers = startWorkers(context, { count: 2, redisUrl: context.redisUrl, prefix });
    const terminals = await startProcessTerminals(context, {
      identities,
      redisUrl: context.redisUrl,
      adminUrl: context.redisUrl,
      prefix,
      format: 'escpos',
      profile: PROFILE,
    });
    const items = streams.map((s) => ({ terminal: s.till - 1, bytes: s.bytes }));
    const sent = await feed(
      items,
      terminals.map((t) => t.writer),
      { ratePerSecond: context.short ? 200 : 300 },
    );
    context.log(`fed ${sent} streams in ${Math.round((Date.now() - started) / 1000)} s`);
    const indexOnTill = new Map<number, number>();
    const expected: ExpectedReceipt[] = streams.slice(0, sent).map((s) => {
      const index = indexOnTill.get(s.till) ?? 0;
      indexOnTill.set(s.till, index + 1);
      return {
        transactionId: s.transactionId,
        terminal: `${FUZZ_STORE_ID}/${fuzzTerminalId(s.till)}`,
        index,
        occurredAtMs: 0,
      };
    });
    const expectedIds = new Set(expected.map((e) => e.transactionId));
    let failed = new Map<string, string>();
    let failedReadAt = 0;
    await waitForProgress({
      progress: async () => {
        reader.poll();
        if (Date.now() - failedReadAt > 2_000) {
          failed = await failedJobIds(context.redisUrl, prefix);
          failedReadAt = Date.now();
        }
        const outcomes = new Set([
          ...reader.deliveredIds(),
          ...rejectsById(terminals, identity.ymd).byId.keys(),
          ...failed.keys(),
        ]);
        let n = 0;
        for (const id of outcomes) if (expectedIds.has(id)) n++;
        return n;
      },
      target: expectedIds.size,
      stallMs: context.short ? 30_000 : 60_000,
      log: context.log,
      pollMs: 1_000,
    });
    await quietPeriod(context, reader);
    const [jobs, reconcile] = await Promise.all([
      readJobStates(context.redisUrl, prefix),
      reconcileDifference(context.redisUrl, prefix),
    ]);
    const { deliveries, requests, withoutTransactionId } = reader.poll();
    const rejects = rejectsById(terminals, identity.ymd);
    const kept = new Map(rejects.byId);
    const deadLetters = new Map<string, string>();
    for (const [id, job] of jobs)
      if (job.fate === 'dead-lettered') {
        deadLetters.set(id, job.reason ?? 'UNKNOWN');
        kept.set(id, job.reason ?? 'UNKNOWN');
      }
    const { accounting, pending } = accountWithJobs({ expected, deliveries, jobs, kept });
    if (accounting.lost > 0) context.log(`lost, e.g. ${describeLost(accounting.lostSample, jobs)}`);
    if (accounting.reordered > 0)
      context.log(`reordered, e.g. ${accounting.reorderedSample.join('; ')}`);
    return {
      scenario: context.name,
      sent: accounting.sent,
      delivered: accounting.delivered,
      lost: accounting.lost,
      duplicated: accounting.duplicated,
      reordered: accounting.reordered,
      kills: 0,
      extra: {
        terminals: tills,
        workers: workers.length,
        mutated: streams.slice(0, sent).filter((s) => s.mutations > 0).length,
        rejected: countBy(rejects.byId.values()),
        unattributedRejects: rejects.unattributed,
        deadLettered: countBy(deadLetters.values()),
        pending,
        unexpected: accounting.unexpected,
        clientMismatches: accounting.clientMismatches,
        withoutTransactionId,
        // nothing dies here: no duplicate (nor a stream with two outcomes) is explained
        duplicatesExplained: 0,
        duplicatesUnexplained: accounting.duplicated,
        reconcileDifference: reconcile,
        unexpectedExits: [...workers, ...terminals.map((t) => t.process)].reduce(
          (sum, p) => sum + p.unexpectedExits(),
          0,
        ),
        requests,
        wallSeconds: Math.round((Date.now() - started) / 100) / 10,
      },
    };
  },
};
