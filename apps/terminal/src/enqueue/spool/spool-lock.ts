/**
 * One owner per spool directory: `spool.lock` holds the owner's pid. A lock left by a process
 * that no longer runs (kill -9, power loss) is taken over; a lock of a live process, or one this
 * process already holds, is refused with SpoolError `SPOOL_LOCKED`.
 * Lifecycle: `acquireSpoolLock` returns a release function; release removes the file.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { SpoolError } from './spool-error.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function acquireSpoolLock(dir: string): () => void {
  const file = join(dir, 'spool.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return () => {
        try {
          unlinkSync(file);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = holder(file);
      if (pid !== undefined && (pid === process.pid || alive(pid))) {
        throw new SpoolError(
          'SPOOL_LOCKED',
          `spool ${dir} is in use by process ${pid}${pid === process.pid ? ' (this one)' : ''}`,
        );
      }
      unlinkSync(file);
    }
  }
  throw new SpoolError('SPOOL_LOCKED', `spool ${dir}: could not take over a stale lock`);
}
