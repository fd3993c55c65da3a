/**
 * Which HID interface is "the scanner": a selector from the terminal config, matched against
 * `HidDeviceProvider.list()`.
 *
 * Input: a `HidDeviceSelector` (every given field must match: `vendorId`/`productId`, `path`,
 * `usagePage`/`usage`, `serialNumber`, `interface`), the listed devices, and the decoding mode.
 * At least one of `vendorId`, `path` or `usagePage` is required; `productId` needs `vendorId`,
 * `usage` needs `usagePage`.
 * Output: `selectHidDevice` returns the chosen `HidDeviceInfo` or `undefined`. When several
 * interfaces match (a scanner often exposes a keyboard and a vendor or POS collection), the one
 * whose usage fits the mode wins (pos: usage page 0x8C; keyboard: Generic Desktop / Keyboard,
 * 0x01/0x06), then the lowest path, so the choice is stable. `describeHidSelector` and
 * `describeHidDevice` render them for logs and messages (ids in hex, as lsusb prints them).
 * Errors: `validateHidSelector` throws `TypeError` for an empty or inconsistent selector.
 * Lifecycle: pure. Note: `path` (e.g. /dev/hidraw3) may change when a device is replugged; prefer
 * vendorId/productId (plus serialNumber with several identical scanners).
 */
import type { HidDeviceInfo } from './hid-device.js';

export interface HidDeviceSelector {
  readonly vendorId?: number | undefined;
  readonly productId?: number | undefined;
  readonly path?: string | undefined;
  readonly usagePage?: number | undefined;
  readonly usage?: number | undefined;
  readonly serialNumber?: string | undefined;
  readonly interface?: number | undefined;
}

export const USAGE_PAGE_GENERIC_DESKTOP = 0x01;
export const USAGE_KEYBOARD = 0x06;
export const USAGE_PAGE_BAR_CODE_SCANNER = 0x8c;

function isId(value: number | undefined, max: number): boolean {
  return value === undefined || (Number.isInteger(value) && value >= 0 && value <= max);
}

export function validateHidSelector(selector: HidDeviceSelector): HidDeviceSelector {
  const { vendorId, productId, path, usagePage, usage } = selector;
  if (vendorId === undefined && path === undefined && usagePage === undefined) {
    throw new TypeError('a HID device selector needs vendorId (and productId), path or usagePage');
  }
  if (productId !== undefined && vendorId === undefined) {
    throw new TypeError('"productId" needs "vendorId"');
  }
  if (usage !== undefined && usagePage === undefined) {
    throw new TypeError('"usage" needs "usagePage"');
  }
  for (const [name, value] of [
    ['vendorId', vendorId],
    ['productId', productId],
    ['usagePage', usagePage],
    ['usage', usage],
  ] as const) {
    if (!isId(value, 0xffff)) throw new TypeError(`"${name}" must be an integer 0-0xffff`);
  }
  if (path?.length === 0) throw new TypeError('"path" must not be empty');
  return selector;
}

export function matchesHidSelector(info: HidDeviceInfo, selector: HidDeviceSelector): boolean {
  const checks: readonly (readonly [unknown, unknown])[] = [
    [selector.vendorId, info.vendorId],
    [selector.productId, info.productId],
    [selector.path, info.path],
    [selector.usagePage, info.usagePage],
    [selector.usage, info.usage],
    [selector.serialNumber, info.serialNumber],
    [selector.interface, info.interface],
  ];
  return checks.every(([wanted, actual]) => wanted === undefined || wanted === actual);
}

function modeFit(info: HidDeviceInfo, mode: 'keyboard' | 'pos'): number {
  if (mode === 'pos') return info.usagePage === USAGE_PAGE_BAR_CODE_SCANNER ? 0 : 1;
  return info.usagePage === USAGE_PAGE_GENERIC_DESKTOP && info.usage === USAGE_KEYBOARD ? 0 : 1;
}

export function selectHidDevice(
  devices: readonly HidDeviceInfo[],
  selector: HidDeviceSelector,
  mode: 'keyboard' | 'pos',
): HidDeviceInfo | undefined {
  const matching = devices.filter((info) => matchesHidSelector(info, selector));
  const sorted = [...matching].sort(
    (a, b) => modeFit(a, mode) - modeFit(b, mode) || (a.path ?? '').localeCompare(b.path ?? ''),
  );
  return sorted[0];
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

export function describeHidSelector(selector: HidDeviceSelector): string {
  const parts: string[] = [];
  if (selector.vendorId !== undefined) {
    parts.push(
      `${hex4(selector.vendorId)}:${selector.productId === undefined ? '*' : hex4(selector.productId)}`,
    );
  }
  if (selector.usagePage !== undefined) {
    parts.push(
      `usage ${hex4(selector.usagePage)}:${selector.usage === undefined ? '*' : hex4(selector.usage)}`,
    );
  }
  if (selector.path !== undefined) parts.push(`path ${selector.path}`);
  if (selector.serialNumber !== undefined) parts.push(`serial ${selector.serialNumber}`);
  if (selector.interface !== undefined) parts.push(`interface ${selector.interface}`);
  return parts.join(' ');
}

export function describeHidDevice(info: HidDeviceInfo): string {
  const usage =
    info.usagePage === undefined ? '' : ` usage ${hex4(info.usagePage)}:${hex4(info.usage ?? 0)}`;
  const name = [info.manufacturer, info.product].filter((s) => s !== undefined && s !== '');
  return `${hex4(info.vendorId)}:${hex4(info.productId)}${usage}${
    info.path === undefined ? '' : ` ${info.path}`
  }${name.length === 0 ? '' : ` (${name.join(' ')})`}`;
}
