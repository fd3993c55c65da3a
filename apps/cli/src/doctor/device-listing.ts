/**
 * What `pos-ga4 devices` shows: serial ports and HID interfaces with printer/scanner hints
 * (device-heuristics.ts). Listing never fails: when a port list or HID enumeration cannot be
 * made (no udevadm, node-hid/libusb/libudev missing, no hidraw access) the section carries
 * `available: false` (or a `message`) saying what to install or do instead.
 * Output: `{ serial: SerialSection, hid: HidSection }`, JSON-ready; `formatDeviceListing` renders
 * it as text. Deps are injected for tests; the defaults use the terminal's own adapters.
 */
import { readdir } from 'node:fs/promises';

import {
  describeHidDevice,
  listSerialPorts,
  loadSystemSerialBinding,
  nodeHidProvider,
} from '@pos-ga4/terminal';
import type { HidDeviceInfo, SerialPortInfo } from '@pos-ga4/terminal';

import { messageOf } from './check-result.js';
import { guessHidRole, guessSerialRole, normaliseUsbId } from './device-heuristics.js';
import type { DeviceRole } from './device-heuristics.js';
import { checkAccess } from './file-access.js';
import { UDEV_RULE_FIX } from './hid-access.js';

export interface SerialPortEntry {
  readonly path: string;
  readonly vendorId: string | null;
  readonly productId: string | null;
  readonly manufacturer: string | null;
  readonly serialNumber: string | null;
  readonly pnpId: string | null;
  readonly likely: DeviceRole | null;
  readonly reason: string;
}

export interface SerialSection {
  readonly available: boolean;
  readonly ports: readonly SerialPortEntry[];
  /** Device nodes seen in /dev when the port list could not be made. */
  readonly nodes: readonly string[];
  readonly message?: string;
}

export interface HidEntry {
  readonly path: string | null;
  readonly vendorId: string;
  readonly productId: string;
  readonly usagePage: string | null;
  readonly usage: string | null;
  readonly manufacturer: string | null;
  readonly product: string | null;
  readonly description: string;
  readonly likely: DeviceRole | null;
  readonly reason: string;
}

export interface HidSection {
  readonly available: boolean;
  readonly devices: readonly HidEntry[];
  readonly message?: string;
}

export interface DeviceListing {
  readonly serial: SerialSection;
  readonly hid: HidSection;
}

export type SerialListAnswer =
  | { readonly ok: true; readonly ports: readonly SerialPortInfo[] }
  | { readonly ok: false; readonly code: string; readonly message: string };

export interface DeviceListingDeps {
  readonly listSerial: () => Promise<SerialListAnswer>;
  readonly listHid: () => Promise<readonly HidDeviceInfo[]>;
  /** Entries of a /dev directory (empty when missing). */
  readonly readDir: (dir: string) => Promise<readonly string[]>;
  readonly canOpen: (path: string) => Promise<boolean>;
}

const SERIAL_NODE = /^tty(USB|ACM)\d+$/;

async function defaultListSerial(): Promise<SerialListAnswer> {
  const binding = await loadSystemSerialBinding();
  if (!binding.ok) return { ok: false, code: 'BINDING', message: binding.message };
  const listed = await listSerialPorts(binding.binding);
  return listed.ok ? listed : { ok: false, code: listed.code, message: listed.message };
}

export const systemDeviceDeps: DeviceListingDeps = {
  listSerial: defaultListSerial,
  listHid: () => nodeHidProvider().list(),
  readDir: async (dir) => {
    try {
      return await readdir(dir);
    } catch {
      return [];
    }
  },
  canOpen: async (path) => (await checkAccess(path)).ok,
};

const hex = (value: number | undefined): string | null =>
  value === undefined ? null : value.toString(16).padStart(4, '0');

export function serialEntry(port: SerialPortInfo): SerialPortEntry {
  const guess = guessSerialRole(port.vendorId);
  return {
    path: port.path,
    vendorId: normaliseUsbId(port.vendorId) ?? null,
    productId: normaliseUsbId(port.productId) ?? null,
    manufacturer: port.manufacturer ?? null,
    serialNumber: port.serialNumber ?? null,
    pnpId: port.pnpId ?? null,
    likely: guess.role ?? null,
    reason: guess.reason,
  };
}

