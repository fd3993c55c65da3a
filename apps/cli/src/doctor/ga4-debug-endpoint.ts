/**
 * GA4 credentials and reachability through the debug endpoint (worker configs only): one minimal,
 * valid `purchase` per configured property is POSTed to `/debug/mp/collect` with the clients of
 * `createMpClients(config)`; nothing reaches reports. Google's validator does NOT check the
 * api_secret (a wrong secret validates and events are later dropped), which the result says.
 * Output: one CheckResult per property (`ga4` for the `ga4` block, `ga4 <name>` for others).
 * `doctorPurchase(now, app)` is pure; `checkGa4` never throws and closes its clients.
 */
import type { MpRequest } from '@pos-ga4/ga4-mp';
import { createMpClients } from '@pos-ga4/worker';
import type { WorkerConfig } from '@pos-ga4/worker';

import { fail, messageOf, pass } from './check-result.js';
import type { CheckResult } from './check-result.js';

const SECRET_NOTE =
  "note: Google's validator does not check the api_secret; after a first real send, look for the events in Reports → Realtime";

/** A minimal valid purchase (web stream: client_id; app stream: app_instance_id). */
export function doctorPurchase(nowMs: number, app: boolean): MpRequest {
  const seconds = Math.floor(nowMs / 1000);
  return {
    ...(app ? { app_instance_id: 'a'.repeat(32) } : { client_id: `1234567890.${seconds}` }),
    timestamp_micros: nowMs * 1000,
    events: [
      {
        name: 'purchase',
        params: {
          transaction_id: `pos-ga4-doctor-${seconds}`,
          currency: 'EUR',
          value: 1,
          session_id: String(seconds),
          engagement_time_msec: 1,
          items: [
            { item_id: 'pos-ga4-doctor', item_name: 'pos-ga4 doctor', price: 1, quantity: 1 },
          ],
        },
      },
    ],
  };
}

type Ga4Block = WorkerConfig['ga4'];

function propertiesOf(config: WorkerConfig): [string, Ga4Block][] {
  return [['default', config.ga4], ...Object.entries(config.properties)];
}

export async function checkGa4(
  config: WorkerConfig,
  nowMs: number = Date.now(),
): Promise<CheckResult[]> {
  const mp = createMpClients(config);
  const results: CheckResult[] = [];
  try {
    for (const [property, ga4] of propertiesOf(config)) {
      const name = property === 'default' ? 'ga4' : `ga4 ${property}`;
      const client = mp.clients.get(property);
      if (client === undefined) continue;
      const where = client.describe(true);
      try {
        const outcome = await client.validate(
          doctorPurchase(nowMs, ga4.firebaseAppId !== undefined),
        );
        if (outcome.kind === 'validated') {
          const first = outcome.validationMessages[0];
          results.push(
            first === undefined
              ? pass(name, `${where} accepted a test purchase; ${SECRET_NOTE}`)
              : fail(
                  name,
                  `${where} rejected a test purchase: ${first.fieldPath}: ${first.description}`,
                  'check ga4.measurementId / firebaseAppId for this property',
                ),
          );
        } else {
          results.push(
            fail(
              name,
              `${where}: ${outcome.kind} ${outcome.reason}: ${outcome.message}`,
              outcome.kind === 'retryable'
                ? 'check the network, proxy and ga4.region / ga4.baseUrl (is the collector running?)'
                : 'check ga4.measurementId / firebaseAppId, ga4.region and ga4.baseUrl',
            ),
          );
        }
      } catch (error) {
        results.push(
          fail(name, `${where}: ${messageOf(error)}`, 'check ga4.baseUrl and the network'),
        );
      }
    }
  } finally {
    await mp.closeAll();
  }
  return results;
}
