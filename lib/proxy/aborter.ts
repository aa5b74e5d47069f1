// "The client went away", as cheaply as possible: the hot path makes one of these per request, where an
// AbortController (and its AbortSignal and event target) measurably cost throughput.
export class Aborter {
  aborted = false;
  private listeners: (() => void)[] | null = null;

  on(listener: () => void): void {
    if (this.aborted) return listener();
    (this.listeners ??= []).push(listener);
  }

  off(listener: () => void): void {
    if (this.listeners) this.listeners = this.listeners.filter((l) => l !== listener);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = null;
    for (const listener of listeners ?? []) listener();
  }

  // The two EventEmitter methods undici calls on a request's `signal` (after checking `aborted` and that
  // `on` is a function), so the Aborter itself can be the signal: no AbortController per request.
  once(_event: "abort", listener: () => void): this {
    this.on(listener);
    return this;
  }

  removeListener(_event: "abort", listener: () => void): this {
    this.off(listener);
    return this;
  }
}
