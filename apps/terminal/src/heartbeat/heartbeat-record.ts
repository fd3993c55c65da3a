/**
 * What a terminal's heartbeat says and how it sits in Redis (the contract between terminals and
 * `pos-ga4 status`). Under the BullMQ prefix (keys and index members: `heartbeatKey`,
 * `heartbeatIndexKey`, `heartbeatMember` in @pos-ga4/queue-contract redis-keys.ts):
 * - `<prefix>:{terminals}:<storeId>:<terminalId>`: a hash with the fields `encodeHeartbeat` writes
 *   (all strings), replaced whole by each heartbeat, expiring after the TTL;
 * - `<prefix>:{terminals}`: a sorted set indexing them, member `<storeId>:<terminalId>`, score the
 *   last-seen time in ms; members older than the TTL are pruned by each heartbeat.
 * Store and terminal ids never contain `:` (EntityId), so member and key split unambiguously.
 * The `{terminals}` hash tag puts all of them in one Redis Cluster slot, so one MULTI can
 * update a hash and the index.
 * `decodeHeartbeat` never throws: an unreadable hash answers `undefined`.
 */
import { z } from 'zod';

export {
  heartbeatIndexKey,
  heartbeatKey,
  heartbeatMember,
  parseHeartbeatMember as parseMember,
} from '@pos-ga4/queue-contract';

export interface TerminalHeartbeat {
  readonly storeId: string;
  readonly terminalId: string;
  readonly version: string;
  readonly hostname: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly lastSeenAt: string;
  /** How often this terminal publishes, so a reader can judge silence. */
  readonly intervalMs: number;
  /** Device name → state, as the terminal's device layer reports it (e.g. printer: "ok"). */
  readonly devices: Readonly<Record<string, string>>;
  readonly spool:
    { readonly depth: number; readonly alarm: boolean; readonly full: boolean } | undefined;
  /** When the terminal last captured a receipt. */
  readonly lastReceiptAt: string | undefined;
}

export function encodeHeartbeat(heartbeat: TerminalHeartbeat): Record<string, string> {
  return {
    storeId: heartbeat.storeId,
    terminalId: heartbeat.terminalId,
    version: heartbeat.version,
    hostname: heartbeat.hostname,
    pid: String(heartbeat.pid),
    startedAt: heartbeat.startedAt,
    lastSeenAt: heartbeat.lastSeenAt,
    intervalMs: String(heartbeat.intervalMs),
    devices: JSON.stringify(heartbeat.devices),
    ...(heartbeat.spool === undefined
      ? {}
      : {
          spoolDepth: String(heartbeat.spool.depth),
          spoolAlarm: heartbeat.spool.alarm ? '1' : '0',
          spoolFull: heartbeat.spool.full ? '1' : '0',
        }),
    ...(heartbeat.lastReceiptAt === undefined ? {} : { lastReceiptAt: heartbeat.lastReceiptAt }),
  };
}

const count = z.string().regex(/^\d+$/).transform(Number);
const flag = z.enum(['0', '1']).transform((v) => v === '1');
const devices = z.string().transform((text, ctx): Record<string, string> => {
  try {
    return z.record(z.string(), z.string()).parse(JSON.parse(text));
  } catch {
    ctx.addIssue({ code: 'custom', message: 'devices is not a JSON object of strings' });
    return z.NEVER;
  }
});

const HeartbeatHashSchema = z.object({
  storeId: z.string().min(1),
  terminalId: z.string().min(1),
  version: z.string(),
  hostname: z.string(),
  pid: count,
  startedAt: z.string(),
  lastSeenAt: z.string(),
  intervalMs: count,
  devices,
  spoolDepth: count.optional(),
  spoolAlarm: flag.optional(),
  spoolFull: flag.optional(),
  lastReceiptAt: z.string().optional(),
});

export function decodeHeartbeat(
  hash: Readonly<Record<string, string>>,
): TerminalHeartbeat | undefined {
  const parsed = HeartbeatHashSchema.safeParse(hash);
  if (!parsed.success) return undefined;
  const { spoolDepth, spoolAlarm, spoolFull, lastReceiptAt, ...rest } = parsed.data;
  return {
    ...rest,
    spool:
      spoolDepth === undefined
        ? undefined
        : { depth: spoolDepth, alarm: spoolAlarm ?? false, full: spoolFull ?? false },
    lastReceiptAt,
  };
}
