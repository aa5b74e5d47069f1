// One app for the whole e2e run: a fresh database, a real SMTP server, and the production server (dist/server.mjs)
// on the built app. Workers find it through the environment variables set here.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase, databaseUrl, dropDatabase, scratchDatabaseName } from "../lib/db/admin";
import { startScratchServer } from "../lib/db/scratch-server";
import { findFreePort } from "../lib/db/embedded-location";
import { startApp } from "../lib/testing/app-process";
import { startMockOpenAI } from "../lib/mock-openai/server";
import { startMailbox } from "./support/mailbox";
import { buildEdge } from "../scripts/build-edge.mjs";

export default async function globalSetup() {
  await buildEdge();
  const server = await startScratchServer();
  const database = scratchDatabaseName("keyward_e2e");
  await createDatabase(server.adminUrl, database);
  const mailbox = await startMailbox();
  const upstream = await startMockOpenAI();
  const dataDir = await mkdtemp(path.join(tmpdir(), "keyward-e2e-"));
  const port = await findFreePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    DATABASE_URL: databaseUrl(server.adminUrl, database),
    AUTH_SECRET: randomBytes(32).toString("base64"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    APP_URL: appUrl,
    SMTP_URL: mailbox.smtpUrl,
    OPENAI_BASE_URL: upstream.baseUrl,
    DATA_DIR: dataDir,
    // Everything the app logs goes to a file that the leak tests search for secrets: the more, the better.
    LOG_LEVEL: "debug",
  };
  const logFile = path.join(dataDir, "app.log");
  const app = await startApp(env, port, { logFile });
  process.env.KEYWARD_E2E_BASE_URL = app.url;
  process.env.KEYWARD_E2E_MAILBOX_URL = mailbox.apiUrl;
  process.env.KEYWARD_E2E_DATABASE_URL = env.DATABASE_URL;
  process.env.KEYWARD_E2E_DATA_DIR = dataDir;
  process.env.KEYWARD_E2E_LOG_FILE = logFile;
  // The leak tests look for these in the client bundle.
  process.env.KEYWARD_E2E_SERVER_SECRETS = JSON.stringify([env.AUTH_SECRET, env.ENCRYPTION_KEY]);

  return async () => {
    const code = await app.stop();
    if (code !== 0) process.stderr.write(`The app exited with ${code}:\n${app.output()}\n`);
    // Server-side errors behind a failing page are otherwise invisible from the browser: show them.
    const errors = app
      .output()
      .split("\n")
      .filter((line) => /"level":(50|60)|^\s*⨯/.test(line));
    if (errors.length > 0)
      process.stderr.write(`The app logged ${errors.length} error(s):\n${errors.slice(0, 20).join("\n")}\n`);
    await mailbox.close();
    await upstream.close();
    await dropDatabase(server.adminUrl, database);
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
