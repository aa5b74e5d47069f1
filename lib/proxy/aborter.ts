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
}
