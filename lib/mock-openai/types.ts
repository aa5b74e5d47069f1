// Shapes shared by the mock OpenAI API's server, routes and fault injection.
import type http from "node:http";
import type { Reply } from "./reply";

export const MOCK_MODELS = [
  "gpt-4o",
  "gpt-4o-mini",
  "gpt-4.1-mini",
  "o3-mini",
  "text-embedding-3-small",
  "text-embedding-3-large",
  "omni-moderation-latest",
];

// Failures a test can ask for, per request (`x-mock-fault` header) or for the next N requests (setFault):
// 401 invalid_api_key; 429 rate_limit_exceeded with retry-after: 2 and x-ratelimit-*; 500 server_error;
// hang: never answered until the client goes away; reset: a stream gets two chunks then a TCP reset, any
// other request a reset at once; slow-start: headers held back for x-mock-latency-ms (default 2000 ms);
// flood: a stream's content frames repeated until `floodBytes` (x-mock-flood-bytes) went out, as fast as the
// connection takes them and no faster (it waits for 'drain'): what a client that stops reading must slow.
export const MOCK_FAULTS = ["401", "429", "500", "hang", "reset", "slow-start", "flood"] as const;
export type MockFault = (typeof MOCK_FAULTS)[number];

export type RecordedRequest = {
  method: string;
  path: string;
  keyHint: string | null;
  organization: string | null;
  project: string | null;
  model: string | null;
  stream: boolean;
  fault: MockFault | null;
  // The client went away before the response finished (never set by the mock's own `reset` fault).
  aborted: boolean;
  // The exchange is over (the response finished or its connection went): from then on `aborted` is final.
  closed: boolean;
  // Bytes of a streamed (SSE) body handed to the connection so far, updated as they go.
  streamedBytes: number;
};

export type MockFileObject = {
  id: string;
  object: "file";
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: "processed";
};
export type MockBatch = Record<string, unknown> & { id: string; object: "batch" };

// The Admin API's world (routes/admin.ts): projects, their service accounts, and every key ever issued.
export type MockProject = { id: string; name: string; created_at: number };
export type MockServiceAccount = { id: string; project_id: string; name: string; created_at: number; key: string };
export type MockAdminFault = { left: number; status: 500 | 403 };
export type MockAdminState = {
  adminKey: string;
  projects: MockProject[];
  accounts: MockServiceAccount[];
  // Issued key value → whether it works: false once its account is deleted, or from birth (rejectNextIssuedKeys).
  issuedKeys: Map<string, boolean>;
  faults: Record<"create" | "delete", MockAdminFault>;
  rejectNextIssued: number;
};

// Per-server state: ids are a random per-instance prefix plus a counter, so they stay unique across restarts
// without paying for randomness on every request. `held`: while a test holds streams (holdStreams), the rest
// of every stream that started meanwhile, waiting for the release; null when nothing is held.
export type MockState = {
  prefix: string;
  seq: number;
  files: MockFileObject[];
  batches: MockBatch[];
  held: (() => void)[] | null;
  /** Completion tokens a chat answer reports (capped by its max_tokens), instead of its reply's words. */
  completionTokens: number | null;
  fineTuningJobs: Record<string, unknown>[];
  assistants: Record<string, unknown>[];
  admin: MockAdminState;
};

export type MockContext = {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  record: RecordedRequest;
  // Parsed JSON body; INVALID_JSON when a body was sent but did not parse, undefined when there was none.
  json: unknown;
  raw: Buffer | null;
  // The `:id` of a path like /v1/files/:id.
  param: string | undefined;
  reply: Reply;
  chunkDelayMs: number;
  // The `reset` fault on a streaming request: the SSE writer sends two chunks, then resets the connection.
  reset: boolean;
  // The `flood` fault on a streaming request: how many bytes the SSE writer sends (0: not flooding).
  floodBytes: number;
  state: MockState;
};

export type Route = (ctx: MockContext) => void;

export const INVALID_JSON = Symbol("invalid-json");

export function nextId(state: MockState, kind: string): string {
  state.seq += 1;
  return `${kind}${state.prefix}${state.seq.toString(36)}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
