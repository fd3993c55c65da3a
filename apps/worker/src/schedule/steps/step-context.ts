/**
 * What the loop's steps share: the core, the three shells, the consumer's dependencies and its
 * lifecycle flags. Built once per consumer (partition-consumer.ts).
 */
import type { Logger } from '@pos-ga4/logger';

import type { PartitionCore } from '../core/partition-core.js';
import type { PartitionConsumerDeps } from '../partition-consumer.js';
import type { JobFetcher } from '../shell/job-fetcher.js';
import type { RequestSender } from '../shell/request-sender.js';
import type { Settler } from '../shell/settler.js';

export interface StepContext {
  readonly deps: PartitionConsumerDeps;
  readonly core: PartitionCore;
  readonly fetcher: JobFetcher;
  readonly settler: Settler;
  readonly sender: RequestSender;
  readonly log: Logger;
  readonly now: () => number;
  readonly leaseHeld: () => boolean;
  readonly running: () => boolean;
  readonly aborted: () => boolean;
}
