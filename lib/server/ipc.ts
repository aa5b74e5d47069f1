// The messages between the edge process (server.ts: the listener, the proxy fast path) and the web process
// it starts (lib/server/web-process.ts: Next.js). Both sides parse what they receive: it is input.
import { z } from "zod";
import { keyChangeSchema } from "@/lib/keys/key-changes";

export const webMessageSchema = z.discriminatedUnion("type", [
  /** The web process listens on 127.0.0.1:port and trusts client-IP headers carrying this token. */
  z.object({ type: z.literal("ready"), port: z.number().int().min(1).max(65535), edgeToken: z.string().min(16) }),
  /** A key change committed in the web process; the edge answers "applied" with the same id. */
  z.object({ type: z.literal("key-change"), id: z.number().int(), change: keyChangeSchema }),
]);
export type WebMessage = z.infer<typeof webMessageSchema>;

export const edgeMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("key-change-applied"), id: z.number().int() }),
  /** Finish what is open and exit: the edge has drained its own connections already. */
  z.object({ type: z.literal("shutdown") }),
]);
export type EdgeMessage = z.infer<typeof edgeMessageSchema>;
