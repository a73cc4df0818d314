// Publishing once connected: one message (-m -f -s -n, maybe --repeat'ed) or one
// per stdin line (-l). Every publish is tracked until the client settles it, so
// the exit status can say whether everything was delivered: a PUBACK/PUBREC
// failure is "rejected" (40), a message left without its ack when the link
// went is "unconfirmed" (41). mosquitto_pub exits 0 in both cases.
import { MqttToolError, isToolError } from '../../errors.js';
import type { OutgoingMessage, PublishResult } from '../../client/types.js';
import { reasonText } from '../shared/describe-error.js';
import type { PublishPlan } from './options.js';
import { LineSplitter } from './line-reader.js';
import { decodeInput } from './input-encoding.js';

/** The part of MqttClient that publishing needs (so tests can supply their own). */
export interface Publisher {
  publish(msg: OutgoingMessage): Promise<PublishResult>;
  writable(): Promise<void>;
}

export interface PublishIo {
  /** A warning line for stderr (suppressed by --quiet). */
  warn(line: string): void;
  /** Waits; injected so tests need not wait in real time. */
  sleep(ms: number): Promise<void>;
}

/** Counts outstanding publishes and how they ended. */
export class PublishTracker {
  issued = 0;
  confirmed = 0;
  rejected = 0;
  unconfirmed = 0;
  /** Of the unconfirmed: QoS 2 messages the broker accepted whose completion was lost. */
  incomplete = 0;
  /** The first error that was neither a rejection nor a lost confirmation. */
  fatal: Error | undefined;
  /** Why unconfirmed messages stayed so, for the count line on stderr. */
  unconfirmedWhy = 'connection lost';
  private outstanding = 0;
  private idle: (() => void) | undefined;

  constructor(private readonly io: PublishIo) {}

  /**
   * Starts tracking a publish; resolves once that message has settled. `numbered`
   * keeps the message's number for a rejection warning (QoS 1/2; a QoS 0 publish
   * is never rejected by the broker, so -l at QoS 0 skips a closure per line).
   */
  track(p: Promise<PublishResult>, numbered = true): Promise<void> {
    const n = ++this.issued;
    this.outstanding++;
    return p.then(this.onOk, numbered ? (err: unknown) => this.onFail(err, n) : this.onFailUnnumbered);
  }

  private readonly onOk = (r: PublishResult): void => {
    // QoS 2 accepted (PUBREC) but its session, and so the PUBCOMP, lost in a reconnect:
    // the broker has it, but completion was never confirmed (test plan F3). Say so.
    if (r.completionUnconfirmed) {
      this.unconfirmed++;
      this.incomplete++;
    } else this.confirmed++;
    this.settle();
  };

  private readonly onFail = (err: unknown, n: number): void => {
    this.fail(n, err);
    this.settle();
  };

  private readonly onFailUnnumbered = (err: unknown): void => this.onFail(err, 0);

  /** Publishes not yet settled. */
  get pending(): number {
    return this.outstanding;
  }

  /** Resolves when nothing is outstanding. */
  drained(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idle = resolve;
    });
  }

  /** Throws the error the exit status should come from, if anything went wrong. */
  verdict(): void {
    const total = this.issued;
    if (this.unconfirmed > 0) {
      throw new MqttToolError(
        'PUBLISH_UNCONFIRMED',
        `${this.unconfirmed} of ${total} message${total === 1 ? '' : 's'} not confirmed by the broker (${this.unconfirmedWhy}).` +
          (this.incomplete > 0 ? ` ${this.incomplete} of them reached PUBREC but their session was lost before PUBCOMP.` : ''),
        { count: this.unconfirmed },
      );
    }
    if (this.fatal) throw this.fatal;
    if (this.rejected > 0) {
      throw new MqttToolError(
        'PUBLISH_REJECTED',
        `${this.rejected} of ${total} message${total === 1 ? '' : 's'} rejected by the broker.`,
        { count: this.rejected },
      );
    }
  }

  private fail(n: number, err: unknown): void {
    const code = isToolError(err) ? err.code : undefined;
    if (code === 'PUBLISH_REJECTED' && isToolError(err)) {
      this.rejected++;
      const why = reasonText(err.reasonCode ?? 0x80);
      this.io.warn(`Warning: Publish ${n} failed: ${why}.${err.reasonString ? `\n${err.reasonString}` : ''}`);
    } else if (code === 'PUBLISH_UNCONFIRMED' || code === 'CONNECTION_LOST' || code === 'CLIENT_CLOSED' ||
      code === 'SERVER_DISCONNECT' || code === 'KEEPALIVE_TIMEOUT') {
      this.unconfirmed++;
      this.fatal ??= err as Error;
    } else {
      this.fatal ??= err instanceof Error ? err : new Error(String(err));
    }
  }

  private settle(): void {
    if (--this.outstanding === 0 && this.idle) {
      const idle = this.idle;
      this.idle = undefined;
      idle();
    }
  }
}

