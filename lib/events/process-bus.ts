// One event bus per process, shared by every module graph in it: Next's server bundle and code run from
// source (server.ts, the web process) load separate copies of our modules but share globalThis.
import { EventEmitter } from "node:events";

export function processBus(): EventEmitter {
  const holder = globalThis as unknown as { keywardBus?: EventEmitter };
  holder.keywardBus ??= new EventEmitter().setMaxListeners(100);
  return holder.keywardBus;
}
