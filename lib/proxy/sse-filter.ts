// Takes out of a chat completion stream what Keyward's own `stream_options.include_usage` added, so the
// client gets the stream OpenAI sends for the request it made: with include_usage, OpenAI puts
// `"usage":null` on every chunk and sends one last chunk with `"choices":[]` and the usage. Whole events
// only: an event split across chunks is held until its blank line arrives.
const BOUNDARY = "\n\n";
/** An event longer than this passes through unfiltered (no chat chunk comes near it). */
const MAX_HELD_BYTES = 1024 * 1024;
const EMPTY = Buffer.alloc(0);
// A key cannot occur inside a JSON string unescaped, so this matches only the field itself.
const NULL_USAGE = /,"usage":null(?=[,}])|"usage":null,/g;

export class AddedUsageFilter {
  /** Bytes of an event not complete yet (held as bytes: a chunk may end inside a UTF-8 character). */
  private held: Buffer = EMPTY;

  /** The complete events in `chunk` (with what was held), filtered; the rest is held. */
  push(chunk: Buffer): Buffer {
    const bytes = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    const last = bytes.lastIndexOf(BOUNDARY);
    if (last === -1) {
      if (bytes.length > MAX_HELD_BYTES) {
        this.held = EMPTY;
        return bytes;
      }
      // A copy: a view would keep the whole chunk it came from alive.
      this.held = Buffer.from(bytes);
      return EMPTY;
    }
    const end = last + BOUNDARY.length;
    this.held = end < bytes.length ? Buffer.from(bytes.subarray(end)) : EMPTY;
    return Buffer.from(filterEvents(bytes.toString("utf8", 0, end)));
  }

  /** Whatever is held when the stream ends (a stream cut mid-event). */
  end(): Buffer {
    const rest = this.held;
    this.held = EMPTY;
    return rest;
  }
}

function filterEvents(events: string): string {
  let out = "";
  for (const event of events.split(BOUNDARY)) {
    if (event === "") continue;
    if (isAddedUsageChunk(event)) continue;
    out += event.includes('"usage":null') ? event.replace(NULL_USAGE, "") : event;
    out += BOUNDARY;
  }
  return out;
}

/** The last chunk include_usage adds: no choices, a usage object. */
function isAddedUsageChunk(event: string): boolean {
  if (!event.startsWith("data:") || !event.includes('"usage":{')) return false;
  try {
    const chunk = JSON.parse(event.slice(5)) as { choices?: unknown; usage?: unknown };
    return Array.isArray(chunk.choices) && chunk.choices.length === 0 && typeof chunk.usage === "object";
  } catch {
    return false;
  }
}
