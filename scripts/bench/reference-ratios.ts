/**
 * Issue 15's ratios of pos-ga4 to its references, per collector latency, from the phases'
 * results: `throughputVsPlain@<L>ms` (pos-ga4 tx/s ÷ the plain BullMQ worker's tx/s),
 * `workerCpuVsFloor@<L>ms` (pos-ga4 worker CPU ms/tx ÷ the floor's ms/tx) and
 * `peakRssVsPlain@<L>ms` (pos-ga4 worker peak RSS ÷ the plain worker's). A ratio whose inputs
 * were not measured at that latency is `undefined`. Pure.
 */
import { ratio } from './bench-util.js';

interface AtLatency {
  readonly latencyMs: number;
}

export interface ReferenceInputs {
  readonly posGa4: readonly (AtLatency & {
    readonly transactionsPerSecond: number;
    readonly workerCpuMsPerTransaction: number;
    readonly workerPeakRssMb: number;
  })[];
  readonly plain: readonly (AtLatency & {
    readonly transactionsPerSecond: number;
    readonly workerPeakRssMb: number;
  })[];
  readonly floor: readonly (AtLatency & { readonly cpuMsPerTransaction: number })[];
}

export const referenceKeys = (latencyMs: number) =>
  ({
    throughput: `throughputVsPlain@${latencyMs}ms`,
    cpu: `workerCpuVsFloor@${latencyMs}ms`,
    rss: `peakRssVsPlain@${latencyMs}ms`,
  }) as const;

export function referenceRatios(
  inputs: ReferenceInputs,
  latencies: readonly number[],
): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const latencyMs of latencies) {
    const at = <T extends AtLatency>(list: readonly T[]): T | undefined =>
      list.find((r) => r.latencyMs === latencyMs);
    const posGa4 = at(inputs.posGa4);
    const plain = at(inputs.plain);
    const floor = at(inputs.floor);
    const keys = referenceKeys(latencyMs);
    out[keys.throughput] = ratio(posGa4?.transactionsPerSecond, plain?.transactionsPerSecond);
    out[keys.cpu] = ratio(posGa4?.workerCpuMsPerTransaction, floor?.cpuMsPerTransaction);
    out[keys.rss] = ratio(posGa4?.workerPeakRssMb, plain?.workerPeakRssMb);
  }
  return out;
}
