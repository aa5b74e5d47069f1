import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Logs go through the redacting logger (lib/logger.ts); CLI and scripts write to stdout/stderr directly.
      "no-console": "error",
    },
  },
  {
    files: ["scripts/**", "bin/**", "e2e/**", "bench/**", "**/*.test.ts", "**/testing/**"],
    rules: { "no-console": "off" },
  },
  {
    // Playwright fixtures receive a callback named `use`; it is not React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  // Last: turns off the stylistic rules that would fight Prettier, which owns the layout (`npm run format`).
  prettier,
  {
    ignores: [
      ".next/**",
      "dist/**",
      ".scratch/**",
      "node_modules/**",
      "lib/generated/**",
      ".data/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
    ],
  },
];

export default config;
