/**
 * The child processes of a fault run: `pos-ga4` commands (workers, terminals, the collector,
 * reconcile) started from the repository's own binary, each tracked so that nothing outlives
 * the runner.
 *
 * - `spawnProcess(spec)`: one child; its stdout/stderr are kept (last 16 KiB) for error messages,
 *   and echoed to stderr when `FAULTS_DEBUG=1`. Children get the parent's environment without
 *   its pos-ga4 settings, plus the spec's `env`. `stop()` sends SIGTERM and SIGKILLs after
 *   a grace period; `kill9()` is the fault (SIGKILL).
 * - `supervise(name, start)`: keeps one process of a kind running like the systemd units in
 *   deploy/ (`Restart=always`, `RestartSec=2`): any exit while not stopping is followed by a new
 *   process 2 s later. Exits the scenario did not cause (not a `kill9()`) are counted.
 * - `killAllChildren()`: SIGKILL to every live child (the runner's SIGINT/SIGTERM handler).
 * Secrets: the environment given to children is never printed.
 * Lifecycle: every process is removed from the live set when it exits; callers stop what they
 * start (scenarios do it in their cleanup stack).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = `${ROOT}node_modules/.bin/pos-ga4`;

const DEBUG = process.env['FAULTS_DEBUG'] === '1';

/**
 * The parent's environment without pos-ga4 settings (`POS_GA4_…`, `REDIS_URL`, `GA4_…`): a
 * child's configuration is exactly what its scenario gives it.
 */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(POS_GA4_|GA4_|REDIS_URL$)/.test(key)) env[key] = value;
  return env;
}
const KEEP_BYTES = 16 * 1024;

export interface ProcessSpec {
  readonly name: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number | undefined;
  /** Resolves with the exit code or signal once the process is gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
  /** The fault: SIGKILL, no chance to clean up. */
  kill9(): void;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s); resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
  /** The last output (stdout and stderr interleaved). */
  output(): string;
}

const live = new Set<ChildProcess>();

export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

export function liveChildren(): number {
  return live.size;
}

export function spawnProcess(spec: ProcessSpec): ManagedProcess {
  const child = spawn(BIN, [...spec.args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...baseEnv(), NO_COLOR: '1', ...spec.env },
  });
  live.add(child);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-KEEP_BYTES);
    if (DEBUG) process.stderr.write(`[${spec.name}] ${chunk.toString('utf8')}`);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      live.delete(child);
      output += `\nspawn failed: ${error.message}`;
      resolve({ code: -1, signal: null });
    });
  });
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    name: spec.name,
    pid: child.pid,
    exited,
    running,
    kill9() {
      if (running()) child.kill('SIGKILL');
    },
    async stop(graceMs = 10_000) {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    output: () => output,
  };
}

export interface Supervised {
  readonly name: string;
  /** The process running now (undefined between an exit and its restart). */
  current(): ManagedProcess | undefined;
  /** SIGKILL the current process (the fault); it is restarted `restartMs` later. */
  kill9(): boolean;
  /** Exits nobody asked for (crashes), restarted like the others. */
  unexpectedExits(): number;
  /** Output of the processes that exited unexpectedly (last one), for the report. */
  lastCrashOutput(): string;
  stop(): Promise<void>;
}

export function supervise(
  name: string,
  start: () => ManagedProcess,
  options: { restartMs?: number } = {},
): Supervised {
  const restartMs = options.restartMs ?? 2_000;
  let stopping = false;
  let current: ManagedProcess | undefined;
  let unexpected = 0;
  let crashOutput = '';
  let killedByUs: ManagedProcess | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  const launch = (): void => {
    const proc = start();
    current = proc;
    void proc.exited.then(() => {
      if (current === proc) current = undefined;
      if (stopping) return;
      if (killedByUs !== proc) {
        unexpected++;
        crashOutput = proc.output();
      }
      restartTimer = setTimeout(launch, restartMs);
    });
  };
  launch();
  return {
    name,
    current: () => current,
    kill9() {
      const proc = current;
      if (proc === undefined || !proc.running()) return false;
      killedByUs = proc;
      proc.kill9();
      return true;
    },
    unexpectedExits: () => unexpected,
    lastCrashOutput: () => crashOutput,
    async stop() {
      stopping = true;
      if (restartTimer !== undefined) clearTimeout(restartTimer);
      await current?.stop();
    },
  };
}
