// USD per million tokens, for metering and budgets. Longest matching prefix wins, so dated snapshots
// ("gpt-4o-mini-2024-07-18") price like their family. Unknown models price as the most expensive family,
// so a budget is never undercounted.
const PRICES: [prefix: string, input: number, output: number][] = [
  ["gpt-4.1-nano", 0.1, 0.4],
  ["gpt-4.1-mini", 0.4, 1.6],
  ["gpt-4.1", 2, 8],
  ["gpt-4o-mini", 0.15, 0.6],
  ["gpt-4o", 2.5, 10],
  ["o4-mini", 1.1, 4.4],
  ["o3-mini", 1.1, 4.4],
  ["o3", 2, 8],
  ["o1", 15, 60],
  ["gpt-3.5-turbo", 0.5, 1.5],
  ["text-embedding-3-small", 0.02, 0],
  ["text-embedding-3-large", 0.13, 0],
  ["text-embedding-ada-002", 0.1, 0],
  ["omni-moderation", 0, 0],
  ["text-moderation", 0, 0],
];
const FALLBACK: [number, number] = [15, 60];

const SORTED = [...PRICES].sort((a, b) => b[0].length - a[0].length);
const memo = new Map<string, [number, number]>();

export function pricePerMillion(model: string): [input: number, output: number] {
  let price = memo.get(model);
  if (!price) {
    const hit = SORTED.find(([prefix]) => model.startsWith(prefix));
    price = hit ? [hit[1], hit[2]] : FALLBACK;
    if (memo.size < 1000) memo.set(model, price);
  }
  return price;
}

export function costUsd(model: string, promptTokens: number, completionTokens: number): number {
  const [input, output] = pricePerMillion(model);
  return (promptTokens * input + completionTokens * output) / 1_000_000;
}
