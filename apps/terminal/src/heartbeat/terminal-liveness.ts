/**
 * Which terminals are silent (pure): a terminal is silent when its last heartbeat is more than
 * `silentAfterSeconds` old. Rows come sorted by store, then terminal.
 */
import type { TerminalHeartbeat } from './heartbeat-record.js';

export interface HeartbeatListing {
  readonly storeId: string;
  readonly terminalId: string;
  /** From the index; kept even when the terminal's hash has expired or cannot be read. */
  readonly lastSeenMs: number;
  readonly heartbeat: TerminalHeartbeat | undefined;
}

export interface TerminalLiveness extends HeartbeatListing {
  readonly ageSeconds: number;
  readonly silent: boolean;
}

export function assessLiveness(
  listings: readonly HeartbeatListing[],
  options: { nowMs: number; silentAfterSeconds: number },
): TerminalLiveness[] {
  return listings
    .map((listing) => {
      const ageSeconds = Math.max(0, Math.round((options.nowMs - listing.lastSeenMs) / 1000));
      const silent = options.nowMs - listing.lastSeenMs > options.silentAfterSeconds * 1000;
      return { ...listing, ageSeconds, silent };
    })
    .sort((a, b) => a.storeId.localeCompare(b.storeId) || a.terminalId.localeCompare(b.terminalId));
}
