/**
 * The terminal's `/metrics` endpoint, for the CLI: a registry with Node process metrics and the
 * terminal metrics (every series labelled with `store_id` and `terminal_id`), served on
 * `config.metrics` (or `port` given here). Pass `hooks` to `buildTerminal` as `metrics`, then
 * `observe(terminal)`.
 * Lifecycle: `close()` stops the server.
 */
import { createMetricsRegistry, startMetricsServer } from '@pos-ga4/metrics';

import type { TerminalConfig } from '../config.js';

import { createTerminalMetrics } from './terminal-metrics.js';
import type {
  TerminalMetrics,
  TerminalMetricsHooks,
  TerminalMetricsSource,
} from './terminal-metrics.js';

export interface TerminalMetricsEndpoint {
  readonly url: string;
  readonly metrics: TerminalMetrics;
  /** For `buildTerminal({ metrics: hooks })`. */
  readonly hooks: TerminalMetricsHooks;
  observe(terminal: TerminalMetricsSource): void;
  close(): Promise<void>;
}

export async function startTerminalMetrics(options: {
  readonly config: Pick<TerminalConfig, 'storeId' | 'terminalId' | 'metrics'>;
  /** Overrides `config.metrics.port` (tests: 0). */
  readonly port?: number;
}): Promise<TerminalMetricsEndpoint> {
  const { config } = options;
  const metrics = createTerminalMetrics(
    createMetricsRegistry({ labels: { store_id: config.storeId, terminal_id: config.terminalId } }),
  );
  const server = await startMetricsServer({
    registry: metrics.registry,
    port: options.port ?? config.metrics.port ?? 0,
    host: config.metrics.host,
  });
  return {
    url: server.url,
    metrics,
    hooks: {
      countRejects: (log) => metrics.countRejects(log),
      progressRecorder: () => metrics.progressRecorder(),
    },
    observe(terminal) {
      metrics.observe(terminal);
    },
    close: () => server.close(),
  };
}
