/**
 * Draft → Transaction: attaches the source (format and capture reference), applies an optional
 * date shift (replays), then completes and checks it against the contract. With
 * `context.timeZone` (the store's zone) `occurredAt` is first rewritten as the same instant in
 * that zone, so the business date in the id is the store's local date (`completeTransaction`).
 * Pure.
 */
import { completeTransaction } from '@pos-ga4/transaction';
import type { CompletionContext, ParseResult } from '@pos-ga4/transaction';

import { shiftDraftDates } from './shift-dates.js';

export interface AssembleContext extends CompletionContext {
  readonly format: 'escpos' | 'jsonl' | 'kv';
  readonly captureRef: string;
  /** The receipt profile that parsed it (ESC/POS). */
  readonly profile?: string;
  /** Whole days added to every date in the draft (replay of old captures); default 0. */
  readonly shiftDays?: number;
}

export function assembleTransaction(
  draft: Record<string, unknown>,
  context: AssembleContext,
): ParseResult {
  const shifted = context.shiftDays ? shiftDraftDates(draft, context.shiftDays) : draft;
  const source = {
    format: context.format,
    captureRef: context.captureRef,
    ...(context.profile === undefined ? {} : { profile: context.profile }),
  };
  const withSource = { ...shifted, source };
  return completeTransaction(withSource, context);
}
