// What the client needs of AbortController, and no more. Node's own pulls in
// its EventTarget and CancelSignal internals on first use, about a millisecond
// of a one-message mqtt-pub; this does the same job for our transports. A real
// CancelSignal fits CancelSignal too, so callers may pass either.

export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

class Signal implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] = [];

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  fire(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    // Listeners run once, as with { once: true }; one that throws does not stop the rest.
    for (const l of this.listeners.splice(0)) {
      try {
        l();
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }
}

export class Canceller {
  private readonly s = new Signal();

  get signal(): CancelSignal {
    return this.s;
  }

  abort(reason?: unknown): void {
    this.s.fire(reason);
  }
}