function message(plan: PublishPlan, payload: Uint8Array): OutgoingMessage {
  const m: OutgoingMessage = { topic: plan.topic, payload, qos: plan.qos, retain: plan.retain };
  if (plan.properties) m.properties = plan.properties;
  return m;
}

/** -m/-f/-s/-n: the one payload, --repeat times. */
export async function publishRepeated(
  client: Publisher,
  plan: PublishPlan,
  payload: Uint8Array,
  tracker: PublishTracker,
  io: PublishIo,
  stop: StopRequest = new StopRequest(),
): Promise<void> {
  for (let i = 0; i < plan.repeat && !tracker.fatal && !stop.requested; i++) {
    if (plan.repeatDelayMs > 0) {
      // mosquitto: the delay runs from one message's confirmation to the next publish.
      if (i > 0) await io.sleep(plan.repeatDelayMs);
      await tracker.track(client.publish(message(plan, payload)));
    } else {
      await client.writable();
      void tracker.track(client.publish(message(plan, payload)));
    }
  }
  await tracker.drained();
}

/**
 * -l: one message per line, in order. Before taking each stdin chunk we wait until
 * the client can send at once (writable(): in-flight room, socket not backed up),
 * then publish that chunk's lines synchronously; so at most one chunk (64 KiB) of
 * lines is ever queued in the client, whatever the input size, and the hot loop
 * costs no promise per line beyond the publish itself.
 */
export async function publishLines(
  client: Publisher,
  plan: PublishPlan,
  input: AsyncIterable<Buffer | string>,
  tracker: PublishTracker,
  stop: StopRequest,
): Promise<void> {
  const split = new LineSplitter();
  const base = message(plan, EMPTY);
  let lineNo = 0;
  const send = (line: Buffer): void => {
    lineNo++;
    if (tracker.fatal) return;
    let payload = line;
    if (plan.input !== 'raw') {
      try {
        payload = decodeInput(line, plan.input, `Line ${lineNo}`);
      } catch (e) {
        tracker.fatal ??= e as Error; // what came before is still delivered; nothing after is read
        return;
      }
    }
    void tracker.track(client.publish({ ...base, payload }), plan.qos > 0);
  };
  const chunks = input[Symbol.asyncIterator]();
  // A stop request must not wait for more input (stdin may stay open for ever).
  const stopped = stop.promise.then((): typeof STOPPED => STOPPED);
  for (;;) {
    const next = await Promise.race([chunks.next(), stopped]);
    if (next === STOPPED || next.done || tracker.fatal) break;
    await client.writable();
    split.push(typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value, send);
  }
  if (!stop.requested) split.end(send);
  void chunks.return?.();
  await tracker.drained();
}

const STOPPED: unique symbol = Symbol('stopped');

/** Set by a signal handler: read no more input. */
export class StopRequest {
  requested = false;
  readonly promise: Promise<void>;
  private resolve!: () => void;

  constructor() {
    this.promise = new Promise((r) => (this.resolve = r));
  }

  request(): void {
    this.requested = true;
    this.resolve();
  }
}

const EMPTY = Buffer.alloc(0);
