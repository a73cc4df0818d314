// Keepalive as a pure state machine: the caller passes a monotonic "now" (ms),
// so unit tests drive time directly and a suspended laptop's clock jump just
// looks like a long gap ([MQTT-3.1.2-22]: only what we SEND postpones a ping).
export type KeepaliveAction = 'ping' | 'timeout' | undefined;

export class Keepalive {
  private lastSentAt: number;
  private pingSentAt: number | undefined;

  /**
   * @param intervalMs effective keepalive (server keep alive wins); 0 = off
   * @param responseTimeoutMs how long a PINGRESP may take; default half the
   *   interval, so a dead link is reported within 1.5 times keepalive of our last send.
   */
  constructor(
    private readonly intervalMs: number,
    now: number,
    private readonly responseTimeoutMs = intervalMs / 2,
  ) {
    this.lastSentAt = now;
  }

  get enabled(): boolean {
    return this.intervalMs > 0;
  }

  get awaitingPingresp(): boolean {
    return this.pingSentAt !== undefined;
  }

  packetSent(now: number): void {
    this.lastSentAt = now;
  }

  pingrespReceived(): void {
    this.pingSentAt = undefined;
  }

  /** What to do now. 'ping' also records that the PINGREQ is on its way. */
  poll(now: number): KeepaliveAction {
    if (!this.enabled) return undefined;
    if (this.pingSentAt !== undefined) {
      return now - this.pingSentAt >= this.responseTimeoutMs ? 'timeout' : undefined;
    }
    if (now - this.lastSentAt < this.intervalMs) return undefined;
    this.pingSentAt = now;
    this.lastSentAt = now;
    return 'ping';
  }

  /** ms until poll() can next return an action (undefined when off). */
  nextDueIn(now: number): number | undefined {
    if (!this.enabled) return undefined;
    const due = this.pingSentAt !== undefined ? this.pingSentAt + this.responseTimeoutMs : this.lastSentAt + this.intervalMs;
    return Math.max(0, due - now);
  }
}
