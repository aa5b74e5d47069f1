// Which scope an OpenAI path needs: its endpoint group and read (listing, fetching) or write (creating,
// changing, spending). Unknown paths are refused before anything is forwarded.
import type { EndpointGroup } from "@/lib/keys/scopes";

export type RouteNeed = { group: EndpointGroup; access: "read" | "write" };

const PREFIXES: [string, EndpointGroup][] = [
  ["/v1/chat/completions", "chat"],
  ["/v1/responses", "responses"],
  ["/v1/embeddings", "embeddings"],
  ["/v1/images/", "images"],
  ["/v1/audio/", "audio"],
  ["/v1/files", "files"],
  ["/v1/uploads", "files"],
  ["/v1/batches", "batches"],
  ["/v1/moderations", "moderations"],
  ["/v1/models", "models"],
  ["/v1/fine_tuning/", "fine_tuning"],
  ["/v1/assistants", "assistants"],
  ["/v1/threads", "assistants"],
  ["/v1/vector_stores", "assistants"],
];

function startsWithSegment(path: string, prefix: string): boolean {
  if (prefix.endsWith("/")) return path.startsWith(prefix);
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** GET and HEAD read; everything else (POST, DELETE, …) writes. */
export function routeNeed(method: string, path: string): RouteNeed | null {
  for (const [prefix, group] of PREFIXES) {
    if (startsWithSegment(path, prefix))
      return { group, access: method === "GET" || method === "HEAD" ? "read" : "write" };
  }
  return null;
}
