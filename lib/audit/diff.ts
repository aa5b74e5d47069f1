// What an audit event changed, as rows a person reads: "Endpoint: chat  write → read". Works from the
// metadata the writers record ({before, after}, {from, to}, {renamed: {from, to}}); pure, so the drawer,
// the export and the tests share it.
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type DiffRow = { field: string; label: string; before: string; after: string };

const FIELD_LABELS: Record<string, string> = {
  endpoints: "Endpoint",
  models: "Models",
  limits: "Limit",
  budget: "Budget",
  expiresAt: "Expires",
  ipAllowList: "IP allow-list",
  role: "Role",
  name: "Name",
};

const NONE = "—";

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: Json | undefined): string {
  if (value === undefined || value === null) return NONE;
  if (Array.isArray(value)) return value.length === 0 ? NONE : value.map((item) => show(item)).join(", ");
  if (isObject(value)) return JSON.stringify(value);
  return String(value);
}

function labelOf(path: string[]): string {
  const [head, ...rest] = path;
  const base = FIELD_LABELS[head ?? ""] ?? head ?? "";
  return rest.length === 0 ? base : `${base}: ${rest.join(".")}`;
}

/** Flattens objects to dotted leaves; arrays stay whole (an allow-list is one value). */
function flatten(value: Json | undefined, path: string[], out: Map<string, { path: string[]; value: Json }>) {
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, [...path, key], out);
    return;
  }
  if (value !== undefined) out.set(path.join("."), { path, value });
}

function compare(before: Json | undefined, after: Json | undefined, root: string[]): DiffRow[] {
  const left = new Map<string, { path: string[]; value: Json }>();
  const right = new Map<string, { path: string[]; value: Json }>();
  flatten(before, root, left);
  flatten(after, root, right);
  const fields = [...new Set([...left.keys(), ...right.keys()])].sort();
  const rows: DiffRow[] = [];
  for (const field of fields) {
    const a = left.get(field);
    const b = right.get(field);
    const beforeText = show(a?.value);
    const afterText = show(b?.value);
    if (beforeText === afterText) continue;
    const path = (a ?? b)?.path ?? [field];
    rows.push({ field, label: labelOf(path.length === 0 ? [field] : path), before: beforeText, after: afterText });
  }
  return rows;
}

/** The changed fields of one event, or [] when it records no change (a creation, a sign-in). */
export function eventChanges(metadata: unknown): DiffRow[] {
  if (!isObject(metadata)) return [];
  const rows: DiffRow[] = [];
  if ("renamed" in metadata && isObject(metadata.renamed))
    rows.push(...compare(metadata.renamed.from, metadata.renamed.to, ["name"]));
  if ("before" in metadata || "after" in metadata) rows.push(...compare(metadata.before, metadata.after, []));
  else if ("from" in metadata || "to" in metadata) rows.push(...compare(metadata.from, metadata.to, ["role"]));
  return rows;
}
