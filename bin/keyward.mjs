#!/usr/bin/env node
// The operator CLI (`npx keyward …`). Loads the TypeScript sources through tsx with the repo's tsconfig.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("../lib/cli/main.ts");
