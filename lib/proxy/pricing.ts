// What OpenAI charges, for metering and budgets: per million tokens for text and embeddings, with each text
// family's largest output (what a request without a token limit may cost); per image by size and quality;
// per million characters for speech; per minute of audio for transcription. Longest matching prefix wins, so
// dated snapshots ("gpt-4o-mini-2024-07-18") price like their family. Unknown models price as the most
// expensive of their kind, so a budget is never undercounted. Prices: OpenAI's pricing page, 2026-11.

type TextPrice = { kind: "text"; input: number; output: number; maxOutputTokens: number };
type ImagePrice = {
  kind: "image";
  /** USD per image for a size and quality; "*" is any other. */
  perImage: Record<string, Record<string, number>>;
  /** Token prices for models that answer with `usage` (gpt-image-*). */
  input: number;
  output: number;
};
type SpeechPrice = { kind: "speech"; perMillionChars: number };
type TranscriptionPrice = { kind: "transcription"; perMinute: number; input: number; output: number };
export type ModelPrice = TextPrice | ImagePrice | SpeechPrice | TranscriptionPrice;

const text = (input: number, output: number, maxOutputTokens: number): TextPrice => ({
  kind: "text",
  input,
  output,
  maxOutputTokens,
});

const PRICES: [prefix: string, price: ModelPrice][] = [
  ["gpt-5-nano", text(0.05, 0.4, 128_000)],
  ["gpt-5-mini", text(0.25, 2, 128_000)],
  ["gpt-5", text(1.25, 10, 128_000)],
  ["gpt-4.1-nano", text(0.1, 0.4, 32_768)],
  ["gpt-4.1-mini", text(0.4, 1.6, 32_768)],
  ["gpt-4.1", text(2, 8, 32_768)],
  ["gpt-4o-mini-tts", { kind: "speech", perMillionChars: 15 }],
  ["gpt-4o-mini-transcribe", { kind: "transcription", perMinute: 0.003, input: 1.25, output: 5 }],
  ["gpt-4o-transcribe", { kind: "transcription", perMinute: 0.006, input: 2.5, output: 10 }],
  ["gpt-4o-mini", text(0.15, 0.6, 16_384)],
  ["gpt-4o", text(2.5, 10, 16_384)],
  ["o4-mini", text(1.1, 4.4, 100_000)],
  ["o3-mini", text(1.1, 4.4, 100_000)],
  ["o3", text(2, 8, 100_000)],
  ["o1-mini", text(1.1, 4.4, 65_536)],
  ["o1", text(15, 60, 100_000)],
  ["gpt-3.5-turbo", text(0.5, 1.5, 4_096)],
  ["text-embedding-3-small", text(0.02, 0, 0)],
  ["text-embedding-3-large", text(0.13, 0, 0)],
  ["text-embedding-ada-002", text(0.1, 0, 0)],
  ["omni-moderation", text(0, 0, 0)],
  ["text-moderation", text(0, 0, 0)],
  [
    "dall-e-2",
    {
      kind: "image",
      perImage: { "256x256": { "*": 0.016 }, "512x512": { "*": 0.018 }, "*": { "*": 0.02 } },
      input: 0,
      output: 0,
    },
  ],
  [
    "dall-e-3",
    {
      kind: "image",
      perImage: { "1024x1024": { hd: 0.08, "*": 0.04 }, "*": { hd: 0.12, "*": 0.08 } },
      input: 0,
      output: 0,
    },
  ],
  [
    "gpt-image-1-mini",
    {
      kind: "image",
      perImage: {
        "1024x1024": { low: 0.005, medium: 0.011, "*": 0.036 },
        "*": { low: 0.006, medium: 0.015, "*": 0.052 },
      },
      input: 2,
      output: 8,
    },
  ],
  [
    "gpt-image",
    {
      kind: "image",
      perImage: {
        "1024x1024": { low: 0.011, medium: 0.042, "*": 0.167 },
        "*": { low: 0.016, medium: 0.063, "*": 0.25 },
      },
      input: 5,
      output: 40,
    },
  ],
  ["tts-1-hd", { kind: "speech", perMillionChars: 30 }],
  ["tts-1", { kind: "speech", perMillionChars: 15 }],
  ["whisper-1", { kind: "transcription", perMinute: 0.006, input: 0, output: 0 }],
];

/** The most expensive of each kind: what an unknown model costs. */
export const FALLBACK = {
  text: text(15, 60, 128_000),
  image: { kind: "image", perImage: { "*": { "*": 0.25 } }, input: 5, output: 40 } satisfies ImagePrice,
  speech: { kind: "speech", perMillionChars: 30 } satisfies SpeechPrice,
  transcription: { kind: "transcription", perMinute: 0.006, input: 2.5, output: 10 } satisfies TranscriptionPrice,
} as const;

/** Fine-tuned models ("ft:gpt-4o-mini:org::id") cost about twice their base model per token. */
const FINE_TUNED_FACTOR = 2;

const SORTED = [...PRICES].sort((a, b) => b[0].length - a[0].length);
const memo = new Map<string, ModelPrice | null>();

function lookup(model: string): ModelPrice | null {
  let price = memo.get(model);
  if (price === undefined) {
    const fineTuned = model.startsWith("ft:");
    const base = fineTuned ? model.slice(3) : model;
    const hit = SORTED.find(([prefix]) => base.startsWith(prefix))?.[1] ?? null;
    price =
      fineTuned && hit?.kind === "text"
        ? { ...hit, input: hit.input * FINE_TUNED_FACTOR, output: hit.output * FINE_TUNED_FACTOR }
        : hit;
    if (memo.size < 1000) memo.set(model, price);
  }
  return price;
}

/** The model's price if it is of `kind`, else the most expensive of that kind. */
export function priceOf<K extends ModelPrice["kind"]>(model: string, kind: K): Extract<ModelPrice, { kind: K }> {
  const price = lookup(model);
  return (price?.kind === kind ? price : FALLBACK[kind]) as Extract<ModelPrice, { kind: K }>;
}

/** Token cost of a text model (or a token-metered image or transcription model). */
export function costUsd(model: string, promptTokens: number, completionTokens: number): number {
  const price = lookup(model) ?? FALLBACK.text;
  if (price.kind === "speech") return 0;
  return (promptTokens * price.input + completionTokens * price.output) / 1_000_000;
}

/**
 * One image's price. Without a size, OpenAI makes 1024×1024; without a quality, its default, which the "*"
 * entry holds (gpt-image's default "auto" may choose high, so "*" is high there).
 */
export function imagePriceUsd(model: string, size: string | null, quality: string | null): number {
  const { perImage } = priceOf(model, "image");
  const bySize = perImage[size ?? "1024x1024"] ?? perImage["*"] ?? {};
  return (quality !== null ? bySize[quality] : undefined) ?? bySize["*"] ?? FALLBACK.image.perImage["*"]["*"];
}
