/**
 * How a transaction job's end is written into BullMQ, for whoever reads it back (`pos-ga4
 * reconcile`, the fault harness, Bull Board):
 * - A dead-lettered job fails with `failedReason` = `<CODE>: <message>` (`encodeFailedReason`),
 *   CODE a reason code of docs/errors.md (`[A-Z0-9_]+`), the message free text (it may contain
 *   `: ` and newlines). `decodeFailedReason` reads it back; anything else (BullMQ's own reasons
 *   such as "job stalled more than allowable limit", a code written otherwise) is `undefined`.
 *   The full dead letter (transaction, last request, attempts) is in the dead-letter queue
 *   (dead-letter-job.ts); this is what the failed job itself says.
 * - A completed job's return value is a `JobResult` (`encodeJobResult`): transaction id, outcome
 *   (`sent`, `skipped` for a void, `deduplicated` when the sent-ledger already had it), the
 *   reason of a skip, the request id that delivered it, mapping counts, and for refunds whether
 *   they were linked to their purchase. It is the worker's DeliveryOutcome without what only its
 *   in-process observers get (`enqueuedAt`); `dead-lettered` is never a return value (those jobs
 *   fail). `decodeJobResult` validates one read back (extra fields from a newer worker are
 *   dropped); one that does not parse is `undefined`.
 * Workers and readers are deployed apart: decoders never throw. Pure.
 */
import { z } from 'zod';

/** A reason code as it leads a failed job's reason. */
export const FAILURE_CODE = /^[A-Z0-9_]+$/;

const FAILED_REASON = /^([A-Z0-9_]+): ?(.*)$/s;

/**
 * `<code>: <message>`. Never throws (it runs where a job is being failed); a `code` that is not a
 * reason code (`FAILURE_CODE`) is written as given and reads back as `undefined`.
 */
export function encodeFailedReason(code: string, message: string): string {
  return `${code}: ${message}`;
}

/** The reason code and message of a failed job's reason, or undefined when it has none. */
export function decodeFailedReason(
  text: string | null | undefined,
): { code: string; message: string } | undefined {
  if (typeof text !== 'string') return undefined;
  const match = FAILED_REASON.exec(text);
  const code = match?.[1];
  if (code === undefined) return undefined;
  return { code, message: match?.[2] ?? '' };
}

export const JOB_RESULT_OUTCOMES = ['sent', 'skipped', 'deduplicated'] as const;

export const JobResultSchema = z.object({
  transactionId: z.string(),
  outcome: z.enum(JOB_RESULT_OUTCOMES),
  /** Skipped: why (`VOID_NOT_SENT`). */
  reason: z.string().optional(),
  /** Sent or deduplicated: the request that delivered it (the sent-ledger's, when deduplicated). */
  requestId: z.string().optional(),
  /** Sent: receipt lines folded into `pos_other_items`, texts cut to a GA4 limit. */
  counts: z.object({ itemsFolded: z.number(), textsTruncated: z.number() }).optional(),
  /** Sent refunds: linked to a purchase pos-ga4 sent, or sent without one. */
  refundLink: z.enum(['linked', 'unmatched']).optional(),
});

export type JobResult = z.output<typeof JobResultSchema>;
export type JobResultOutcome = (typeof JOB_RESULT_OUTCOMES)[number];

/** The return value to complete a job with: the known fields of `result`, nothing else. */
export function encodeJobResult(result: JobResult): JobResult {
  return {
    transactionId: result.transactionId,
    outcome: result.outcome,
    ...(result.reason === undefined ? {} : { reason: result.reason }),
    ...(result.requestId === undefined ? {} : { requestId: result.requestId }),
    ...(result.counts === undefined
      ? {}
      : {
          counts: {
            itemsFolded: result.counts.itemsFolded,
            textsTruncated: result.counts.textsTruncated,
          },
        }),
    ...(result.refundLink === undefined ? {} : { refundLink: result.refundLink }),
  };
}

/** A completed job's return value, validated; undefined when it is not a `JobResult`. */
export function decodeJobResult(value: unknown): JobResult | undefined {
  const parsed = JobResultSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
