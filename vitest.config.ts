// Two projects: `unit` (plain *.test.ts, no database) and `integration` (*.int.test.ts against a real
// PostgreSQL: one server per run from lib/db/testing/global-setup.ts, one fresh database per test file from
// lib/db/testing/setup-file.ts). `npm run test:unit` / `npm run test:integration`.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const exclude = ["**/node_modules/**", "**/.next/**", "lib/generated/**", "e2e/**"];

export default defineConfig({
  resolve: { alias: [{ find: /^@\//, replacement: root }] },
  test: {
    // expect.poll waits for an event; its timeout only catches one that never comes, so it is generous: a
    // busy machine (CI, or `npm run test:stress`) must not turn a slow event into a failure.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          environment: "node",
          include: ["**/*.test.ts"],
          exclude: [...exclude, "**/*.int.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          environment: "node",
          include: ["**/*.int.test.ts"],
          exclude,
          globalSetup: ["lib/db/testing/global-setup.ts"],
          setupFiles: ["lib/db/testing/setup-file.ts"],
          // Two cores: two files at a time keeps PostgreSQL, the workers and the odd child process
          // (migrations in a second process, Prisma's schema engine) from starving each other.
          maxWorkers: 2,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
