// The mock's canned answer and its deterministic token counts, so tests and budgets can predict usage exactly.

const WORDS = ["This", "is", "a", "reply", "from", "the", "mock", "upstream."];

export type Reply = {
  words: string[];
  text: string;
  // The streamed pieces ("This", " is", …): joined, they are `text`.
  deltas: string[];
  // The reply and each piece as JSON string literals, built once per server rather than per request.
  textJson: string;
  deltasJson: string[];
};

export function makeReply(wordCount: number): Reply {
  const words = Array.from({ length: wordCount }, (_, i) => WORDS[i % WORDS.length] as string);
  const deltas = words.map((word, i) => (i === 0 ? word : ` ${word}`));
  const text = deltas.join("");
  return { words, text, deltas, textJson: JSON.stringify(text), deltasJson: deltas.map((d) => JSON.stringify(d)) };
}

// About four characters a token, as OpenAI's rule of thumb: cheap and deterministic.
export function tokensForChars(chars: number): number {
  return Math.ceil(chars / 4);
}

// Characters of text in a message's or an input item's content: a string, or parts carrying `text`.
export function contentChars(content: unknown): number {
  if (typeof content === "string") return content.length;
  if (!Array.isArray(content)) return 0;
  let chars = 0;
  for (const part of content) {
    if (typeof part === "string") chars += part.length;
    else if (part && typeof part === "object" && "text" in part && typeof part.text === "string")
      chars += part.text.length;
  }
  return chars;
}
