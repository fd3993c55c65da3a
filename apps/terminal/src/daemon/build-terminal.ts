/**
 * build(deps) → the running terminal adapter; `main` (the CLI `terminal` command) only reads
 * config, builds the real device bindings and handles signals.
 *
 * Receipt sources (serial lines with raw capture, or files) run through their format's pipeline
 * into the durable sink: every receipt is fsync'd into the local spool before anything else, then
 * handed to Redis in order and in bulk when Redis answers (docs/terminal-durability.md). Every
 * receipt's `occurredAt` is written in the store's zone (`storeTimeZone`) before its id is
 * derived. A receipt whose id another receipt already has is a `TRANSACTION_ID_COLLISION`
 * reject: found before the spool by the pipeline, or at hand-over by the queue (its raw bytes are
 * then read back from the capture or file its `captureRef` names). HID
 * scanners feed the scan-to-receipt binder; when one is configured, receipts are held in the
 * spool for the matching window after their cut so late scans still join them. The spool drains
 * at once when the Redis connection becomes ready again (`retryNow`). Rejected input
 * and unmatched scans go to the reject log. Heartbeats report devices, spool depth and the last
 * receipt.
 * Lifecycle: `start()` once; `close()` stops the sources, hands over what it can within the
 * deadline, and closes the spool (what is left is drained at the next start).
 */
import { join } from 'node:path';

import type { Logger } from '@pos-ga4/logger';
import type { Transaction } from '@pos-ga4/transaction';
import type { Redis } from 'ioredis';

import { ScanIdentityBinder } from '../assemble/scan-identity-binder.js';
import type { ByteSource } from '../device/byte-source.js';
import { CaptureWriter } from '../device/capture/index.js';
import { fileByteSource } from '../device/file-byte-source.js';
import { buildHidScanSource } from '../device/hid/index.js';
import type { HidDeviceProvider, HidScanSource } from '../device/hid/index.js';
import { SerialByteSource, serialSourceName } from '../device/serial/index.js';
import type { SerialBinding } from '../device/serial/index.js';
import { bullmqTransactionSink } from '../enqueue/bullmq-transaction-sink.js';
import { durableTransactionSink } from '../enqueue/durable-transaction-sink.js';
import type { DurableTransactionSink } from '../enqueue/durable-transaction-sink.js';
import { collisionReason } from '../enqueue/transaction-sink.js';
import type { OnCollision, TransactionIdCollision } from '../enqueue/transaction-sink.js';
import { openFileSpool } from '../enqueue/spool/index.js';
import { redisHeartbeatStore, startHeartbeat } from '../heartbeat/index.js';
import type { HeartbeatPublisher } from '../heartbeat/index.js';
import { inputFormat } from '../input-format.js';
import type { InputFormat } from '../input-format.js';
import type { TerminalMetricsHooks } from '../metrics/terminal-metrics.js';
import { loadReceiptProfile } from '../parse/profile/load-profile.js';
import type { ReceiptProfile } from '../parse/profile/profile-schema.js';
import { runPipeline } from '../pipeline.js';
import type { PipelineStats } from '../pipeline.js';
import { fileRejectLog } from '../reject/file-reject-log.js';
import { rawBytesReader } from '../reject/raw-bytes-reader.js';
import { storeTimeZone } from '../config.js';
import type { TerminalConfig, TerminalSourceConfig } from '../config.js';

export const TERMINAL_VERSION = '0.1.0';

export interface TerminalDeps {
  readonly config: TerminalConfig;
  /** A producer connection (fails fast; see @pos-ga4/redis). */
  readonly redis: Redis;
  readonly logger: Logger;
  /** Needed when a serial source is configured (production: loadSystemSerialBinding()). */
  readonly serialBinding?: SerialBinding;
  /** HID access; production: node-hid, loaded only when a scanner is configured. */
  readonly hidProvider?: HidDeviceProvider;
  readonly now?: () => Date;
  /** Counts receipts enqueued and rejected (see metrics/start-terminal-metrics.ts). */
  readonly metrics?: TerminalMetricsHooks;
}

export interface RunningTerminal {
  readonly sink: DurableTransactionSink;
  /** Resolves when every finite source (files) has been read. */
  readonly sourcesDone: Promise<PipelineStats[]>;
  devices(): Record<string, string>;
  close(options?: { flushTimeoutMs?: number }): Promise<void>;
}

type ReceiptSourceConfig = Exclude<TerminalSourceConfig, { type: 'hid' }>;

function profileOf(source: ReceiptSourceConfig): ReceiptProfile | undefined {
  if (source.format !== 'escpos') return undefined;
  if (source.profile === undefined) throw new TypeError('an escpos source needs a receipt profile');
  return loadReceiptProfile(source.profile);
}

