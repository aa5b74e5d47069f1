// What every management route shares in its OpenAPI description and its parsing: the path parameters, the
// `{ data }` envelope and the error body written by lib/api/errors.ts.
import { z } from "zod";
import type { ZodOpenApiResponsesObject } from "zod-openapi";

export const teamParamsSchema = z.object({ slug: z.string().min(1).max(64).meta({ description: "The team's slug." }) });
export const teamItemParamsSchema = teamParamsSchema.extend({ id: z.uuid() });

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.array(z.string())).optional(),
  }),
});

/** The success body of every route that answers with content: `{ "data": … }`. */
export const dataOf = <T extends z.ZodType>(schema: T) => z.object({ data: schema });

const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });

export const jsonBody = (schema: z.ZodType) => ({ required: true, ...json(schema) });

export const ok = (description: string, schema?: z.ZodType) =>
  schema ? { description, ...json(dataOf(schema)) } : { description };

/** The answers every team route may give besides its success, as errorResponse() writes them. */
export const ERRORS = {
  "401": { description: "Not signed in, or an invalid management key.", ...json(errorSchema) },
  "403": {
    description:
      "The actor's role or the key's scopes do not allow this (`forbidden`); the team requires 2FA and the actor (or the management key's holder) has none (`two_factor_required`); or, for a browser session, a dangerous change needs the password or a code entered in the last 10 minutes (`reauthentication_required`).",
    ...json(errorSchema),
  },
  "404": { description: "No such team or resource — or not yours to see.", ...json(errorSchema) },
  "422": { description: "Invalid input; `fields` says which.", ...json(errorSchema) },
} satisfies ZodOpenApiResponsesObject;

export const CONFLICT = {
  "409": { description: "The change conflicts with the team's state; `message` says how.", ...json(errorSchema) },
} satisfies ZodOpenApiResponsesObject;

/** A JSON body, or `{}` when there is none or it is not JSON: the schema then says what is missing. */
export async function readJson(request: Request): Promise<unknown> {
  return request.json().catch(() => ({}));
}
