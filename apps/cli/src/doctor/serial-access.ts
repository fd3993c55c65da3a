/**
 * Serial receipt sources of a terminal config: is the port there and may this user open it?
 * - by `path`: `fs.access(path, R_OK | W_OK)`; missing → plug it in / fix the path; denied →
 *   "add the user to the dialout group".
 * - by `vendorId`/`productId`: the binding's port list must hold exactly the device (a list that
 *   cannot be made, e.g. without udevadm, is a warning saying what to install), then its path
 *   is checked as above.
 * Deps are injected (`listPorts`, `access`) so the logic runs without hardware. Never throws.
 */
import type { SerialPortInfo } from '@pos-ga4/terminal';

import { fail, pass, warn } from './check-result.js';
import type { CheckResult } from './check-result.js';
import type { AccessAnswer } from './file-access.js';

export interface SerialSourceLike {
  readonly name?: string | undefined;
  readonly path?: string | undefined;
  readonly vendorId?: string | undefined;
  readonly productId?: string | undefined;
  readonly serialNumber?: string | undefined;
}

export type PortList =
  | { readonly ok: true; readonly ports: readonly SerialPortInfo[] }
  | { readonly ok: false; readonly message: string };

export interface SerialAccessDeps {
  readonly listPorts: () => Promise<PortList>;
  readonly access: (path: string) => Promise<AccessAnswer>;
  readonly user: string;
}

function sourceLabel(source: SerialSourceLike): string {
  if (source.name !== undefined) return source.name;
  if (source.path !== undefined) return source.path;
  return `${source.vendorId ?? '????'}:${source.productId ?? '????'}`;
}

function same(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

async function pathCheck(name: string, path: string, deps: SerialAccessDeps): Promise<CheckResult> {
  const answer = await deps.access(path);
  if (answer.ok) return pass(name, `${path} is readable and writable by ${deps.user}`);
  if (answer.reason === 'missing') {
    return fail(
      name,
      `${path} does not exist`,
      'plug the printer tap in, or fix the path (ls -l /dev/serial/by-id/; npx pos-ga4 devices)',
    );
  }
  if (answer.reason === 'denied') {
    return fail(
      name,
      `${deps.user} may not read and write ${path}`,
      `add the user to the dialout group: sudo usermod -aG dialout ${deps.user} (then log in again / restart the service)`,
    );
  }
  return fail(name, `${path}: ${answer.message}`, 'check the device node');
}

async function checkOne(source: SerialSourceLike, deps: SerialAccessDeps): Promise<CheckResult> {
  const name = `serial ${sourceLabel(source)}`;
  if (source.path !== undefined) return pathCheck(name, source.path, deps);
  const listed = await deps.listPorts();
  if (!listed.ok) {
    return warn(
      name,
      `cannot list serial ports to find ${sourceLabel(source)}: ${listed.message}`,
      'install udev (apt-get install udev), or configure the port by path: /dev/serial/by-id/…',
    );
  }
  const matches = listed.ports.filter(
    (port) =>
      same(port.vendorId, source.vendorId) &&
      same(port.productId, source.productId) &&
      (source.serialNumber === undefined || port.serialNumber === source.serialNumber),
  );
  const [match, ...others] = matches;
  if (match === undefined) {
    return fail(
      name,
      `no serial port matches ${sourceLabel(source)} (${listed.ports.length} listed)`,
      'plug the printer tap in; check its ids with npx pos-ga4 devices',
    );
  }
  if (others.length > 0) {
    return fail(
      name,
      `${matches.length} ports match ${sourceLabel(source)}`,
      'add serialNumber (or pnpId) to the source',
    );
  }
  return pathCheck(name, match.path, deps);
}

export async function checkSerialSources(
  sources: readonly SerialSourceLike[],
  deps: SerialAccessDeps,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const source of sources) results.push(await checkOne(source, deps));
  return results;
}
