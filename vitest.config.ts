import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // DuckDB and PGlite are real engines here; two cores, so keep file-level parallelism modest.
    maxWorkers: 2,
    env: { TZ: 'America/New_York' },
  },
});
