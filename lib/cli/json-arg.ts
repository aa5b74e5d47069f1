// Options that take a JSON document inline or the path of a file holding one (--scopes, --policy).
import { existsSync, readFileSync } from "node:fs";
import { AppError } from "@/lib/api/errors";

export function readJsonArg(flag: string, value: string): unknown {
  const text = existsSync(value) ? readFileSync(value, "utf8") : value;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("unprocessable", `${flag} must be JSON or the path of a JSON file.`);
  }
}
