/**
 * Wires one byte source through framing, parsing and assembly into the sink; no parsing logic of
 * its own. Currently line formats (JSON lines); ESC/POS and key=value plug in as other framers
 * and parsers.
 *
 * Every frame is accounted for: it becomes a transaction handed to the sink, or a rejection in
 * the reject log. Transactions are handed over in receipt order, after each chunk (bounded by
 * `maxBatch`), so a live device's receipt reaches Redis as soon as its bytes arrived.
 * Errors: a sink failure rejects the returned promise (the caller decides: spool, retry, exit).
 * Lifecycle: the caller owns source, sink and reject log.
 */
import type { Transaction } from '@pos-ga4/transaction';

import { assembleTransaction } from './assemble/assemble-transaction.js';
import type { ByteSource } from './device/byte-source.js';
import type { TransactionSink } from './enqueue/transaction-sink.js';
import { endLines, initialLineState, stepLines } from './frame/lines/line-framer.js';
import type { LineFramerFrame } from './frame/lines/line-framer.js';
import { parseJsonlRecord } from './parse/jsonl-record-parser.js';
import type { RejectLog } from './reject/reject-log.js';

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
  readonly format: 'jsonl';
  readonly storeId?: string | undefined;
  readonly terminalId?: string | undefined;
  readonly shiftDays?: number;
  readonly maxBatch?: number;
  /** Called after each hand-over, e.g. for progress bars. */
  readonly onProgress?: (stats: Readonly<PipelineStats>) => void;
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineStats> {
  const stats: PipelineStats = { receipts: 0, enqueued: 0, rejected: 0, rejectedByCode: {} };
  const maxBatch = options.maxBatch ?? 500;
  let batch: Transaction[] = [];

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const handing = batch;
    batch = [];
    await options.sink.enqueue(handing);
    stats.enqueued += handing.length;
    options.onProgress?.(stats);
  };

  const reject = async (
    frame: { bytes: Uint8Array; byteOffset: number },
    rejection: {
      code: string;
      reason: string;
      issues?: readonly { path: string; message: string; code: string }[];
    },
  ): Promise<void> => {
    stats.rejected++;
    stats.rejectedByCode[rejection.code] = (stats.rejectedByCode[rejection.code] ?? 0) + 1;
    await options.rejects.record({
      ...rejection,
      raw: frame.bytes,
      format: options.format,
      captureRef: `${options.source.name}@${frame.byteOffset}+${frame.bytes.length}`,
    });
  };

  const handle = async (frames: readonly LineFramerFrame[]): Promise<void> => {
    for (const frame of frames) {
      stats.receipts++;
      if (frame.kind === 'rejected') {
        await reject(frame, frame);
        continue;
      }
      const parsed = parseJsonlRecord(frame.bytes);
      if (!parsed.ok) {
        await reject(frame, parsed);
        continue;
      }
      const result = assembleTransaction(parsed.draft, {
        format: options.format,
        captureRef: `${options.source.name}@${frame.byteOffset}+${frame.bytes.length}`,
        ...(options.storeId === undefined ? {} : { storeId: options.storeId }),
        ...(options.terminalId === undefined ? {} : { terminalId: options.terminalId }),
        ...(options.shiftDays === undefined ? {} : { shiftDays: options.shiftDays }),
      });
      if (!result.ok) {
        await reject(frame, result.rejection);
        continue;
      }
      batch.push(result.transaction);
      if (batch.length >= maxBatch) await flush();
    }
  };

  let state = initialLineState();
  for await (const chunk of options.source) {
    const step = stepLines(state, chunk);
    state = step.state;
    await handle(step.frames);
    await flush();
  }
  await handle(endLines(state));
  await flush();
  return stats;
}
