// The proxy's endpoint groups, in a module of their own with no imports: the scopes editor (a client
// component) needs the list, and importing it from scopes.ts would ship zod to the browser, whose check for
// eval support (`Function("")`) the page's CSP reports as a violation.
/** `assistants` covers the assistants, threads and vector store endpoints. */
export const ENDPOINT_GROUPS = [
  "chat",
  "responses",
  "embeddings",
  "images",
  "audio",
  "files",
  "batches",
  "moderations",
  "models",
  "fine_tuning",
  "assistants",
] as const;
