export { buildCollector } from './build-collector.js';
export type { Collector, CollectorOptions } from './build-collector.js';
export { drawFault, FaultSettingsSchema, seededRandom } from './faults.js';
export type { Fault, FaultSettings, FaultSettingsInput } from './faults.js';
export {
  LATEST_TRANSACTIONS,
  netByTransaction,
  realtimeStats,
  revenueTotals,
} from './realtime-stats.js';
export type {
  RealtimeStats,
  RevenueTotal,
  TransactionNet,
  TransactionStatus,
} from './realtime-stats.js';
export { eventsOf, RequestStore } from './request-store.js';
export type { RecordedEvent, RecordedRequest, RequestFilter } from './request-store.js';
