// Signs in over plain HTTP the way a browser does (CSRF cookie + token, then the credentials callback) and
// returns the Cookie header to send with later requests.
function cookiePairs(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0] ?? "");
}

export async function signInOverHttp(baseUrl: string, email: string, password: string): Promise<string | null> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiePairs(csrf);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    // A browser's form post names its page's origin, and the app refuses one that does not (proxy.ts).
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; "), origin: baseUrl },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = cookiePairs(response).find((pair) => pair.startsWith("next-auth.session-token="));
  return session ? [...jar, session].join("; ") : null;
}
