/**
 * CPU and memory readings for the bench: a child process's CPU time and RSS from /proc (Linux),
 * Redis's CPU time from `INFO cpu`. Used to charge each process its share of a phase, so the
 * report can say where the CPU of a transaction goes. Reads only; no lifecycle.
 */
import { readFileSync } from 'node:fs';

import type { Redis } from 'ioredis';

import { round } from './bench-util.js';

/** utime + stime of a process in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** VmRSS and VmHWM of a process in MB (2^20 bytes). */
export function memoryOf(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string): number =>
    Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: round(kb('VmRSS') / 1024), peakRssMb: round(kb('VmHWM') / 1024) };
}

/**
 * Redis's CPU time so far in ms (user + system, all its threads). On a Redis shared with other
 * clients this charges their commands too; the bench's Redis is otherwise idle.
 */
export async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const seconds = (name: string): number =>
    Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000;
}

/** This process's CPU time so far in ms (user + system). */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
