// Vitest setupFiles entry of the integration project. Runs before each test file's own imports: gives the
// file a fresh database with every migration applied (by our runner, as in production) and points
// DATABASE_URL at it, so lib/db/client.ts, which reads DATABASE_URL lazily, uses it. Dropped after the file.
import { afterAll, inject } from "vitest";
import { createDatabase, databaseUrl, dropDatabase, scratchDatabaseName } from "../admin";
import { applyMigrations } from "../migrate";

const adminUrl = inject("databaseAdminUrl");
const name = scratchDatabaseName("keyward_test");
await createDatabase(adminUrl, name);
const url = databaseUrl(adminUrl, name);
await applyMigrations(url);
process.env.DATABASE_URL = url;

// Registered first, so it runs after the file's own afterAll hooks (Vitest runs "after" hooks as a stack).
// FORCE disconnects pools the file left open, such as a Prisma client nobody disconnected.
afterAll(() => dropDatabase(adminUrl, name));
