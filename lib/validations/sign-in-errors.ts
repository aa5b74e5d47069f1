// What the sign-in pages may tell the person signing in. No imports: the client forms read this too, and it
// must not pull server code (argon2, Prisma) into the browser bundle.
export const SIGN_IN_ERRORS = {
  /** Thrown by the providers for the IP-level limit only; anything else is the generic refusal. */
  tooManyAttempts: "TooManyAttempts",
} as const;

export const SIGN_IN_MESSAGES = {
  /** One message for an unknown e-mail, a wrong password, and a throttled or locked account. */
  wrongPassword: "That e-mail and password don't match an account.",
  /** One message for a wrong, used or expired code, and a throttled or locked account. */
  wrongCode: "That code didn't work. Enter the current code from your authenticator app, or an unused recovery code.",
  /** The IP limit: says nothing about any account. */
  tooManyAttempts: "Too many attempts from your network. Wait a few minutes, then try again.",
} as const;

/** The message for a next-auth `signIn(…, { redirect: false })` error. */
export function signInErrorMessage(error: string | null | undefined, refused: string): string {
  return error === SIGN_IN_ERRORS.tooManyAttempts ? SIGN_IN_MESSAGES.tooManyAttempts : refused;
}
