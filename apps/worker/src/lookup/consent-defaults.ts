/**
 * Default consent of a deployment, per store. Pure.
 *
 * - `ConsentConfigSchema`: the worker config's `consent` block,
 *   `{ default?: { adUserData?, adPersonalization? }, stores?: { <storeId>: { … } } }`, values
 *   `GRANTED` | `DENIED`.
 * - `consentDefaultsFor(config, storeId)`: the consent a request of that store carries when the
 *   customer's identity record gives none, field by field: the store's setting, else the
 *   default's, else nothing (GA4 then applies the property's own rules). The record's own
 *   consent wins per field (`resolve-client.ts`).
 */
import { EntityId } from '@pos-ga4/transaction';
import { z } from 'zod';

const ConsentValue = z.enum(['GRANTED', 'DENIED']);

export const ConsentSettingsSchema = z.strictObject({
  adUserData: ConsentValue.optional(),
  adPersonalization: ConsentValue.optional(),
});
export type ConsentSettings = z.output<typeof ConsentSettingsSchema>;

export const ConsentConfigSchema = z.strictObject({
  /** Every store without its own setting. */
  default: ConsentSettingsSchema.optional(),
  /** By store id; a field not set here falls back to `default`. */
  stores: z.record(EntityId, ConsentSettingsSchema).optional(),
});
export type ConsentConfig = z.output<typeof ConsentConfigSchema>;

export function consentDefaultsFor(
  config: ConsentConfig | undefined,
  storeId: string,
): ConsentSettings {
  const store = config?.stores?.[storeId];
  const adUserData = store?.adUserData ?? config?.default?.adUserData;
  const adPersonalization = store?.adPersonalization ?? config?.default?.adPersonalization;
  return {
    ...(adUserData === undefined ? {} : { adUserData }),
    ...(adPersonalization === undefined ? {} : { adPersonalization }),
  };
}
