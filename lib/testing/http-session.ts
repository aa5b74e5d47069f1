// Signs in over plain HTTP the way a browser does (CSRF cookie + token, then the credentials callback, and the
// second-factor callback for an account with 2FA) and returns the Cookie header to send with later requests.
function cookiePairs(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0] ?? "");
}

const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token=/;

export type HttpAttempt = { status: number; body: string; cookie: string | null };

/** One POST to a next-auth callback (`credentials` or `second-factor`) as the browser's fetch makes it. */
export async function authCallback(
  baseUrl: string,
  provider: "credentials" | "second-factor",
  fields: Record<string, string>,
  options: { cookie?: string; headers?: Record<string, string> } = {},
): Promise<HttpAttempt> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers: options.cookie ? { cookie: options.cookie } : {} });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = [...(options.cookie ? options.cookie.split("; ") : []), ...cookiePairs(csrf)];
  const response = await fetch(`${baseUrl}/api/auth/callback/${provider}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: new URL(baseUrl).origin,
      cookie: jar.join("; "),
      ...options.headers,
    },
    body: new URLSearchParams({ ...fields, csrfToken, json: "true" }),
  });
  const session = cookiePairs(response).find((pair) => SESSION_COOKIE.test(pair));
  const others = jar.filter((pair) => !SESSION_COOKIE.test(pair));
  return {
    status: response.status,
    body: await response.text(),
    cookie: session ? [...others, session].join("; ") : null,
  };
}

export async function signInOverHttp(baseUrl: string, email: string, password: string): Promise<string | null> {
  return (await authCallback(baseUrl, "credentials", { email, password })).cookie;
}
