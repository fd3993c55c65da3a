/**
 * Which path to open for a configured serial source.
 * Input: the port selector from the config (`path`, or `vendorId`/`productId` with optional
 * `serialNumber`/`pnpId`), the binding (for `list()`) and an existence check.
 * Output: `{ ok: true, path }` or `{ ok: false, kind, message }`; never throws.
 * - `path` is returned as configured (pseudo-terminals and socat links are never listed).
 * - By ids: exactly one listed port must match (ids compare case-insensitively); two or more is
 *   `ambiguous` (add `serialNumber`). When the match has a `pnpId` and
 *   `/dev/serial/by-id/<pnpId>` exists, that stable link is returned instead of `/dev/ttyUSBn`.
 * Called again on every reconnect, so a device that re-enumerates under another name is found.
 */
import { existsSync } from 'node:fs';

import { listSerialPorts } from './list-serial-ports.js';
import type { SerialBinding, SerialPortInfo } from './serial-binding.js';
import type { SerialSourceConfig } from './serial-config.js';

export const BY_ID_DIR = '/dev/serial/by-id';

export type SerialPortSelector = Pick<
  SerialSourceConfig,
  'path' | 'vendorId' | 'productId' | 'serialNumber' | 'pnpId'
>;

export type ResolveSerialPathResult =
  | { readonly ok: true; readonly path: string; readonly info?: SerialPortInfo }
  | {
      readonly ok: false;
      readonly kind: 'list-failed' | 'not-found' | 'ambiguous';
      readonly message: string;
    };

export interface ResolveSerialPathOptions {
  readonly selector: SerialPortSelector;
  readonly binding: SerialBinding;
  readonly pathExists?: (path: string) => boolean;
}

function same(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** Listed ports that match every id the selector names. Pure. */
export function matchSerialPorts(
  ports: readonly SerialPortInfo[],
  selector: SerialPortSelector,
): SerialPortInfo[] {
  return ports.filter(
    (port) =>
      (selector.vendorId === undefined || same(port.vendorId, selector.vendorId)) &&
      (selector.productId === undefined || same(port.productId, selector.productId)) &&
      (selector.serialNumber === undefined || port.serialNumber === selector.serialNumber) &&
      (selector.pnpId === undefined || port.pnpId === selector.pnpId),
  );
}

export function describeSelector(selector: SerialPortSelector): string {
  const parts = [
    selector.vendorId === undefined ? undefined : `vendorId ${selector.vendorId}`,
    selector.productId === undefined ? undefined : `productId ${selector.productId}`,
    selector.serialNumber === undefined ? undefined : `serialNumber ${selector.serialNumber}`,
    selector.pnpId === undefined ? undefined : `pnpId ${selector.pnpId}`,
  ];
  return parts.filter((part) => part !== undefined).join(', ');
}

function describePort(port: SerialPortInfo): string {
  const ids = [port.vendorId, port.productId].filter((id) => id !== undefined).join(':');
  const serial = port.serialNumber === undefined ? '' : ` serial ${port.serialNumber}`;
  return `${port.path}${ids === '' ? '' : ` (${ids}${serial})`}`;
}

/** The stable by-id link for a listed port, when udev made one. */
export function stablePath(
  port: SerialPortInfo,
  pathExists: (path: string) => boolean = existsSync,
): string {
  const pnpId = port.pnpId;
  if (pnpId === undefined || pnpId === '' || /[/\\]/.test(pnpId)) return port.path;
  const link = `${BY_ID_DIR}/${pnpId}`;
  return pathExists(link) ? link : port.path;
}

export async function resolveSerialPath(
  options: ResolveSerialPathOptions,
): Promise<ResolveSerialPathResult> {
  const { selector } = options;
  if (selector.path !== undefined) return { ok: true, path: selector.path };
  const listed = await listSerialPorts(options.binding);
  if (!listed.ok) return { ok: false, kind: 'list-failed', message: listed.message };
  const matches = matchSerialPorts(listed.ports, selector);
  const wanted = describeSelector(selector);
  const [match, ...others] = matches;
  if (match === undefined) {
    const seen = listed.ports.map(describePort).join(', ');
    return {
      ok: false,
      kind: 'not-found',
      message: `no serial port matches ${wanted} (listed: ${seen === '' ? 'none' : seen})`,
    };
  }
  if (others.length > 0) {
    return {
      ok: false,
      kind: 'ambiguous',
      message: `${matches.length} serial ports match ${wanted}: ${matches.map(describePort).join(', ')}; add serialNumber or pnpId`,
    };
  }
  return { ok: true, path: stablePath(match, options.pathExists), info: match };
}
