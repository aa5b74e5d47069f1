// Auth.js (next-auth v4) configuration: e-mail + password, a JWT cookie that names a server-side session row.
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { contextFromHeaders } from "@/lib/auth/request-context";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import { createSession, revokeSession, SESSION_MAX_AGE_SECONDS } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { authCookies } from "@/lib/auth/cookies";
import { logger } from "@/lib/logger";
import { signInSchema } from "@/lib/validations/auth";

function headerReader(headers: unknown): Pick<Headers, "get"> {
  const record = (headers ?? {}) as Record<string, string | string[] | undefined>;
  return {
    get: (name: string) => {
      const value = record[name.toLowerCase()];
      return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
    },
  };
}

let options: AuthOptions | undefined;

export function authOptions(): AuthOptions {
  options ??= {
    secret: env().AUTH_SECRET,
    cookies: authCookies(env().APP_URL).cookies,
    useSecureCookies: authCookies(env().APP_URL).useSecureCookies,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "E-mail and password",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = signInSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const { email, password } = parsed.data;
          const user = await db().user.findUnique({ where: { email } });
          // Same work and the same answer for an unknown e-mail and a wrong password: no enumeration.
          if (!user) {
            await burnPasswordCheck(password);
            logger.info({ event: "sign_in_failed" }, "sign-in refused");
            return null;
          }
          if (!(await verifyPassword(user.passwordHash, password))) {
            logger.info({ event: "sign_in_failed", userId: user.id }, "sign-in refused");
            return null;
          }
          const session = await createSession(user.id, contextFromHeaders(headerReader(req.headers)));
          logger.info({ event: "sign_in", userId: user.id }, "signed in");
          return { id: user.id, email: user.email, name: user.name, sessionId: session.id };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sid = user.sessionId;
        return token;
      },
      session({ session, token }) {
        return { ...session, sid: token.sid ?? "", userId: token.sub ?? "" };
      },
    },
    events: {
      async signOut({ token }) {
        if (token.sid) await revokeSession(token.sid);
      },
    },
    logger: {
      error: (code, metadata) =>
        logger.error({ code, metadata: metadata instanceof Error ? metadata.message : undefined }, "auth error"),
      warn: (code) => logger.warn({ code }, "auth warning"),
      debug: () => undefined,
    },
  };
  return options;
}
