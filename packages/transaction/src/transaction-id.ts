/**
 * Deterministic transaction ids.
 *
 * Input: store id, terminal id, receipt number and the business date: the date part of
 * `occurredAt` as written, which producers write in the store's time zone (`completeTransaction`
 * with `timeZone`; docs/decisions/0002-transaction-id.md), so one instant always gives one date,
 * and receipt counters that restart every day or at each Z-report stay unique. Pure: it does not
 * look at the offset, so the schema invariant (`TRANSACTION_ID_MISMATCH`) can re-derive it from
 * the transaction alone.
 * Output: `<store>_<terminal>_<yyyymmdd>_<receipt>`, where the receipt keeps letters, digits and
 * `-` and every other byte becomes `.` plus two hex digits. The mapping is injective, never
 * empty, never all digits, never contains `:` (so it is also a valid BullMQ job id), and is at most
 * 100 characters (a GA4 parameter value limit). When the readable form would be longer, the
 * receipt part becomes `h` plus 20 hex digits of its SHA-256.
 */
import { createHash } from 'node:crypto';

export const TRANSACTION_ID_MAX_LENGTH = 100;

export interface TransactionIdParts {
  readonly storeId: string;
  readonly terminalId: string;
  readonly receiptNumber: string;
  /** ISO 8601 with offset, written in the store's zone; its date part is the business date. */
  readonly occurredAt: string;
}

function encodeReceipt(receipt: string): string {
  let out = '';
  for (const byte of Buffer.from(receipt, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9-]/.test(ch) ? ch : `.${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function deriveTransactionId(parts: TransactionIdParts): string {
  const businessDate = parts.occurredAt.slice(0, 10).replaceAll('-', '');
  const head = `${parts.storeId}_${parts.terminalId}_${businessDate}_`;
  const readable = head + encodeReceipt(parts.receiptNumber);
  if (readable.length <= TRANSACTION_ID_MAX_LENGTH) return readable;
  const digest = createHash('sha256').update(parts.receiptNumber, 'utf8').digest('hex');
  return `${head}h${digest.slice(0, 20)}`;
}
