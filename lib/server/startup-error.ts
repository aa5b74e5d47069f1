// A start-up failure an operator can act on: what went wrong and what to do, printed as one plain line on
// stderr (server.ts, the CLI) besides the JSON log line. Messages name paths and settings, never secrets.
export class StartupError extends Error {
  constructor(
    readonly reason: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(hint ? `${reason} Hint: ${hint}` : reason, options);
    this.name = "StartupError";
  }
}

/** "EACCES: permission denied, mkdir '/x'" → "permission denied (EACCES)"; other errors: their message. */
export function describeFsError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (!code) return error.message;
  const text = error.message.replace(/^[A-Z]+: /, "").replace(/, \w+ '.*'$/, "");
  return `${text} (${code}${syscall ? ` on ${syscall}` : ""})`;
}

/** One line for the terminal: the reason and hint of a StartupError, or an error's first line. */
export function startupFailureLine(error: unknown): string {
  if (error instanceof StartupError) return `Keyward could not start: ${error.message}`;
  const first = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  return `Keyward could not start: ${first} (the JSON log line above has the details)`;
}
