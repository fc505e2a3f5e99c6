// When the server's connection closes: restart it, or give up and tell the user once.
// No `vscode` import: unit-tested under plain Node.

export type CloseDecision =
  | { action: 'restart' }
  | { action: 'give-up'; why: 'crashed-at-start' | 'crashed-repeatedly'; crashes: number };

export class RestartPolicy {
  private crashes: number[] = [];

  /**
   * @param maxRestarts restarts allowed within `windowMs` after the server had been running
   * @param windowMs the sliding window
   */
  constructor(
    private readonly maxRestarts = 3,
    private readonly windowMs = 3 * 60_000,
  ) {}

  /**
   * @param now milliseconds (Date.now())
   * @param reachedRunning whether the server had finished initializing since its last start; a
   *   server that dies before that would die again, so it is never restarted automatically
   */
  onClosed(now: number, reachedRunning: boolean): CloseDecision {
    this.crashes = this.crashes.filter((time) => now - time < this.windowMs);
    this.crashes.push(now);
    if (!reachedRunning) return { action: 'give-up', why: 'crashed-at-start', crashes: this.crashes.length };
    if (this.crashes.length > this.maxRestarts) {
      return { action: 'give-up', why: 'crashed-repeatedly', crashes: this.crashes.length };
    }
    return { action: 'restart' };
  }

  /** After the user restarts the server by hand. */
  reset(): void {
    this.crashes = [];
  }
}

/** Shows each distinct problem to the user once, until reset (e.g. by a manual restart). */
export class Once {
  private readonly shown = new Set<string>();

  /** True the first time `key` is seen. */
  first(key: string): boolean {
    if (this.shown.has(key)) return false;
    this.shown.add(key);
    return true;
  }

  /** Lets `key` through again (e.g. the server recovered, so a new failure is news). */
  forget(key: string): void {
    this.shown.delete(key);
  }

  reset(): void {
    this.shown.clear();
  }
}
