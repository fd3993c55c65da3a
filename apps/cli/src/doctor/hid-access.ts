/**
 * HID scanner sources of a terminal config: can node-hid enumerate, is the configured scanner
 * visible, and may this user open its hidraw node?
 * - enumeration fails (node-hid or libudev/libusb missing) → fail with what to install;
 * - no interface matches the selector → fail; when /dev/hidraw* nodes exist that this user
 *   cannot open, the fix points at deploy/udev/70-pos-ga4-scanners.rules;
 * - the match's `/dev/hidrawN` is not readable+writable → fail with the udev rule.
 * Deps are injected (`list`, `access`, `hidrawNodes`) so the logic runs without hardware.
 * Never throws.
 */
import { describeHidSelector, matchesHidSelector } from '@pos-ga4/terminal';
import type { HidDeviceInfo, HidDeviceSelector } from '@pos-ga4/terminal';

import { fail, messageOf, pass } from './check-result.js';
import type { CheckResult } from './check-result.js';
import type { AccessAnswer } from './file-access.js';

export const UDEV_RULE_FIX =
  'sudo cp deploy/udev/70-pos-ga4-scanners.rules /etc/udev/rules.d/ && sudo udevadm control --reload && sudo udevadm trigger (then replug the scanner; see docs/hid-scanners.md)';

export type HidSelectorLike = HidDeviceSelector;

export interface HidSourceLike {
  readonly device: HidSelectorLike;
  readonly driver: 'hidraw' | 'libusb';
}

export interface HidAccessDeps {
  readonly list: (driver: 'hidraw' | 'libusb') => Promise<readonly HidDeviceInfo[]>;
  readonly access: (path: string) => Promise<AccessAnswer>;
  /** The /dev/hidraw* nodes present now. */
  readonly hidrawNodes: () => Promise<readonly string[]>;
  readonly user: string;
}

async function lockedHidraw(deps: HidAccessDeps): Promise<string[]> {
  const locked: string[] = [];
  for (const node of await deps.hidrawNodes()) {
    if (!(await deps.access(node)).ok) locked.push(node);
  }
  return locked;
}

async function checkOne(source: HidSourceLike, deps: HidAccessDeps): Promise<CheckResult> {
  const name = `hid ${describeHidSelector(source.device)}`;
  let devices: readonly HidDeviceInfo[];
  try {
    devices = await deps.list(source.driver);
  } catch (error) {
    return fail(
      name,
      `node-hid cannot enumerate HID devices: ${messageOf(error)}`,
      'apt-get install libudev1 libusb-1.0-0, then npm ci (see docs/hid-scanners.md)',
    );
  }
  const match = devices.find((info) => matchesHidSelector(info, source.device));
  if (match === undefined) {
    const locked = await lockedHidraw(deps);
    return locked.length > 0
      ? fail(
          name,
          `no visible HID interface matches; ${deps.user} may not open ${locked.join(', ')}`,
          UDEV_RULE_FIX,
        )
      : fail(
          name,
          `no HID interface matches (${devices.length} visible)`,
          'plug the scanner in; check its ids with npx pos-ga4 devices',
        );
  }
  const path = match.path;
  if (source.driver === 'hidraw' && path?.startsWith('/dev/') === true) {
    const answer = await deps.access(path);
    if (!answer.ok) {
      return fail(
        name,
        `found at ${path}, but ${deps.user} may not open it (${answer.message})`,
        UDEV_RULE_FIX,
      );
    }
  }
  return pass(name, `found${path === undefined ? '' : ` at ${path}`}, and node-hid can open it`);
}

export async function checkHidSources(
  sources: readonly HidSourceLike[],
  deps: HidAccessDeps,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const source of sources) results.push(await checkOne(source, deps));
  return results;
}
