/**
 * A pair of connected pseudo-terminals made by socat, for serial integration tests:
 * `socat -d -d pty,raw,echo=0,link=<dir>/ttyV0 pty,raw,echo=0,link=<dir>/ttyV1`.
 * Bytes written to `peerPath` come out of `devicePath` and back. `kill()` ends socat (the code
 * holding `devicePath` sees a disconnect, like an unplug) and `restart()` starts it again with the
 * links at the same paths; both resolve once the links are gone / both exist again.
 * Errors: `socatPair()` rejects when socat is missing ("apt-get install socat"), exits early or
 * does not create the links within `readyTimeoutMs` (its stderr is in the message).
 * Lifecycle: the caller owns the pair and calls `close()` (kills socat, removes the temporary
 * directory it created); idempotent.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { lstatSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SocatPairOptions {
  /** Directory for the links; default: a new temporary directory, removed by `close()`. */
  readonly dir?: string;
  readonly readyTimeoutMs?: number;
  readonly socat?: string;
}

export interface SocatPair {
  /** The end the code under test opens (like a device node). */
  readonly devicePath: string;
  /** The end the test writes to (the POS side). */
  readonly peerPath: string;
  readonly running: boolean;
  kill(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function removeLink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

const pause = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

export async function socatPair(options: SocatPairOptions = {}): Promise<SocatPair> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'pos-ga4-socat-'));
  const devicePath = join(dir, 'ttyV0');
  const peerPath = join(dir, 'ttyV1');
  const readyTimeoutMs = options.readyTimeoutMs ?? 5000;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let closed = false;

  const stop = async (): Promise<void> => {
    const running = child;
    if (running !== undefined && running.exitCode === null && running.signalCode === null)
      running.kill('SIGTERM');
    await exited;
    child = undefined;
    // socat removes its links on exit; make sure, so a restart can create them again
    removeLink(devicePath);
    removeLink(peerPath);
  };

  const start = async (): Promise<void> => {
    let stderr = '';
    let failure: Error | undefined;
    const proc = spawn(
      options.socat ?? 'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${peerPath}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child = proc;
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000);
    });
    exited = new Promise((resolve) => {
      proc.once('close', () => {
        resolve();
      });
    });
    proc.once('error', (error: NodeJS.ErrnoException) => {
      failure =
        error.code === 'ENOENT'
          ? new Error('socat not found: install it (apt-get install socat)')
          : error;
    });
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (failure !== undefined) throw failure;
      if (proc.exitCode !== null || proc.signalCode !== null)
        throw new Error(`socat exited before creating the pty links: ${stderr.trim()}`);
      if (exists(devicePath) && exists(peerPath)) return;
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`socat did not create ${devicePath} and ${peerPath}: ${stderr.trim()}`);
      }
      await pause(10);
    }
  };

  try {
    await start();
  } catch (error) {
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    devicePath,
    peerPath,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    kill: stop,
    async restart() {
      if (closed) throw new Error('socat pair is closed');
      await stop();
      await start();
    },
    async close() {
      if (closed) return;
      closed = true;
      await stop();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
