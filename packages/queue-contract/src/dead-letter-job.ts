/**
 * A dead letter: a transaction the worker will not send without an operator.
 * Holds the reason code (docs/errors.md), the original transaction, the last request body that
 * was built (never the api_secret: it is a query parameter, not part of the body), and attempts.
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

export type DeadLetterJobData = z.output<typeof DeadLetterJobDataSchema>;
