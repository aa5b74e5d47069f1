import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVER } from "./app-process";

describe("SERVER", () => {
  it("runs the edge with the same flags as `npm start`", () => {
    const start = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } }).scripts.start;
    expect(start.split(" && ").at(-1)).toBe(["node", ...SERVER.slice(1)].join(" "));
  });
});
