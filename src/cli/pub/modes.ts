// Publishing once connected: one message (-m -f -s -n, maybe --repeat'ed) or one
// per stdin line (-l). Every publish goes to a PublishTracker (publish-tracker.ts),
// which turns how they ended into the exit status.
import type { OutgoingMessage, PublishResult } from '../../client/types.js';
import { isToolError, MqttToolError } from '../../errors.js';
import type { PublishPlan } from './options.js';
import { MAX_PAYLOAD } from '../shared/payload-source.js';
import { LINK_LOSS, type PublishTracker } from './publish-tracker.js';
import { LineSplitter, LineTooLong } from './line-reader.js';
import { decodeInput } from './input-encoding.js';
import { PayloadCopies } from './payload-copies.js';
import { setV8Flags, tierForLongRun, V8_MAJOR } from '../shared/v8-tiering.js';

export interface PublishIo {
  /** A warning line for stderr (suppressed by --quiet). */
  warn(line: string): void;
  /** Waits; injected so tests need not wait in real time. */
  sleep(ms: number): Promise<void>;
}

/** The part of MqttClient that publishing needs (so tests can supply their own). */
export interface Publisher {
  publish(msg: OutgoingMessage): Promise<PublishResult>;
  writable(): Promise<void>;
  /** The error publishing `msg` would end in for its size, known before it is queued. */
  oversize?(msg: OutgoingMessage): MqttToolError | undefined;
  /** Messages published after the link is lost for good are kept (--spool), so input goes on being read. */
  readonly keepsOnLoss?: boolean;
}

/** Whether publishing must stop: a failure, unless it is a lost link and the publisher keeps what follows. */
function halted(client: Publisher, tracker: PublishTracker): boolean {
  const f = tracker.fatal;
  return f !== undefined && !(client.keepsOnLoss === true && isToolError(f) && LINK_LOSS.has(f.code));
}

/** The message -m/-f/-s/-n (or one -l line) publishes. */
export function message(plan: PublishPlan, payload: Uint8Array): OutgoingMessage {
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
  tracker.requested = plan.repeat;
  for (let i = 0; i < plan.repeat && !halted(client, tracker) && !stop.requested; i++) {
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
 * then publish that chunk's lines synchronously (at QoS 1/2 a 4 KiB slice at a
 * time); so at most one chunk (64 KiB) of lines, or one slice, is ever queued in
 * the client, whatever the input size, and the hot loop
 * costs no promise per line beyond the publish itself.
 */
export async function publishLines(
  client: Publisher,
  plan: PublishPlan,
  input: AsyncIterable<Buffer | string>,
  tracker: PublishTracker,
  stop: StopRequest,
): Promise<void> {
  const split = new LineSplitter(MAX_PAYLOAD);
  // QoS 1/2 lines wait for acks: a small slice keeps that queue to ~150 lines.
  // QoS 0 lines never wait in a queue, so they take whole chunks (fewer awaits).
  const slice = plan.qos > 0 ? QUEUED_SLICE : Infinity;
  let capped = false;
  tierForLongRun();
  const base = message(plan, EMPTY);
  const copies = new PayloadCopies();
  let lineNo = 0;
  const send = (line: Buffer): void => {
    lineNo++;
    if (halted(client, tracker)) return;
    // A copy: the line is a view of a chunk that may be a reused read buffer
    // (stdin-chunks.ts); where the copies come from: payload-copies.ts.
    let payload: Uint8Array;
    if (plan.input === 'raw') payload = copies.copy(line);
    else {
      try {
        payload = decodeInput(line, plan.input, `Line ${lineNo}`);
      } catch (e) {
        tracker.fatal ??= e as Error; // what came before is still delivered; nothing after is read
        return;
      }
    }
    const msg = { ...base, payload };
    // Stop at an oversized line at once, whatever else its input chunk held.
    const tooBig = client.oversize?.(msg);
    if (tooBig) {
      const before = lineNo - 1;
      tracker.fatal ??= new MqttToolError(
        tooBig.code,
        `Line ${lineNo}: ${tooBig.message}; ${before} line${before === 1 ? '' : 's'} before it ${before === 1 ? 'was' : 'were'} published, none after it.`,
        { ...(tooBig.reasonCode !== undefined ? { reasonCode: tooBig.reasonCode } : {}), count: before },
      );
      return;
    }
    void tracker.track(client.publish(msg), plan.qos > 0);
  };
  const chunks = input[Symbol.asyncIterator]();
  // A stop request must not wait for more input (stdin may stay open for ever).
  const stopped = stop.promise.then((): typeof STOPPED => STOPPED);
  for (;;) {
    const next = await Promise.race([chunks.next(), stopped]);
    if (next === STOPPED || next.done || halted(client, tracker)) break;
    capped ||= capYoungGeneration();
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
    try {
      // In slices: what waits in the client's queue (and lives long enough to be
      // promoted into V8's old space) is one slice of lines, not a whole chunk.
      for (let at = 0; at < chunk.length && !halted(client, tracker); at += slice) {
        await client.writable();
        split.push(at === 0 && chunk.length <= slice ? chunk : chunk.subarray(at, at + slice), send);
      }
    } catch (e) {
      if (!(e instanceof LineTooLong)) throw e;
      // What came before is still delivered; nothing after is read.
      tracker.fatal ??= new MqttToolError('IO_ERROR', `Line ${e.lineNo} is longer than the largest MQTT payload (${MAX_PAYLOAD} bytes).`);
      break;
    }
  }
  if (!stop.requested && !tracker.fatal) split.end(send);
  void chunks.return?.();
  await tracker.drained();
}

/** Young-generation size (both semi-spaces) at which -l stops V8 growing it. */
const YOUNG_CAP = 4 << 20;

/**
 * V8 doubles its young generation each time the bytes that survived scavenges
 * since the last growth pass its size, so a long -l run always grows it to
 * 32 MB (16 MB on Node 20's V8 at QoS 0), which is most of -l's peak RSS. Past
 * 4 MB it buys little speed, so growth stops there: 200k lines, Node 20, peak
 * RSS 72-87 -> 62-74 MB; Node 24 at QoS 1 173 -> 92 MB. The flag is read each
 * time V8 would grow the space, so setting it now works; only on the V8 majors
 * it is known in (an unknown flag is an error line on stderr). True once done.
 */
function capYoungGeneration(): boolean {
  // node:v8 is fetched here, not imported: loading it costs a one-message publish ~0.3 ms.
  const young = process.getBuiltinModule('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  if (young < YOUNG_CAP) return false;
  if (V8_MAJOR >= 11 && V8_MAJOR <= 14) setV8Flags('--semi-space-growth-factor=1');
  return true;
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
/** Bytes of -l input published between two writable() waits at QoS 1/2 (measured: peak RSS 105 -> 87 MB for 200k lines). */
const QUEUED_SLICE = 4096;
