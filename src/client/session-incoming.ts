// Incoming PUBLISH flows. Messages reach the application one at a time, in
// arrival order; PUBACK/PUBREC/PUBCOMP go out only after the handler for that
// message (and every earlier one) has settled, so a tool acknowledges only what
// it has handled ([MQTT-4.6.0-2..4] ordering). A QoS 2 message repeated before
// PUBREL is delivered once ([MQTT-4.3.3-10]). Pure: no sockets, no timers.
import { CodecError } from '../errors.js';
import type { AckPacket, ProtocolVersion, PublishPacket, PubrelPacket } from '../codec/types.js';
import type { ReceivedMessage } from './types.js';

export interface IncomingHost {
  /** Undefined while no handler is installed: messages wait (input pauses when too many do). */
  deliver: ((msg: ReceivedMessage) => void | Promise<void>) | undefined;
  sendAck(p: AckPacket): void;
  /** The handler threw or the broker broke the protocol: end the link with this error. */
  fail(err: unknown): void;
  pauseInput(paused: boolean): void;
}

interface Work {
  msg?: ReceivedMessage;
  ack?: AckPacket;
  /** Connection generation: acks owed to a previous connection are dropped. */
  gen: number;
}

/** Queue lengths, and payload bytes queued, at which reading from the socket pauses / resumes. */
const PAUSE_AT = 1000;
const RESUME_AT = 100;
const PAUSE_BYTES = 4 * 1024 * 1024;
const RESUME_BYTES = 1024 * 1024;

export class IncomingFlows {
  /** QoS 2 ids received and not yet released (PUBREC pending or sent). Survives a resumed session. */
  private readonly qos2 = new Set<number>();
  /** QoS>0 ids of this connection not fully acknowledged yet (counted against our Receive Maximum). */
  private readonly unacked = new Set<number>();
  private queue: Work[] = [];
  private head = 0;
  /** Payload bytes of the queued messages not yet delivered (large messages must not pile up either). */
  private queuedBytes = 0;
  private busy = false;
  private paused = false;
  private gen = 0;
  private stopped = false;

  constructor(
    private readonly host: IncomingHost,
    private readonly version: ProtocolVersion,
    /** Our CONNECT Receive Maximum (v5 only; 65535 when not set). */
    private readonly receiveMaximum: number,
  ) {}

  get backlog(): number {
    return this.queue.length - this.head;
  }

  onPublish(p: PublishPacket, msg: ReceivedMessage): void {
    const id = p.packetId ?? 0;
    if (p.qos === 2 && this.qos2.has(id)) {
      // Repeated before PUBREL: acknowledge again (in order), deliver nothing.
      this.push({ ack: this.ack('pubrec', id), gen: this.gen });
      return;
    }
    if (p.qos > 0) {
      this.unacked.add(id);
      if (this.version === 5 && this.unacked.size > this.receiveMaximum) {
        throw new CodecError('RECEIVE_MAXIMUM_EXCEEDED', `broker sent more than ${this.receiveMaximum} unacknowledged QoS>0 messages`);
      }
      if (p.qos === 2) this.qos2.add(id);
    }
    const ack = p.qos === 1 ? this.ack('puback', id) : p.qos === 2 ? this.ack('pubrec', id) : undefined;
    this.push(ack ? { msg, ack, gen: this.gen } : { msg, gen: this.gen });
  }

  onPubrel(p: PubrelPacket): void {
    const known = this.qos2.delete(p.packetId);
    // Unknown id (e.g. state lost with the session): still complete the flow; v5 says why.
    this.push({ ack: this.ack('pubcomp', p.packetId, known || this.version < 5 ? 0 : 0x92), gen: this.gen });
  }

  /** A new connection: acks owed to the old one are void; without a session, QoS 2 state goes too. */
  connected(sessionPresent: boolean): void {
    this.gen++;
    this.unacked.clear();
    if (!sessionPresent) this.qos2.clear();
    this.drain();
  }

  /** A handler is now installed (or the client is resuming delivery). */
  resume(): void {
    this.drain();
  }

  /** Final close: nothing more is delivered or acknowledged. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
  }

  private ack(type: 'puback' | 'pubrec' | 'pubcomp', packetId: number, reasonCode = 0): AckPacket {
    return { type, packetId, reasonCode };
  }

  private push(w: Work): void {
    this.queue.push(w);
    if (w.msg) this.queuedBytes += w.msg.payload.length;
    if (!this.paused && (this.backlog >= PAUSE_AT || this.queuedBytes >= PAUSE_BYTES)) {
      this.paused = true;
      this.host.pauseInput(true);
    }
    this.drain();
  }

  private drain(): void {
    while (!this.busy && !this.stopped && this.head < this.queue.length) {
      const w = this.queue[this.head]!;
      if (w.msg) {
        const deliver = this.host.deliver;
        if (!deliver) return;
        let r: void | Promise<void>;
        try {
          r = deliver(w.msg);
        } catch (e) {
          return this.host.fail(e);
        }
        this.head++;
        this.queuedBytes -= w.msg.payload.length;
        if (r && typeof (r as Promise<void>).then === 'function') {
          this.busy = true;
          (r as Promise<void>).then(
            () => this.settled(w),
            (e: unknown) => this.host.fail(e),
          );
          return;
        }
      } else this.head++;
      this.finish(w);
    }
    this.compact();
  }

  private settled(w: Work): void {
    this.busy = false;
    if (this.stopped) return;
    this.finish(w);
    this.drain();
  }

  private finish(w: Work): void {
    const ack = w.ack;
    if (ack && w.gen === this.gen && !this.stopped) {
      this.host.sendAck(ack);
      if (ack.type !== 'pubrec') this.unacked.delete(ack.packetId);
    }
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.paused && this.backlog <= RESUME_AT && this.queuedBytes <= RESUME_BYTES) {
      this.paused = false;
      this.host.pauseInput(false);
    }
  }
}
