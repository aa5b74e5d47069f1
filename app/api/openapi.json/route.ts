// GET /api/openapi.json — the management API's OpenAPI document.
import { openApiDocument } from "@/lib/api/openapi";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json(openApiDocument(env().APP_URL));
}
