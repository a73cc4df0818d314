import { defineConfig } from 'vitest/config';

// Integration and e2e suites start real mosquitto brokers on free ports; two
// cores in CI, so keep the pool small and timeouts generous.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
