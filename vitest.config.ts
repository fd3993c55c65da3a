import { defineConfig } from 'vitest/config';

/**
 * Two projects:
 * - `unit`: pure code, colocated `*.test.ts` (also the pure helpers of `scripts/`), parallel.
 * - `integration`: `*.int.test.ts`, real Redis (REDIS_URL, default 127.0.0.1:6379) and real HTTP
 *   servers on port 0. Files run one at a time because they share one Redis; every test uses its
 *   own queue prefix and removes it afterwards.
 * `allowOnly: false` makes a stray `.only` fail the run instead of silently narrowing it.
 */
export default defineConfig({
  test: {
    allowOnly: false,
    projects: [
      {
        test: {
          name: 'unit',
          allowOnly: false,
          include: ['{packages,apps}/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          allowOnly: false,
          include: ['{packages,apps}/*/{src,test}/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
