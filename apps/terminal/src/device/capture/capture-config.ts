/**
 * Configuration of raw capture files (zod), for one source. Input: a YAML/JSON object; output:
 * a defaulted `CaptureConfig`. `dir` may be left out: the terminal then picks
 * `<dataDir>/captures/<source name>`. Pure: no I/O, no lifecycle.
 */
import { z } from 'zod';

export const CaptureConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    dir: z.string().min(1).optional(),
    /** A data file is closed and a new one started before it would grow past this. */
    maxFileBytes: z
      .number()
      .int()
      .min(1024)
      .default(16 * 1024 * 1024),
    /** Oldest files are deleted while all capture files together exceed this. */
    maxTotalBytes: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024 * 1024),
    /** Files whose last byte is older than this are deleted. */
    maxAgeDays: z.number().positive().default(90),
    /** A new file is started when the current one is this old, so retention can act on quiet tills. */
    rotateAfterHours: z.number().positive().default(24),
    /** Data and index are fsync'd this often while written; 0 = after every chunk. */
    fsyncIntervalMs: z.number().int().min(0).default(1000),
  })
  .superRefine((config, ctx) => {
    if (config.maxTotalBytes < config.maxFileBytes)
      ctx.addIssue({
        code: 'custom',
        path: ['maxTotalBytes'],
        message: 'must be at least maxFileBytes',
      });
  });

export type CaptureConfig = z.output<typeof CaptureConfigSchema>;
