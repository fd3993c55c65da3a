import { describe, expect, it } from 'vitest';

import { CaptureConfigSchema } from './capture-config.js';

describe('CaptureConfigSchema', () => {
  it('has defaults', () => {
    expect(CaptureConfigSchema.parse({})).toEqual({
      enabled: true,
      maxFileBytes: 16 * 1024 * 1024,
      maxTotalBytes: 1024 * 1024 * 1024,
      maxAgeDays: 90,
      rotateAfterHours: 24,
      fsyncIntervalMs: 1000,
    });
  });

  it('rejects a total cap below the file cap, and unknown keys', () => {
    const small = CaptureConfigSchema.safeParse({ maxFileBytes: 4096, maxTotalBytes: 2048 });
    expect(small.error?.issues[0]?.path).toEqual(['maxTotalBytes']);
    expect(CaptureConfigSchema.safeParse({ maxFiles: 3 }).success).toBe(false);
    expect(CaptureConfigSchema.safeParse({ maxAgeDays: 0 }).success).toBe(false);
  });
});
