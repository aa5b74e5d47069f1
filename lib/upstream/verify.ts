// Asks the upstream (OPENAI_BASE_URL) whether a key works: GET /models, the cheapest authenticated call.
import { env } from "@/lib/env";

export type UpstreamCheck =
  { status: "valid" } | { status: "rejected"; httpStatus: number } | { status: "unreachable" };

export const CHECK_TIMEOUT_MS = 10_000;

export type UpstreamCredentials = { key: string; organizationId?: string | null; projectId?: string | null };

export function upstreamHeaders(credentials: UpstreamCredentials): Record<string, string> {
  return {
    authorization: `Bearer ${credentials.key}`,
    ...(credentials.organizationId ? { "openai-organization": credentials.organizationId } : {}),
    ...(credentials.projectId ? { "openai-project": credentials.projectId } : {}),
  };
}

/** The upstream's answer is reduced to a status: its body (which may echo the key) goes nowhere. */
export async function checkUpstreamKey(credentials: UpstreamCredentials): Promise<UpstreamCheck> {
  // Outside the try: a configuration error is ours to fix, not an unreachable upstream.
  const url = `${env().OPENAI_BASE_URL}/models`;
  try {
    const response = await fetch(url, {
      headers: upstreamHeaders(credentials),
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.ok) return { status: "valid" };
    if (response.status === 401 || response.status === 403) return { status: "rejected", httpStatus: response.status };
    return { status: "unreachable" };
  } catch {
    return { status: "unreachable" };
  }
}
