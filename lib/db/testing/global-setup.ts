// Vitest globalSetup of the integration project: ONE PostgreSQL server per run (DATABASE_URL's server, or an
// embedded one in a temporary directory), shared by all test files; each file gets its own database from
// setup-file.ts. Teardown stops the embedded server and deletes its directory.
import type { TestProject } from "vitest/node";
import { buildEdge } from "../../../scripts/build-edge.mjs";
import { startScratchServer } from "../scratch-server";

declare module "vitest" {
  export interface ProvidedContext {
    /** A database of the test server from which per-file databases are created and dropped. */
    databaseAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Suites that start the real server run the edge bundle: built from the sources of this very run.
  await buildEdge();
  const server = await startScratchServer();
  project.provide("databaseAdminUrl", server.adminUrl);
  return () => server.stop();
}
