// /api/auth/* — Auth.js (next-auth v4) endpoints: csrf, credentials callback, session, sign-out.
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

type Context = { params: Promise<{ nextauth: string[] }> };

// Built per request rather than at import, so `next build` needs no AUTH_SECRET.
async function handler(request: Request, context: Context): Promise<Response> {
  return (NextAuth(authOptions()) as (req: Request, ctx: Context) => Promise<Response>)(request, context);
}

export { handler as GET, handler as POST };