export function hidEntry(device: HidDeviceInfo): HidEntry {
  const guess = guessHidRole(device);
  return {
    path: device.path ?? null,
    vendorId: hex(device.vendorId) ?? '0000',
    productId: hex(device.productId) ?? '0000',
    usagePage: hex(device.usagePage),
    usage: hex(device.usage),
    manufacturer: device.manufacturer ?? null,
    product: device.product ?? null,
    description: describeHidDevice(device),
    likely: guess.role ?? null,
    reason: guess.reason,
  };
}

async function serialNodes(deps: DeviceListingDeps): Promise<string[]> {
  const byId = (await deps.readDir('/dev/serial/by-id')).map(
    (entry) => `/dev/serial/by-id/${entry}`,
  );
  const ttys = (await deps.readDir('/dev'))
    .filter((entry) => SERIAL_NODE.test(entry))
    .map((entry) => `/dev/${entry}`);
  return [...byId, ...ttys];
}

async function serialSection(deps: DeviceListingDeps): Promise<SerialSection> {
  let listed: SerialListAnswer;
  try {
    listed = await deps.listSerial();
  } catch (error) {
    listed = { ok: false, code: 'LIST_FAILED', message: messageOf(error) };
  }
  if (listed.ok) return { available: true, ports: listed.ports.map(serialEntry), nodes: [] };
  const message =
    listed.code === 'UDEVADM_MISSING'
      ? `${listed.message} (Debian/Ubuntu: apt-get install udev); vendor and product ids need udevadm`
      : listed.message;
  return { available: false, ports: [], nodes: await serialNodes(deps), message };
}

async function hidSection(deps: DeviceListingDeps): Promise<HidSection> {
  let devices: readonly HidDeviceInfo[];
  try {
    devices = await deps.listHid();
  } catch (error) {
    return {
      available: false,
      devices: [],
      message: `${messageOf(error)}${/apt-get/.test(messageOf(error)) ? '' : ' (Debian/Ubuntu: apt-get install libudev1 libusb-1.0-0)'}`,
    };
  }
  const locked: string[] = [];
  for (const entry of await deps.readDir('/dev')) {
    if (entry.startsWith('hidraw') && !(await deps.canOpen(`/dev/${entry}`))) {
      locked.push(`/dev/${entry}`);
    }
  }
  const entries = devices.map(hidEntry);
  if (locked.length > 0) {
    return {
      available: true,
      devices: entries,
      message: `no access to ${locked.join(', ')}: their devices may be missing or incomplete here; ${UDEV_RULE_FIX}`,
    };
  }
  return { available: true, devices: entries };
}

export async function listDevices(
  deps: DeviceListingDeps = systemDeviceDeps,
): Promise<DeviceListing> {
  return { serial: await serialSection(deps), hid: await hidSection(deps) };
}

function hint(likely: DeviceRole | null, reason: string): string {
  return likely === null ? '' : `  ← likely ${likely}: ${reason}`;
}

export function formatDeviceListing(listing: DeviceListing): string {
  const lines: string[] = ['Serial ports:'];
  const { serial, hid } = listing;
  if (serial.message !== undefined) lines.push(`  ! ${serial.message}`);
  if (serial.nodes.length > 0) lines.push(`  device nodes: ${serial.nodes.join(' ')}`);
  for (const port of serial.ports) {
    const ids = port.vendorId === null ? '' : `  ${port.vendorId}:${port.productId ?? '????'}`;
    const maker = port.manufacturer === null ? '' : `  ${port.manufacturer}`;
    lines.push(`  ${port.path}${ids}${maker}${hint(port.likely, port.reason)}`);
  }
  if (serial.available && serial.ports.length === 0) lines.push('  none');
  lines.push('HID devices:');
  if (hid.message !== undefined) lines.push(`  ! ${hid.message}`);
  for (const device of hid.devices)
    lines.push(`  ${device.description}${hint(device.likely, device.reason)}`);
  if (hid.available && hid.devices.length === 0) lines.push('  none');
  return `${lines.join('\n')}\n`;
}
