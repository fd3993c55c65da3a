import { describe, expect, it } from 'vitest';

import { parsePlainLine, doneLine, FIRST_JOB_LINE } from './plain-protocol.js';
import { referenceRatios } from './reference-ratios.js';

describe('referenceRatios', () => {
  it('divides pos-ga4 by the plain worker and the floor at each latency', () => {
    const ratios = referenceRatios(
      {
        posGa4: [
          {
            latencyMs: 0,
            transactionsPerSecond: 3000,
            workerCpuMsPerTransaction: 0.3,
            workerPeakRssMb: 150,
          },
          {
            latencyMs: 50,
            transactionsPerSecond: 1000,
            workerCpuMsPerTransaction: 0.6,
            workerPeakRssMb: 200,
          },
        ],
        plain: [
          { latencyMs: 0, transactionsPerSecond: 1500, workerPeakRssMb: 100 },
          { latencyMs: 50, transactionsPerSecond: 2000, workerPeakRssMb: 100 },
        ],
        floor: [
          { latencyMs: 0, cpuMsPerTransaction: 0.2 },
          { latencyMs: 50, cpuMsPerTransaction: 0.3 },
        ],
      },
      [0, 50],
    );
    expect(ratios).toEqual({
      'throughputVsPlain@0ms': 2,
      'workerCpuVsFloor@0ms': 1.5,
      'peakRssVsPlain@0ms': 1.5,
      'throughputVsPlain@50ms': 0.5,
      'workerCpuVsFloor@50ms': 2,
      'peakRssVsPlain@50ms': 2,
    });
  });

  it('leaves a ratio undefined when a side was not measured or is 0', () => {
    const ratios = referenceRatios(
      {
        posGa4: [
          {
            latencyMs: 0,
            transactionsPerSecond: 3000,
            workerCpuMsPerTransaction: 0.3,
            workerPeakRssMb: 150,
          },
        ],
        plain: [{ latencyMs: 0, transactionsPerSecond: 0, workerPeakRssMb: 100 }],
        floor: [],
      },
      [0, 50],
    );
    expect(ratios['throughputVsPlain@0ms']).toBeUndefined();
    expect(ratios['workerCpuVsFloor@0ms']).toBeUndefined();
    expect(ratios['peakRssVsPlain@0ms']).toBe(1.5);
    expect(ratios['throughputVsPlain@50ms']).toBeUndefined();
  });
});

describe('plain worker protocol', () => {
  it('reads the lines the worker writes and ignores anything else', () => {
    expect(parsePlainLine(FIRST_JOB_LINE)).toEqual({ kind: 'first-job' });
    expect(parsePlainLine(`${doneLine({ drainMs: 12.5, completed: 9, failed: 1 })}\n`)).toEqual({
      kind: 'done',
      drainMs: 12.5,
      completed: 9,
      failed: 1,
    });
    expect(parsePlainLine('done {"drainMs":1}')).toBeUndefined();
    expect(parsePlainLine('done {not json')).toBeUndefined();
    expect(parsePlainLine('{"level":"info"}')).toBeUndefined();
  });
});
