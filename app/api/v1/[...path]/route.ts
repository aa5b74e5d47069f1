// /api/v1/* — the same OpenAI-compatible API through Next's router, always (the fast path only takes /v1):
// for comparing the two paths (conformance tests, the benchmark) and for hosts that reserve /v1.
import { proxyRoute } from "@/lib/proxy/route-handler";

export const dynamic = "force-dynamic";
const handler = proxyRoute("/api/v1");
export { handler as GET, handler as POST, handler as DELETE, handler as PUT, handler as PATCH };
