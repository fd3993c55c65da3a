/**
 * Store → GA4 property. `routes` names a property per store; other stores use the default
 * property (`ga4`) or, with `unroutedStores: dead-letter`, are `UNKNOWN_STORE`. Pure.
 */
import type { WorkerConfig } from '../config.js';
import type { WorkerCode } from '../outcome/worker-error-codes.js';

export const DEFAULT_PROPERTY = 'default';

export type RouteResult =
  | { readonly ok: true; readonly property: string }
  | { readonly ok: false; readonly code: WorkerCode<'UNKNOWN_STORE'>; readonly reason: string };

export function routeStore(
  storeId: string,
  config: Pick<WorkerConfig, 'routes' | 'properties' | 'unroutedStores'>,
): RouteResult {
  const named = config.routes[storeId];
  if (named !== undefined) {
    if (named === DEFAULT_PROPERTY || named in config.properties)
      return { ok: true, property: named };
    return {
      ok: false,
      code: 'UNKNOWN_STORE',
      reason: `store ${storeId} routes to property ${named}, which is not configured`,
    };
  }
  if (config.unroutedStores === 'default') return { ok: true, property: DEFAULT_PROPERTY };
  return {
    ok: false,
    code: 'UNKNOWN_STORE',
    reason: `no GA4 property is routed for store ${storeId}`,
  };
}
