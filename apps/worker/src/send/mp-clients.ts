/**
 * One MP client per GA4 property: `default` (the `ga4` block) and each named one in
 * `properties`. Owned by the caller: `closeAll()` drains their pools.
 */
import { createMpClient } from '@pos-ga4/ga4-mp';
import type { MpClient } from '@pos-ga4/ga4-mp';

import { destinationOf } from '../config.js';
import type { WorkerConfig } from '../config.js';
import { DEFAULT_PROPERTY } from '../route/property-router.js';

export interface MpClients {
  readonly clients: ReadonlyMap<string, MpClient>;
  closeAll(): Promise<void>;
}

export function createMpClients(
  config: Pick<WorkerConfig, 'ga4' | 'properties' | 'httpTimeoutMs' | 'concurrency'>,
): MpClients {
  const clients = new Map<string, MpClient>();
  for (const [name, ga4] of [
    [DEFAULT_PROPERTY, config.ga4] as const,
    ...Object.entries(config.properties),
  ]) {
    clients.set(
      name,
      createMpClient({
        destination: destinationOf(ga4),
        timeoutMs: config.httpTimeoutMs,
        connections: config.concurrency,
        debug: ga4.debug,
      }),
    );
  }
  return {
    clients,
    async closeAll() {
      await Promise.all([...clients.values()].map((client) => client.close()));
    },
  };
}

/** Every api secret in the config, for the log scrubber. */
export function apiSecretsOf(
  config: Pick<WorkerConfig, 'ga4' | 'properties'> & Partial<Pick<WorkerConfig, 'identity'>>,
): string[] {
  return [
    config.ga4.apiSecret,
    ...Object.values(config.properties).map((p) => p.apiSecret),
    // the client-id key is not an API secret, but must never reach a log line either
    ...(config.identity?.hmacSecret === undefined ? [] : [config.identity.hmacSecret]),
  ];
}
