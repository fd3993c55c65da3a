/**
 * Public surface of the HID device module: the ports (`HidDevice`, `HidDeviceProvider`), device
 * selection, the node-hid provider (loads node-hid lazily), the reconnecting `HidScanSource`, its
 * config schema and builder. Explicit named exports only.
 */
export { buildHidScanSource } from './build-hid-scan-source.js';
export type { HidScanSourceDeps } from './build-hid-scan-source.js';
export { systemClock } from './hid-clock.js';
export type { HidClock } from './hid-clock.js';
export type { HidDevice, HidDeviceInfo, HidDeviceProvider } from './hid-device.js';
export {
  describeHidDevice,
  describeHidSelector,
  matchesHidSelector,
  selectHidDevice,
  USAGE_KEYBOARD,
  USAGE_PAGE_BAR_CODE_SCANNER,
  USAGE_PAGE_GENERIC_DESKTOP,
  validateHidSelector,
} from './hid-device-selector.js';
export type { HidDeviceSelector } from './hid-device-selector.js';
export { HidScanSource } from './hid-scan-source.js';
export type {
  HidScanSourceOptions,
  HidScanSourceState,
  HidSourceStatus,
} from './hid-scan-source.js';
export { HidDeviceSelectorSchema, HidScannerSourceSchema } from './hid-scanner-config.js';
export type { HidScannerSourceConfig } from './hid-scanner-config.js';
export { HidUnavailableError, nodeHidProvider } from './node-hid-provider.js';
export type { HidDriverType, NodeHidProviderOptions } from './node-hid-provider.js';
export { backoffDelay, DEFAULT_BACKOFF, resolveBackoff } from './reconnect-backoff.js';
export type { Backoff, BackoffOptions } from './reconnect-backoff.js';
