// Command-line flags of `npm run bench`, parsed with zod. `--quick` picks short settings for CI-length runs;
// any flag given explicitly wins over the preset.
import { parseArgs } from "node:util";
import { z } from "zod";

export const ROW_NAMES = ["mock", "plain-proxy", "portkey", "keyward-route-handler", "keyward-fast-path"] as const;
export type RowName = (typeof ROW_NAMES)[number];

const PRESETS = {
  normal: {
    duration: 10,
    warmup: 3,
    connections: 50,
    "first-chunk-requests": 5_000,
    "open-streams": 1_000,
    "stream-delay-ms": 120_000,
    "rss-requests": 200_000,
    "rss-every": 20_000,
    "rss-max-seconds": 100,
    rate: 1_000,
    "rate-duration": 10,
    "interleave-rounds": 20,
  },
  quick: {
    duration: 3,
    warmup: 1,
    connections: 50,
    "first-chunk-requests": 200,
    "open-streams": 200,
    "stream-delay-ms": 60_000,
    "rss-requests": 20_000,
    "rss-every": 5_000,
    "rss-max-seconds": 20,
    rate: 1_000,
    "rate-duration": 3,
    "interleave-rounds": 5,
  },
} as const;

type NumericFlag = keyof (typeof PRESETS)["normal"];
const NUMERIC_FLAGS = Object.keys(PRESETS.normal) as NumericFlag[];

const positive = z.coerce.number().positive();
const optionsSchema = z.object({
  mode: z.enum(["normal", "quick"]),
  duration: positive.max(600),
  warmup: z.coerce.number().min(0).max(60),
  connections: z.coerce.number().int().min(1).max(1_000),
  "first-chunk-requests": z.coerce.number().int().min(1).max(10_000),
  "open-streams": z.coerce.number().int().min(1).max(5_000),
  "stream-delay-ms": z.coerce.number().int().min(1_000).max(600_000),
  "rss-requests": z.coerce.number().int().min(1).max(2_000_000),
  "rss-every": z.coerce.number().int().min(1).max(2_000_000),
  "rss-max-seconds": positive.max(1_800),
  rate: z.coerce.number().int().min(1).max(100_000),
  "rate-duration": positive.max(600),
  "interleave-rounds": z.coerce.number().int().min(0).max(600),
  only: z.array(z.enum(ROW_NAMES)).min(1),
  build: z.boolean(),
  save: z.boolean(),
});
export type BenchOptions = z.infer<typeof optionsSchema>;

export const USAGE = `npm run bench -- [--quick] [--duration S] [--warmup S] [--connections N] [--only row,row]
  [--first-chunk-requests N] [--open-streams N] [--stream-delay-ms MS] [--rss-requests N] [--rss-every N]
  [--rss-max-seconds S] [--rate RPS] [--rate-duration S] [--interleave-rounds N (0: off)] [--build] [--no-save]
rows: ${ROW_NAMES.join(", ")}`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      build: { type: "boolean", default: false },
      "no-save": { type: "boolean", default: false },
      only: { type: "string" },
      help: { type: "boolean", default: false },
      ...Object.fromEntries(NUMERIC_FLAGS.map((flag) => [flag, { type: "string" as const }])),
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const mode = values.quick ? "quick" : "normal";
  // The numeric flags are declared from a list, so parseArgs cannot type them: zod checks them below.
  const given = values as Record<string, string | boolean | undefined>;
  const numbers = Object.fromEntries(NUMERIC_FLAGS.map((flag) => [flag, given[flag] ?? PRESETS[mode][flag]]));
  const only = typeof values.only === "string" ? values.only.split(",").map((name) => name.trim()) : [...ROW_NAMES];
  return optionsSchema.parse({ ...numbers, mode, only, build: values.build, save: !values["no-save"] });
}
