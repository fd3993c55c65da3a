/**
 * Wires one byte source through an input format's framer and parser, assembly, and the sink; no
 * parsing logic of its own.
 *
 * Every frame is accounted for: it becomes a transaction handed to the sink, or a rejection in
 * the reject log — also when the sink refuses it as an id collision (another receipt with
 * different content already has its id): then it is recorded as `TRANSACTION_ID_COLLISION`
 * with the frame's raw bytes. `timeZone` (the store's IANA zone) is passed to assembly, which
 * writes `occurredAt` in it before the id is derived. Transactions are handed over in receipt
 * order after each chunk (bounded by
 * `maxBatch`), so a live device's receipt reaches the sink as soon as its bytes arrived. With
 * `idleCheckMs`, a timer asks the framer to close receipts after a silence (printers without a
 * cut command). Parser warnings (e.g. receipt lines a profile did not understand) go to
 * `onWarning` with the transaction id, never dropped silently.
 * Errors: a sink failure rejects the returned promise (the caller decides: spool, retry, exit).
 * Lifecycle: the caller owns source, sink and reject log; the pipeline ends when the source ends.
 */
import type { Transaction } from '@pos-ga4/transaction';

import { assembleTransaction } from './assemble/assemble-transaction.js';
import type { ByteSource } from './device/byte-source.js';
import { collisionReason } from './enqueue/transaction-sink.js';
import type { TransactionIdCollision, TransactionSink } from './enqueue/transaction-sink.js';
import type { RejectCode } from './errors.js';
import type { Frame } from './frame/framer.js';
import type { InputFormat } from './input-format.js';
import type { RejectIssue, RejectLog } from './reject/reject-log.js';

export interface PipelineStats {
  /** Frames that held a receipt or record (blank lines excluded). */
  receipts: number;
  enqueued: number;
  rejected: number;
  rejectedByCode: Record<string, number>;
}

export interface PipelineOptions {
  readonly source: ByteSource;
  readonly sink: TransactionSink;
  readonly rejects: RejectLog;
  readonly format: InputFormat;
  readonly storeId?: string | undefined;
  readonly terminalId?: string | undefined;
  /** The store's IANA zone: `occurredAt` is rewritten in it before the id is derived. */
  readonly timeZone?: string | undefined;
  readonly shiftDays?: number;
  readonly maxBatch?: number;
  /** Check for idle receipts this often (live devices); off by default. */
  readonly idleCheckMs?: number;
  readonly now?: () => number;
  /** Where a frame's bytes are kept (a raw capture file); default `<source name>@<offset>+<length>`. */
  readonly captureRef?: (frame: { byteOffset: number; length: number }) => string | undefined;
  /** Called after each hand-over, e.g. for progress bars. */
  readonly onProgress?: (stats: Readonly<PipelineStats>) => void;
  readonly onWarning?: (warning: {
    transactionId: string;
    captureRef: string;
    warnings: readonly string[];
  }) => void;
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineStats> {
  const stats: PipelineStats = { receipts: 0, enqueued: 0, rejected: 0, rejectedByCode: {} };
  const maxBatch = options.maxBatch ?? 500;
  const now = options.now ?? Date.now;
  const framer = options.format.createFramer();
  let batch: { transaction: Transaction; frame: Frame }[] = [];

  const captureRef = (frame: Frame): string =>
    options.captureRef?.({ byteOffset: frame.byteOffset, length: frame.raw.length }) ??
    `${options.source.name}@${frame.byteOffset}+${frame.raw.length}`;

  const reject = async (
    frame: Frame,
    rejection: {
      code: RejectCode;
      reason: string;
      issues?: readonly RejectIssue[] | undefined;
    },
  ): Promise<void> => {
    stats.rejected++;
    stats.rejectedByCode[rejection.code] = (stats.rejectedByCode[rejection.code] ?? 0) + 1;
    await options.rejects.record({
      code: rejection.code,
      reason: rejection.reason,
      ...(rejection.issues === undefined ? {} : { issues: rejection.issues }),
      raw: frame.raw,
      format: options.format.name,
      captureRef: captureRef(frame),
    });
  };

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const handing = batch;
    batch = [];
    const collisions: TransactionIdCollision[] = [];
    await options.sink.enqueue(
      handing.map((entry) => entry.transaction),
      (collision) => collisions.push(collision),
    );
    stats.enqueued += handing.length - collisions.length;
    for (const collision of collisions) {
      const entry =
        handing.find((e) => e.transaction === collision.transaction) ??
        handing.find((e) => e.transaction.transactionId === collision.transaction.transactionId);
      if (entry === undefined)
        throw new TypeError(
          `the sink reported a collision for ${collision.transaction.transactionId}, which it was not given`,
        );
      const reason = collisionReason(collision);
      await reject(entry.frame, {
        code: 'TRANSACTION_ID_COLLISION',
        reason,
        issues: [{ path: 'transactionId', message: reason, code: 'TRANSACTION_ID_COLLISION' }],
      });
    }
    options.onProgress?.(stats);
  };

  const handle = async (frames: readonly Frame[]): Promise<void> => {
    for (const frame of frames) {
      stats.receipts++;
      if (frame.kind === 'rejected') {
        await reject(frame, frame);
        continue;
      }
      const parsed = options.format.parser.parse(frame);
      if (!parsed.ok) {
        await reject(frame, parsed);
        continue;
      }
      const result = assembleTransaction(parsed.draft, {
        format: options.format.name,
        captureRef: captureRef(frame),
        ...(options.format.profile === undefined ? {} : { profile: options.format.profile }),
        ...(options.storeId === undefined ? {} : { storeId: options.storeId }),
        ...(options.terminalId === undefined ? {} : { terminalId: options.terminalId }),
        ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
        ...(options.shiftDays === undefined ? {} : { shiftDays: options.shiftDays }),
      });
      if (!result.ok) {
        await reject(frame, result.rejection);
        continue;
      }
      if (parsed.warnings !== undefined && parsed.warnings.length > 0) {
        options.onWarning?.({
          transactionId: result.transaction.transactionId,
          captureRef: captureRef(frame),
          warnings: parsed.warnings,
        });
      }
      batch.push({ transaction: result.transaction, frame });
      if (batch.length >= maxBatch) await flush();
    }
    await flush();
  };

  // Chunks and idle flushes are handled strictly one after another, in arrival order.
  let work: Promise<void> = Promise.resolve();
  const enqueueWork = (frames: () => readonly Frame[]): Promise<void> => {
    work = work.then(() => handle(frames()));
    return work;
  };
  const timer =
    options.idleCheckMs === undefined
      ? undefined
      : setInterval(
          () => void enqueueWork(() => framer.flushIdle(now())).catch(() => undefined),
          options.idleCheckMs,
        );
  try {
    for await (const chunk of options.source) await enqueueWork(() => framer.push(chunk, now()));
    await enqueueWork(() => framer.end());
  } finally {
    if (timer !== undefined) clearInterval(timer);
  }
  return stats;
}
