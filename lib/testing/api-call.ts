// Calls a route handler of the management API as a script would: a real Request with a management key,
// through withTeam, and the params Next would pass.
type Handler<P> = (request: Request, route: { params: Promise<P> }) => Promise<Response>;

export function callRoute<P extends { slug: string }>(
  handler: Handler<P>,
  params: P,
  key: string,
  init: { method?: string; body?: unknown; query?: Record<string, string> } = {},
): Promise<Response> {
  const path = Object.values(params).join("/");
  const search = init.query ? `?${new URLSearchParams(init.query).toString()}` : "";
  return handler(
    new Request(`http://keyward.test/api/teams/${path}${search}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    }),
    { params: Promise.resolve(params) },
  );
}

/** The JSON body of an answer, with its status, for assertions. */
export async function answer(response: Response): Promise<{ status: number; body: unknown }> {
  return { status: response.status, body: await response.json() };
}
