// Prisma 7 CLI configuration: only `prisma generate` runs here (the native engines cannot be downloaded);
// migrations are authored by scripts/db-migration.ts and applied by lib/db/migrate.ts.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
