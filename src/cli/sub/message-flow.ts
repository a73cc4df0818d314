// What mqtt-sub does with each received message, in mosquitto_sub 2.0.x's order
// (reference §7.1): stop checks, --retained-only, -R, -T, --remove-retained,
// print (with --random-filter), then -C. Independent of the client: the
// returned promise is what the client waits for before acknowledging, so a
// QoS 1/2 message is acknowledged only once its output has been written, and
// nothing after the last counted message is acknowledged at all.
import type { ReceivedMessage } from '../../client/types.js';
import { topicMatches } from '../../codec/validate.js';

export interface FlowOptions {
  filterOut: string[];
  count?: number;
  noRetained: boolean;
  retainedOnly: boolean;
  removeRetained: boolean;
  /** Chance out of 10000 that a message is printed. */
  randomFilter: number;
}

export interface FlowIo {
  print(msg: ReceivedMessage): void;
  /** End of one message's output: a promise when output is backed up. */
  endMessage(): Promise<void> | undefined;
  /** Resolves once everything printed so far is written. */
  written(): Promise<void>;
  /** Publishes an empty retained QoS 1 message to clear `topic`. */
  clearRetained(topic: string): Promise<void>;
  /** The run should end now (count reached, or --retained-only saw a live message). */
  stop(): void;
  random?: () => number;
}

/** Never settles: the client then never acknowledges the message. */
const NEVER = new Promise<void>(() => {});

export class MessageFlow {
  private stopping = false;
  private seen = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly o: FlowOptions,
    private readonly io: FlowIo,
  ) {}

  get stopped(): boolean {
    return this.stopping;
  }

  /** Print nothing more and acknowledge nothing more (the run is ending). */
  halt(): void {
    this.stopping = true;
  }

  /** Resolves when every --remove-retained publish has finished. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  handle(msg: ReceivedMessage): Promise<void> | undefined {
    if (this.stopping) return NEVER;
    if (this.o.retainedOnly && !msg.retain) {
      this.finish();
      return NEVER;
    }
    if (this.o.noRetained && msg.retain) return undefined;
    if (this.o.filterOut.some((f) => topicMatches(f, msg.topic))) return undefined;
    if (this.o.removeRetained && msg.retain) this.track(this.io.clearRetained(msg.topic));
    if (this.o.randomFilter >= 10000 || Math.floor((this.io.random ?? Math.random)() * 10000) < this.o.randomFilter) {
      this.io.print(msg);
    }
    const backedUp = this.io.endMessage();
    if (this.o.count !== undefined && ++this.seen >= this.o.count) this.finish();
    if (msg.qos > 0) return this.io.written();
    return backedUp;
  }

  private track(p: Promise<void>): void {
    const done = p.finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  private finish(): void {
    this.stopping = true;
    this.io.stop();
  }
}
