/**
 * The JSON Schemas pos-ga4 publishes under `schemas/`: generated from the zod schemas, committed,
 * and checked up to date by a test (`npx pos-ga4 schemas write` regenerates them).
 */
import { ReceiptProfileSchema, TerminalConfigSchema } from '@pos-ga4/terminal';
import { transactionJsonSchema } from '@pos-ga4/transaction';
import { WorkerConfigSchema } from '@pos-ga4/worker';
import { z } from 'zod';

export function generatedSchemas(): Record<string, string> {
  const worker = {
    $id: 'https://pos-ga4.dev/schemas/worker-config.schema.json',
    title: 'pos-ga4 worker config',
    ...z.toJSONSchema(WorkerConfigSchema, {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
    }),
  };
  const terminal = {
    $id: 'https://pos-ga4.dev/schemas/terminal-config.schema.json',
    title: 'pos-ga4 terminal config',
    ...z.toJSONSchema(TerminalConfigSchema, {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
    }),
  };
  const receiptProfile = {
    $id: 'https://pos-ga4.dev/schemas/receipt-profile.schema.json',
    title: 'pos-ga4 receipt profile',
    ...z.toJSONSchema(ReceiptProfileSchema, {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
    }),
  };
  return {
    'receipt-profile.schema.json': `${JSON.stringify(receiptProfile, null, 2)}\n`,
    'terminal-config.schema.json': `${JSON.stringify(terminal, null, 2)}\n`,
    'transaction.schema.json': `${JSON.stringify(transactionJsonSchema(), null, 2)}\n`,
    'worker-config.schema.json': `${JSON.stringify(worker, null, 2)}\n`,
  };
}
