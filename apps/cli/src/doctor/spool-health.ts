/**
 * The terminal's local spool (`<dataDir>/spool`, see docs/terminal-durability.md):
 * - `spool directory`: exists and is writable (missing but creatable → warning: the terminal
 *   creates it at start); reports the size of `spool.log` when there is one (not opened: a
 *   running terminal holds its lock), with a warning above 80 % of `spool.maxBytes`;
 * - `spool disk space`: more than 100 MiB free (fs.statfs) on the file system that holds it.
 * `evaluateFreeSpace` is pure; `checkSpool` never throws.
 */
import { constants } from 'node:fs';
import { stat, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { fail, messageOf, pass, warn } from './check-result.js';
import type { CheckResult } from './check-result.js';
import { checkAccess, currentUser } from './file-access.js';

export const MIN_FREE_BYTES = 100 * 1024 * 1024;

const MIB = 1024 * 1024;
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;

export function evaluateFreeSpace(freeBytes: number, where: string): CheckResult {
  const name = 'spool disk space';
  if (freeBytes > MIN_FREE_BYTES) return pass(name, `${mib(freeBytes)} free at ${where}`);
  return fail(
    name,
    `only ${mib(freeBytes)} free at ${where} (need more than 100 MiB)`,
    'free disk space (old logs, captures under dataDir/capture) or move dataDir to a larger disk',
  );
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The nearest directory of `path` (itself or an ancestor) that exists. */
async function nearestExisting(path: string): Promise<string> {
  let current = path;
  while (!(await exists(current))) {
    const parent = dirname(current);
    if (parent === current) return current;
    current = parent;
  }
  return current;
}

async function spoolLogSize(dir: string): Promise<number | undefined> {
  try {
    return (await stat(join(dir, 'spool.log'))).size;
  } catch {
    return undefined;
  }
}

async function directoryCheck(dir: string, maxBytes: number): Promise<CheckResult> {
  const name = 'spool directory';
  const user = currentUser();
  const fix = `sudo mkdir -p ${dir} && sudo chown -R ${user}: ${dirname(dir)}`;
  if (!(await exists(dir))) {
    const parent = await nearestExisting(dir);
    const writable = await checkAccess(parent, constants.W_OK);
    return writable.ok
      ? warn(
          name,
          `${dir} does not exist yet; the terminal creates it at start (${parent} is writable)`,
        )
      : fail(name, `${dir} does not exist and ${user} may not create it in ${parent}`, fix);
  }
  const writable = await checkAccess(dir, constants.W_OK);
  if (!writable.ok) return fail(name, `${user} may not write ${dir} (${writable.message})`, fix);
  const size = await spoolLogSize(dir);
  if (size === undefined) return pass(name, `${dir} is writable; no spool.log (empty spool)`);
  const detail = `${dir} is writable; spool.log holds ${mib(size)} of ${mib(maxBytes)}`;
  return size > maxBytes * 0.8
    ? warn(
        name,
        `${detail}: the spool is filling up`,
        'check that Redis is reachable from this terminal (npx pos-ga4 status)',
      )
    : pass(name, detail);
}

async function spaceCheck(dir: string): Promise<CheckResult> {
  const where = await nearestExisting(dir);
  try {
    const fs = await statfs(where);
    return evaluateFreeSpace(fs.bavail * fs.bsize, where);
  } catch (error) {
    return warn('spool disk space', `statfs ${where} failed: ${messageOf(error)}`);
  }
}

export async function checkSpool(config: {
  readonly dataDir: string;
  readonly maxBytes: number;
}): Promise<CheckResult[]> {
  const dir = join(config.dataDir, 'spool');
  return [await directoryCheck(dir, config.maxBytes), await spaceCheck(dir)];
}
