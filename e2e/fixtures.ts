// Playwright fixtures: seeded users and teams (cleaned up afterwards), sign-in, and the test mailbox.
import { randomBytes } from "node:crypto";
import { expect, test as base, type Page } from "@playwright/test";
import { watchAccessibility } from "./support/axe";
import { SAME_ORIGIN } from "./support/same-origin";

process.env.DATABASE_URL = process.env.KEYWARD_E2E_DATABASE_URL;

const { signUp } = await import("../lib/auth/accounts");
const { db } = await import("../lib/db/client");

export type SeededUser = {
  id: string;
  email: string;
  name: string;
  password: string;
  team: { id: string; slug: string; name: string };
};
type Role = "owner" | "admin" | "member" | "viewer" | "auditor";

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}@example.test`;
}

export const PASSWORD = "violet tractor harbour 42";

type Seed = {
  /** A user with a team of their own (as its owner). */
  user(options?: { name?: string; teamName?: string }): Promise<SeededUser>;
  /** Adds an existing user to a team with a role. */
  addMember(team: SeededUser["team"], user: SeededUser, role: Role): Promise<void>;
};

type MailboxApi = { waitFor(to: string, subject?: RegExp): Promise<{ subject: string; text: string }> };

export const test = base.extend<{
  seed: Seed;
  mailbox: MailboxApi;
  signIn: (page: Page, user: { email: string; password: string }) => Promise<void>;
  accessibility: void;
}>({
  // Every page every test shows is checked with axe-core; serious or critical findings fail the test.
  accessibility: [
    async ({ browser, page }, use) => {
      const watcher = watchAccessibility(browser, page);
      await use();
      const findings = await watcher.finish();
      expect(findings, "axe-core: serious or critical accessibility violations").toEqual([]);
    },
    { auto: true },
  ],

  seed: async ({}, use) => {
    const users: string[] = [];
    const teams: string[] = [];
    await use({
      async user(options = {}) {
        const name = options.name ?? `Tester ${randomBytes(2).toString("hex")}`;
        const email = uniqueEmail(name.split(" ")[0]?.toLowerCase());
        const { user, team } = await signUp(
          { name, email, password: PASSWORD, teamName: options.teamName ?? `Team ${randomBytes(3).toString("hex")}` },
          { ip: "127.0.0.1", userAgent: "e2e-seed" },
        );
        users.push(user.id);
        teams.push(team.id);
        return { ...user, password: PASSWORD, team };
      },
      async addMember(team, user, role) {
        await db().membership.create({ data: { teamId: team.id, userId: user.id, role } });
      },
    });
    // Audit rows stay: the table is append-only by design and the run's database is dropped at the end.
    await db().team.deleteMany({ where: { id: { in: teams } } });
    await db().user.deleteMany({ where: { id: { in: users } } });
  },

  mailbox: async ({}, use) => {
    const api = process.env.KEYWARD_E2E_MAILBOX_URL;
    await use({
      async waitFor(to, subject) {
        let found: { subject: string; text: string } | undefined;
        await expect
          .poll(
            async () => {
              const mails = (await (await fetch(`${api}/?to=${encodeURIComponent(to)}`)).json()) as {
                subject: string;
                text: string;
              }[];
              found = mails.reverse().find((m) => !subject || subject.test(m.subject));
              return Boolean(found);
            },
            { message: `an e-mail to ${to}`, timeout: 10_000 },
          )
          .toBe(true);
        return found as { subject: string; text: string };
      },
    });
  },

  signIn: async ({}, use) => {
    await use(async (page, user) => {
      const csrf = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const response = await page.request.post("/api/auth/callback/credentials", {
        headers: SAME_ORIGIN,
        form: { csrfToken: csrf.csrfToken, email: user.email, password: user.password, json: "true" },
      });
      expect(response.ok()).toBe(true);
    });
  },
});

export { expect };
