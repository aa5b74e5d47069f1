// /v1/* — the OpenAI-compatible API (baseURL http://host:port/v1). The portable entry point: under our server
// the fast path answers these first (PROXY_FAST_PATH=off hands them to this handler); under a bare
// `next start` this handler answers them.
import { proxyRoute } from "@/lib/proxy/route-handler";

export const dynamic = "force-dynamic";
const handler = proxyRoute("/v1");
export { handler as GET, handler as POST, handler as DELETE, handler as PUT, handler as PATCH };