function formatOf(source: ReceiptSourceConfig, profile: ReceiptProfile | undefined): InputFormat {
  if (source.format === 'escpos') {
    if (profile === undefined) throw new TypeError('an escpos source needs a receipt profile');
    return inputFormat({ format: 'escpos', profile });
  }
  return inputFormat({ format: source.format });
}

function captureDirOf(config: TerminalConfig, source: ReceiptSourceConfig): string | undefined {
  if (source.type !== 'serial' || !config.capture.enabled) return undefined;
  return config.capture.dir ?? join(config.dataDir, 'capture', serialSourceName(source));
}

export async function buildTerminal(deps: TerminalDeps): Promise<RunningTerminal> {
  const { config, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const dataDir = config.dataDir;
  const fileRejects = fileRejectLog(join(dataDir, 'rejects'), now);
  const rejects = deps.metrics === undefined ? fileRejects : deps.metrics.countRejects(fileRejects);
  const hidSources = config.sources.filter((s) => s.type === 'hid');
  const receiptSources = config.sources
    .filter((s) => s.type !== 'hid')
    .map((source) => ({ source, profile: profileOf(source) }));
  const timeZone = storeTimeZone(
    config.timeZone,
    receiptSources.flatMap(({ profile }) =>
      profile === undefined ? [] : [profile.dates.timeZone],
    ),
  );
  logger.info({ timeZone }, "business dates are taken in the store's time zone");
  const rawBytesOf = rawBytesReader({
    captureDirs: receiptSources.flatMap(({ source }) => captureDirOf(config, source) ?? []),
    files: receiptSources.flatMap(({ source }) => (source.type === 'file' ? [source.path] : [])),
  });
  // A collision the queue found at hand-over: the receipt's frame is gone, its bytes are read back.
  const rejectHandedOver = async (collision: TransactionIdCollision): Promise<void> => {
    const { transaction } = collision;
    const captureRef = transaction.source.captureRef ?? transaction.transactionId;
    const raw = await rawBytesOf(transaction.source.captureRef);
    const reason = `${collisionReason(collision)}${raw === undefined ? ` (raw bytes no longer at ${captureRef}: the record holds the transaction)` : ''}`;
    logger.warn(
      { transactionId: transaction.transactionId, captureRef },
      'transaction id collision: receipt rejected',
    );
    await rejects.record({
      code: 'TRANSACTION_ID_COLLISION',
      reason,
      issues: [{ path: 'transactionId', message: reason, code: 'TRANSACTION_ID_COLLISION' }],
      raw: raw ?? Buffer.from(JSON.stringify(transaction), 'utf8'),
      format: transaction.source.format,
      captureRef,
    });
  };

  const binder =
    hidSources.length === 0
      ? undefined
      : new ScanIdentityBinder({
          window: config.scanMatching,
          now: () => now().getTime(),
          onUnmatched: (unmatched) => {
            logger.info(
              { reason: unmatched.reason, kind: unmatched.scan.classification.kind },
              'scan matched no receipt',
            );
            void rejects
              .record({
                code: 'SCAN_UNMATCHED',
                reason: `${unmatched.reason}${unmatched.detail === undefined ? '' : ` (${unmatched.detail})`}: ${unmatched.scan.data.slice(0, 80)}`,
                raw: Buffer.from(unmatched.scan.raw.join(''), 'hex'),
                format: 'hid',
                captureRef: `scan@${unmatched.scan.at}`,
              })
              .catch((error: unknown) => {
                logger.error({ err: error }, 'could not record an unmatched scan');
              });
          },
        });

  const spool = await openFileSpool({
    dir: join(dataDir, 'spool'),
    capacity: { maxEntries: config.spool.maxEntries, maxBytes: config.spool.maxBytes },
    onAlarm: (level) => {
      logger.warn({ level }, 'spool filling up: is Redis reachable?');
    },
    now,
  });
  const sink = durableTransactionSink({
    spool,
    createInnerSink: () =>
      bullmqTransactionSink({
        connection: deps.redis,
        prefix: config.redis.prefix,
        partitions: config.partitions,
      }),
    onHandOverError: (error) => {
      logger.warn({ err: error }, 'hand-over to Redis failed; kept in the spool');
    },
    onHandOverCollision: rejectHandedOver,
    now,
    ...(binder === undefined
      ? {}
      : {
          holdMs: config.scanMatching.afterMs + 500,
          beforeHandOver: (transactions) => binder.apply(transactions),
        }),
  });
  // Hand the spool over as soon as Redis is back, not when the drain's backoff (up to 30 s) ends.
  const onRedisReady = (): void => {
    sink.retryNow();
  };
  deps.redis.on('ready', onRedisReady);
  // The binder learns each receipt's cut time when it is spooled.
  const pipelineSink =
    binder === undefined
      ? sink
      : {
          async enqueue(
            transactions: Parameters<typeof sink.enqueue>[0],
            onCollision?: OnCollision,
          ) {
            const cutAt = now();
            const collided = new Set<Transaction>();
            await sink.enqueue(transactions, (collision) => {
              collided.add(collision.transaction);
              onCollision?.(collision);
            });
            // only receipts that were spooled can be joined by a scan
            binder.addReceipts(
              transactions.filter((t) => !collided.has(t)),
              cutAt,
            );
          },
          close: () => Promise.resolve(),
        };

  const deviceStates: Record<string, string> = {};
  const byteSources: ByteSource[] = [];
  const captures: CaptureWriter[] = [];
  const pipelines: Promise<PipelineStats>[] = [];
  for (const { source, profile } of receiptSources) {
    const format = formatOf(source, profile);
    let byteSource: ByteSource;
    let captureRef:
      ((frame: { byteOffset: number; length: number }) => string | undefined) | undefined;
    if (source.type === 'serial') {
      if (!deps.serialBinding)
        throw new TypeError('a serial source is configured but no serial binding was given');
      const name = serialSourceName(source);
      const captureDir = captureDirOf(config, source);
      const capture =
        captureDir === undefined
          ? undefined
          : new CaptureWriter({ ...config.capture, dir: captureDir });
      if (capture) captures.push(capture);
      byteSource = new SerialByteSource({
        config: source,
        binding: deps.serialBinding,
        ...(capture === undefined ? {} : { capture }),
        onStateChange: (state) => {
          deviceStates[name] = state.state;
          logger.info(
            { device: name, state: state.state, error: state.lastError?.message },
            'serial device',
          );
        },
      });
      if (capture) captureRef = (frame) => capture.refAt(frame.byteOffset, frame.length);
      deviceStates[name] = 'reconnecting';
    } else {
      byteSource = fileByteSource(source.path);
    }
    byteSources.push(byteSource);
    pipelines.push(
      runPipeline({
        source: byteSource,
        sink: pipelineSink,
        rejects,
        format,
        storeId: config.storeId,
        terminalId: config.terminalId,
        timeZone,
        idleCheckMs: 250,
        ...(captureRef === undefined ? {} : { captureRef }),
        ...(deps.metrics === undefined ? {} : { onProgress: deps.metrics.progressRecorder() }),
        onWarning: (warning) => {
          logger.warn(warning, 'receipt lines the profile did not understand');
        },
      }),
    );
  }

  const scanners: HidScanSource[] = [];
  const scanLoops: Promise<void>[] = [];
  for (const [index, source] of hidSources.entries()) {
    const name = `hid-${index}`;
    const scanner = buildHidScanSource(source, {
      ...(deps.hidProvider === undefined ? {} : { provider: deps.hidProvider }),
      classify: {
        loyaltyPatterns: config.loyaltyPatterns,
        ...(Object.keys(config.appQrKeys).length === 0
          ? {}
          : { appQr: { keys: config.appQrKeys, maxAgeSeconds: config.appQrMaxAgeSeconds } }),
      },
      onStateChange: (state) => {
        deviceStates[name] = state.status;
      },
    });
    deviceStates[name] = 'searching';
    scanners.push(scanner);
    scanLoops.push(
      (async () => {
        for await (const scan of scanner) binder?.addScan(scan, config.terminalId);
      })(),
    );
  }

  const heartbeat: HeartbeatPublisher = startHeartbeat({
    store: redisHeartbeatStore({ connection: deps.redis, prefix: config.redis.prefix }),
    identity: { storeId: config.storeId, terminalId: config.terminalId, version: TERMINAL_VERSION },
    intervalMs: config.heartbeatIntervalMs,
    devices: () => ({ ...deviceStates }),
    spool: () => sink.status(),
    lastReceiptAt: () => sink.status().lastReceiptAt,
    onError: (error) => {
      logger.debug({ err: error }, 'heartbeat not published');
    },
    now,
  });

  const sourcesDone = Promise.all(pipelines);
  return {
    sink,
    sourcesDone,
    devices: () => ({ ...deviceStates }),
    async close(options = {}) {
      deps.redis.off('ready', onRedisReady);
      await Promise.all(byteSources.map((s) => s.close()));
      await Promise.all(scanners.map((s) => s.close()));
      await Promise.allSettled([sourcesDone, ...scanLoops]);
      binder?.flush();
      await sink.flush({ timeoutMs: options.flushTimeoutMs ?? 5_000 }).catch(() => undefined);
      await heartbeat.close();
      await sink.close();
      await Promise.all(captures.map((c) => c.close()));
    },
  };
}
