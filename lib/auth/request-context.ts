// Who is asking from where: the client IP set by our server from the socket, and the user agent.
import { headers } from "next/headers";
import type { RequestContext } from "@/lib/audit/record";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { trustedClientIp } from "@/lib/proxy/client-ip";

export function contextFromHeaders(h: Pick<Headers, "get">): RequestContext {
  return { ip: trustedClientIp(h, CLIENT_IP_HEADER), userAgent: h.get("user-agent") };
}

export async function requestContext(): Promise<RequestContext> {
  return contextFromHeaders(await headers());
}
