/**
 * One JSON-lines frame → a transaction draft (an object), or a coded rejection. Pure.
 * Bytes must be valid UTF-8 (`ENCODING_INVALID`) holding one JSON object (`JSON_INVALID`,
 * `SCHEMA_INVALID` for other JSON values). The draft is completed and checked against the
 * Transaction contract in the assembly step.
 */
import type { RecordParser, RecordParseResult } from './record-parser.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseJsonlRecord(bytes: Uint8Array): RecordParseResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, code: 'ENCODING_INVALID', reason: 'line is not valid UTF-8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: 'JSON_INVALID', reason: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      code: 'SCHEMA_INVALID',
      reason: 'a journal line must hold one JSON object',
    };
  }
  return { ok: true, draft: value as Record<string, unknown> };
}

export const jsonlRecordParser: RecordParser = { parse: (frame) => parseJsonlRecord(frame.raw) };
