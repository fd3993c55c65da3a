/**
 * A dead letter: a transaction the worker will not send without an operator.
 * Holds the reason code (docs/errors.md), the original transaction, the last request body that
 * was built (never the api_secret: it is a query parameter, not part of the body), and attempts.
 * The schema reads any non-empty `reason`: letters written by another version of the worker may
 * carry codes this one does not know. Writers name their codes' type instead: the worker writes
 * `DeadLetterJobData<DeadLetterReason>` (docs/errors.md), so it cannot write a misspelt one.
 */
import { TransactionSchema } from '@pos-ga4/transaction';
import { z } from 'zod';

export const DeadLetterJobDataSchema = z.strictObject({
  reason: z.string().min(1),
  message: z.string(),
  transaction: TransactionSchema,
  lastRequest: z.unknown().optional(),
  attempts: z.number().int().min(0),
  failedAt: z.iso.datetime({ offset: true }),
  originalJobId: z.string().min(1),
});

/** A dead letter; `Reason` is the writer's code type (readers get any string). */
export type DeadLetterJobData<Reason extends string = string> = Omit<
  z.output<typeof DeadLetterJobDataSchema>,
  'reason'
> & { reason: Reason };
