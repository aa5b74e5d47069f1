// Issue 13, item 2: key state changes only through the one publishing path. Anything that changes what a key
// may do (the key row, its holder's membership, the team's policy, the team itself, its upstream keys) must
// happen inside transaction() (lib/db/transaction.ts) in a function that publishes the change with
// notifyKeyChange (lib/keys/invalidation.ts), or through a helper that does. This test reads the source
// (TypeScript's parser, not regexes) and fails on any other path; a write that provably cannot change a
// key's powers says so with a `key-state: unaffected — why` comment right above it.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const SOURCES = ["lib", "app", "scripts", "bin", "components", "server.ts"];
const SKIP = /(^|\/)(generated|node_modules|testing)(\/|$)|\.test\.tsx?$|\.d\.ts$/;

/** Prisma models whose writes can change what a member key may do, and the write methods. */
const KEY_STATE: Record<string, RegExp> = {
  apiKey: /^(update|updateMany|delete|deleteMany|upsert)$/,
  membership: /^(update|updateMany|delete|deleteMany|upsert)$/,
  team: /^(update|updateMany|delete|deleteMany|upsert)$/,
  upstreamKey: /^(create|createMany|update|updateMany|delete|deleteMany|upsert)$/,
};
/** Raw SQL that writes those tables. */
const RAW_WRITE = /\b(UPDATE|DELETE\s+FROM|INSERT\s+INTO)\s+"(ApiKey|Membership|Team|UpstreamKey)"/i;
/** Calls that publish a key change (each one calls notifyKeyChange inside the caller's transaction). */
const PUBLISHERS = new Set(["notifyKeyChange", "revokeMemberKeys", "memberCeilingChanged"]);

export type Finding = { file: string; line: number; problem: string };

function outermostFunction(node: ts.Node): ts.Node {
  let found: ts.Node = node.getSourceFile();
  for (let current: ts.Node | undefined = node; current; current = current.parent)
    if (ts.isFunctionLike(current)) found = current;
  return found;
}

function callsPublisher(scope: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node) => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : "";
      if (PUBLISHERS.has(name)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

function exempted(node: ts.Node, text: string): boolean {
  let statement: ts.Node = node;
  while (statement.parent && !ts.isBlock(statement.parent) && !ts.isSourceFile(statement.parent))
    statement = statement.parent;
  const comments = ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? [];
  return comments.some((range) => /key-state: unaffected/.test(text.slice(range.pos, range.end)));
}

/** The places in one file where key state changes outside the publishing path. */
export function findUnpublishedKeyChanges(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const findings: Finding[] = [];
  const report = (node: ts.Node, problem: string) =>
    findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, problem });
  const visit = (node: ts.Node) => {
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === "$transaction" &&
      !file.endsWith("lib/db/transaction.ts")
    )
      report(node, "db().$transaction skips the after-commit hooks: use transaction() from lib/db/transaction.ts");
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const target = node.expression.expression;
      const model = ts.isPropertyAccessExpression(target) ? target.name.text : "";
      const pattern = KEY_STATE[model];
      if (pattern?.test(method) && !callsPublisher(outermostFunction(node)) && !exempted(node, text))
        report(node, `${model}.${method} changes key state without notifyKeyChange in the same function`);
    }
    if ((ts.isStringLiteralLike(node) || ts.isTemplateHead(node)) && RAW_WRITE.test(node.text)) {
      if (!callsPublisher(outermostFunction(node)) && !exempted(node, text))
        report(node, "raw SQL changes key state without notifyKeyChange in the same function");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

function sourceFiles(path: string): string[] {
  const full = join(ROOT, path);
  if (/\.(ts|tsx|mts|mjs)$/.test(path)) return [full];
  return readdirSync(full, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.(ts|tsx|mts|mjs)$/.test(name))
    .map((name) => join(full, name));
}

describe("the one publishing path for key changes", () => {
  it("no source file changes key state outside it", () => {
    const findings = SOURCES.flatMap(sourceFiles)
      .filter((file) => !SKIP.test(relative(ROOT, file)))
      .flatMap((file) => findUnpublishedKeyChanges(relative(ROOT, file), readFileSync(file, "utf8")));
    expect(findings).toEqual([]);
  });

  it("finds a write that does not publish, a raw $transaction and raw SQL", () => {
    const source = `
      export async function sneaky(id: string) {
        await transaction(async (tx) => tx.apiKey.update({ where: { id }, data: { scopes: {} } }));
      }
      export async function trap(userId: string) {
        await db().$transaction(async (tx) => { await notifyKeyChange(tx, {}); });
      }
      export async function demote(pool: Pool) {
        await pool.query(\`UPDATE "Membership" SET role = 'viewer'\`);
      }
      export async function fine(id: string) {
        await transaction(async (tx) => {
          await tx.membership.delete({ where: { id } });
          await notifyKeyChange(tx, { hashes: [] });
        });
      }
      export async function touch(id: string) {
        // key-state: unaffected — only the last-used time
        await db().apiKey.update({ where: { id }, data: { lastUsedAt: new Date() } });
      }`;
    expect(findUnpublishedKeyChanges("lib/example.ts", source).map((f) => [f.line, f.problem.split(" ")[0]])).toEqual([
      [3, "apiKey.update"],
      [6, "db().$transaction"],
      [9, "raw"],
    ]);
  });
});
