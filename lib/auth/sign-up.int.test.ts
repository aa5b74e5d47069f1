// Sign-up does not tell whether an e-mail has an account: through the real server, the sign-up action's answer
// for a taken address is the same status and the same bytes as for a new one, also with an invitation that
// cannot be used; the taken address gets nothing created, and its owner gets an e-mail (DATA_DIR/mail, as
// SMTP_URL is unset) instead.
import { randomBytes } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { findFreePort } from "@/lib/db/embedded-location";
import { makeEmbeddedTempDir } from "@/lib/db/scratch-server";
import { SIGN_UP_NOTICE_SUBJECT } from "@/lib/mail/sign-up-notice";
import { startApp, type AppProcess } from "@/lib/testing/app-process";
import { callSignUpAction, type SignUpFields } from "@/lib/testing/sign-up-action";
import { seedUser, uniqueEmail } from "@/lib/testing/seed";

let app: AppProcess;
let dataDir = "";
beforeAll(async () => {
  dataDir = await makeEmbeddedTempDir("keyward-sign-up-");
  const port = await findFreePort();
  const { SMTP_URL: _unset, ...inherited } = process.env;
  app = await startApp(
    {
      ...inherited,
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      AUTH_SECRET: randomBytes(32).toString("base64"),
      DATA_DIR: dataDir,
      APP_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: "warn",
    },
    port,
  );
}, 120_000);
afterAll(async () => {
  await app?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The .eml files written for `to` so far. */
async function mailsTo(to: string): Promise<string[]> {
  const dir = path.join(dataDir, "mail");
  const files = await readdir(dir).catch(() => [] as string[]);
  const mails = await Promise.all(files.map((file) => readFile(path.join(dir, file), "utf8")));
  return mails.filter((mail) => mail.includes(`To: ${to}`));
}

const signUp = (fields: Omit<SignUpFields, "name" | "password">) =>
  callSignUpAction(
    app.url,
    { name: "Sam Sample", password: "amber walrus quietly 58", ...fields },
    { origin: app.url },
  );

describe("sign-up with a taken e-mail", () => {
  it("answers exactly as for a new e-mail, creates nothing, and e-mails the owner instead", async () => {
    const owner = await seedUser("taken-owner");
    const teamName = `Shadow ${randomBytes(3).toString("hex")}`;
    const fresh = uniqueEmail("fresh");

    const taken = await signUp({ email: owner.user.email, teamName });
    const created = await signUp({ email: fresh, teamName: `${teamName} new` });

    expect(taken.status).toBe(200);
    expect({ status: taken.status, contentType: taken.contentType, body: taken.body }).toEqual({
      status: created.status,
      contentType: created.contentType,
      body: created.body,
    });
    expect(taken.body).toContain('"ok":true');

    // The new address has its account; the taken one still has exactly one user, and no team was made.
    expect(await db().user.count({ where: { email: fresh } })).toBe(1);
    expect(await db().user.count({ where: { email: owner.user.email } })).toBe(1);
    expect(await db().team.count({ where: { name: teamName } })).toBe(0);

    // The owner hears of it (sent after the answer, so the test waits for it); the new address gets nothing.
    await expect.poll(async () => (await mailsTo(owner.user.email)).length).toBe(1);
    const [mail] = await mailsTo(owner.user.email);
    expect(mail).toContain(`Subject: ${SIGN_UP_NOTICE_SUBJECT}`);
    expect(mail).toContain(`${app.url}/sign-in`);
    expect(await mailsTo(fresh)).toEqual([]);
  });

  it("gives the same refusal for an unusable invitation, taken e-mail or not, and e-mails nobody", async () => {
    const owner = await seedUser("invite-owner");
    const inviteToken = randomBytes(32).toString("base64url"); // well-formed, but no such invitation
    const taken = await signUp({ email: owner.user.email, inviteToken });
    const fresh = uniqueEmail("invite-fresh");
    const created = await signUp({ email: fresh, inviteToken });
    expect(taken.body).toContain("This invitation link is not valid.");
    // The same answer, but for the echo of what each one typed (the form shows it again).
    const echo = (body: string, email: string) => body.replaceAll(email, "<typed e-mail>");
    expect({ status: taken.status, body: echo(taken.body, owner.user.email) }).toEqual({
      status: created.status,
      body: echo(created.body, fresh),
    });
    expect(await db().user.count({ where: { email: fresh } })).toBe(0);
    expect(await mailsTo(owner.user.email)).toEqual([]);
  });
});
