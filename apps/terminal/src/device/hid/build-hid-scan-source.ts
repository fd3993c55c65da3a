/**
 * Builds a `HidScanSource` from a scanner config: the one place that chooses node-hid, so the
 * terminal's `main` stays free of it when no HID source is configured.
 *
 * Input: a parsed `HidScannerSourceConfig`, and `deps` (all optional): `provider` (default: node-hid
 * with the configured driver; tests pass `FakeHidProvider`), `classify` (loyalty patterns, app QR
 * keys), `clock`, `backoff`, `onStateChange`.
 * Output: a `HidScanSource`, not started (`start()` or iterate it).
 * Errors: `TypeError` for options the schema cannot catch. Lifecycle: the caller closes the
 * source. node-hid itself is loaded only when the source first lists devices.
 */
import { keyboardLayoutByName } from '../../scan/index.js';
import type { ClassifyScanOptions, ScanReportDecoderOptions } from '../../scan/index.js';
import type { HidClock } from './hid-clock.js';
import type { HidDeviceProvider } from './hid-device.js';
import type { HidDeviceSelector } from './hid-device-selector.js';
import { HidScanSource } from './hid-scan-source.js';
import type { HidScanSourceState } from './hid-scan-source.js';
import type { HidScannerSourceConfig } from './hid-scanner-config.js';
import { nodeHidProvider } from './node-hid-provider.js';
import type { BackoffOptions } from './reconnect-backoff.js';

export interface HidScanSourceDeps {
  readonly provider?: HidDeviceProvider;
  readonly classify?: ClassifyScanOptions;
  readonly clock?: HidClock;
  readonly backoff?: BackoffOptions;
  readonly onStateChange?: (state: HidScanSourceState) => void;
}

function decoderOptions(config: HidScannerSourceConfig): ScanReportDecoderOptions {
  if (config.mode === 'pos') return { mode: 'pos' };
  const layout = keyboardLayoutByName(config.layout);
  if (layout === undefined) throw new TypeError(`unknown keyboard layout "${config.layout}"`);
  return {
    mode: 'keyboard',
    keyboard: {
      layout,
      terminators: config.terminators,
      interScanTimeoutMs: config.interScanTimeoutMs,
      ...(config.reportId === undefined ? {} : { reportId: config.reportId }),
    },
  };
}

function selectorOf(config: HidScannerSourceConfig): HidDeviceSelector {
  return Object.fromEntries(
    Object.entries(config.device).filter(([, value]) => value !== undefined),
  );
}

export function buildHidScanSource(
  config: HidScannerSourceConfig,
  deps: HidScanSourceDeps = {},
): HidScanSource {
  return new HidScanSource({
    provider: deps.provider ?? nodeHidProvider({ driverType: config.driver }),
    device: selectorOf(config),
    decoder: decoderOptions(config),
    ...(deps.classify === undefined ? {} : { classify: deps.classify }),
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    ...(deps.backoff === undefined ? {} : { backoff: deps.backoff }),
    ...(deps.onStateChange === undefined ? {} : { onStateChange: deps.onStateChange }),
  });
}
