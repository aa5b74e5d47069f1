// Auth.js (next-auth v4) configuration: e-mail + password, a JWT cookie that names a server-side session row.
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { contextFromHeaders, requestContext } from "@/lib/auth/request-context";
import { recordSignInEvent } from "@/lib/auth/sign-in-events";
import { db } from "@/lib/db/client";
import { currentPendingSession } from "@/lib/auth/pending";
import { revokeSession, SESSION_MAX_AGE_SECONDS } from "@/lib/auth/sessions";
import { passwordStep, secondFactorStep } from "@/lib/auth/sign-in";
import { env } from "@/lib/env";
import { authCookies } from "@/lib/auth/cookies";
import { logger } from "@/lib/logger";
import { signInSchema } from "@/lib/validations/auth";
import { secondFactorSchema, SIGN_IN_ERRORS } from "@/lib/validations/two-factor";

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
        id: "credentials",
        name: "E-mail and password",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = signInSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const result = await passwordStep(parsed.data, contextFromHeaders(headerReader(req.headers)));
          if (result.outcome === "ip_throttled") throw new Error(SIGN_IN_ERRORS.tooManyAttempts);
          if (result.outcome === "refused") return null;
          logger.info({ event: result.outcome, userId: result.user.id }, "password accepted");
          return { ...result.user, sessionId: result.sessionId };
        },
      }),
      // The second step: the cookie of a pending session (password done) plus a TOTP or recovery code. The
      // pending row ends and a new session id replaces it in a new cookie.
      CredentialsProvider({
        id: "second-factor",
        name: "Authenticator code",
        credentials: { code: { label: "Code", type: "text" } },
        async authorize(credentials, req) {
          const parsed = secondFactorSchema.safeParse(credentials);
          const pending = await currentPendingSession();
          if (!parsed.success || !pending) return null;
          const result = await secondFactorStep(
            { pendingSessionId: pending.sessionId, userId: pending.user.id, code: parsed.data.code },
            contextFromHeaders(headerReader(req.headers)),
          );
          if (result.outcome === "ip_throttled") throw new Error(SIGN_IN_ERRORS.tooManyAttempts);
          if (result.outcome === "refused") return null;
          logger.info({ event: "sign_in", userId: result.user.id }, "signed in");
          return { ...result.user, sessionId: result.sessionId };
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
        if (!token.sid) return;
        await revokeSession(token.sid);
        if (token.sub)
          await recordSignInEvent(db(), {
            userId: token.sub,
            sessionId: token.sid,
            kind: "session_ended",
            reason: "signed out",
            request: await requestContext().catch(() => ({ ip: null, userAgent: null })),
          });
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
