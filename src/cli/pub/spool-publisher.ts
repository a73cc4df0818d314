// A Publisher that journals every message in the spool before the client sends
// it, and marks it done once settled. Once the link is lost for good it keeps
// journalling (keepsOnLoss): what is read is kept for the next run, not dropped. Publishes made in one synchronous run
// (a chunk of -l lines) share one fsync: they are journalled together in a
// microtask, then handed to the client in their original order.
import type { OutgoingMessage, PublishResult } from '../../client/types.js';
import { isToolError } from '../../errors.js';
import type { Publisher } from './modes.js';
import type { Spool, SpooledMessage } from './spool.js';

interface Queued {
  msg: OutgoingMessage;
  resolve(r: Promise<PublishResult>): void;
  reject(e: unknown): void;
}

export class SpoolingPublisher implements Publisher {
  readonly keepsOnLoss = true;
  private queued: Queued[] = [];

  /** `reserved`: ids of messages journalled before connecting (Spool.reserve), taken by publish() in order. */
  constructor(
    private readonly client: Publisher,
    private readonly spool: Spool,
    private readonly reserved: number[] = [],
  ) {}

  oversize(msg: OutgoingMessage): ReturnType<NonNullable<Publisher['oversize']>> {
    return this.client.oversize?.(msg);
  }

  /** A closed client is no reason to stop: the spool still takes messages. */
  writable(): Promise<void> {
    return this.client.writable().catch(() => undefined);
  }

  publish(msg: OutgoingMessage): Promise<PublishResult> {
    const id = this.reserved.shift() ?? this.spool.add(msg);
    const sent = new Promise<PublishResult>((resolve, reject) => {
      if (this.queued.push({ msg, resolve, reject }) === 1) queueMicrotask(() => this.flush());
    });
    return this.settle(id, sent);
  }

  /** Sends a message left by an earlier run (already in the journal). */
  resend(m: SpooledMessage): Promise<PublishResult> {
    return this.settle(m.id, this.client.publish(m.msg));
  }

  private settle(id: number, p: Promise<PublishResult>): Promise<PublishResult> {
    return p.then(
      (r) => {
        // A QoS 2 message whose session was lost between PUBREC and PUBCOMP stays in the
        // journal: Mosquitto hands a QoS 2 message on only at PUBREL, so it was never
        // delivered. (A broker that hands it on at PUBLISH may get it twice: at least once.)
        if (!r.completionUnconfirmed) this.spool.done(id);
        return r;
      },
      (e: unknown) => {
        // Refused by the broker: sending it again would only be refused again.
        if (isToolError(e) && e.code === 'PUBLISH_REJECTED') this.spool.done(id);
        throw e;
      },
    );
  }

  private flush(): void {
    const batch = this.queued;
    this.queued = [];
    try {
      this.spool.sync();
    } catch (e) {
      for (const q of batch) q.reject(e);
      return;
    }
    for (const q of batch) q.resolve(this.client.publish(q.msg));
  }
}
