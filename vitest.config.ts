import { defineConfig } from "vitest/config";

/**
 * Four suites. Integration tests (*.int.test.ts) run twice, against PGlite and against a real PostgreSQL
 * (TEST_DATABASE_URL; the suite fails, never skips, without it). Browser flows need `npm run build` first.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "bench/**/*.test.ts"],
          exclude: ["src/**/*.int.test.ts"],
        },
      },
      {
        test: {
          name: "pglite",
          include: ["src/**/*.int.test.ts"],
          env: { GR_TEST_DB: "pglite" },
          globalSetup: ["src/db/testing/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "postgres",
          include: ["src/**/*.int.test.ts"],
          env: { GR_TEST_DB: "postgres" },
          globalSetup: ["src/db/testing/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.e2e.test.ts"],
          globalSetup: ["e2e/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
