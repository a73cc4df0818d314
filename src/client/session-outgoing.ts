// Outgoing PUBLISH flows: a FIFO queue, an in-flight window of
// min(server Receive Maximum, maxInflight), QoS 1/2 acknowledgement handling
// and what happens to unfinished messages across a reconnect. Pure: every
// method that moves a flow on returns what is now ready to go out (Outbound);
// the session encodes and writes it and reports back written() / refused().
import { MqttToolError } from '../errors.js';
import { protocolViolation } from './client-errors.js';
import type { AckPacket } from '../codec/types.js';
import type { OutgoingMessage, PublishResult } from './types.js';
import type { PacketIds } from './packet-ids.js';
import { reasonName } from '../codec/reason-codes.js';

/**
 * queued → sent (PUBLISH written, awaiting PUBACK/PUBREC) → released (PUBREL written, awaiting PUBCOMP).
 * 'resend': kept from the previous connection, waiting for room in a smaller window to go out again (DUP).
 */
export type Stage = 'queued' | 'sent' | 'resend' | 'released';

export interface PendingPublish {
  msg: OutgoingMessage;
  packetId: number; // 0 until first sent
  stage: Stage;
  /** QoS 2: the PUBREC's reason code and properties, reported when PUBCOMP arrives. */
  pubrec?: AckPacket;
  resolve(r: PublishResult): void;
  reject(e: Error): void;
}

/** A packet the flows want written, in order. */
export type Outbound =
  | { type: 'publish'; entry: PendingPublish; dup: boolean }
  | { type: 'pubrel'; packetId: number; reasonCode: number };

const NOTHING: readonly Outbound[] = Object.freeze([]);

export class OutgoingFlows {
  /** Publishes not yet written, oldest first (head index avoids O(n) shift). */
  private queue: PendingPublish[] = [];
  private head = 0;
  /** Written QoS>0 publishes by packet id; Map order is the original send order. */
  private readonly inflight = new Map<number, PendingPublish>();
  private window = 0;
  private linkUp = false;
  /** Entries in `inflight` at stage 'resend'. */
  private awaitingResend = 0;
  /** QoS 2 messages resolved as delivered although PUBCOMP never came (see PublishResult). */
  completionUnconfirmed = 0;

  constructor(
    private readonly ids: PacketIds,
    private readonly warn: (line: string) => void,
  ) {}

  get queued(): number {
    return this.queue.length - this.head;
  }

  get inFlight(): number {
    return this.inflight.size;
  }

  get pending(): number {
    return this.queued + this.inflight.size;
  }

  /** A new publish would be written at once (nothing waiting, window open). */
  get hasRoom(): boolean {
    return this.linkUp && this.queued === 0 && this.inflight.size < this.window;
  }

  /** True when a QoS 0 message may bypass the queue without overtaking anything. */
  get canSendDirect(): boolean {
    return this.linkUp && this.queued === 0;
  }

  enqueue(entry: PendingPublish): readonly Outbound[] {
    this.queue.push(entry);
    return this.pump();
  }

  /** Hand out queued messages while the window allows (QoS 0 needs no slot). */
  pump(out: Outbound[] = []): readonly Outbound[] {
    if (this.linkUp && this.awaitingResend > 0) this.resendWithinWindow(out);
    while (this.linkUp && this.head < this.queue.length) {
      const e = this.queue[this.head]!;
      if (e.msg.qos > 0 && this.inflight.size >= this.window) break;
      this.head++;
      if (e.msg.qos > 0) {
        e.packetId = this.ids.alloc();
        e.stage = 'sent';
        this.inflight.set(e.packetId, e);
      }
      out.push({ type: 'publish', entry: e, dup: false });
    }
    // Sent entries must not stay reachable from the array: at QoS 1/2 they would
    // outlive two scavenges and be promoted to V8's old space (pub -l peak RSS).
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return out.length ? out : NOTHING;
  }

  /** The PUBLISH went out: a QoS 0 message is then done. */
  written(e: PendingPublish): void {
    if (e.msg.qos === 0) e.resolve({ reasonCode: 0 });
  }

  /** The PUBLISH could not be written (too large, not allowed): it fails and frees its slot. */
  refused(e: PendingPublish, err: Error): void {
    if (e.msg.qos > 0 && this.inflight.get(e.packetId) === e) this.forget(e);
    e.reject(err);
  }

  private forget(e: PendingPublish): void {
    if (e.stage === 'resend') this.awaitingResend--;
    this.inflight.delete(e.packetId);
    this.ids.free(e.packetId);
  }

  /** PUBACK / PUBREC / PUBCOMP from the broker. Unknown ids are warned about; the wrong kind for a message in flight is a protocol error. */
  onAck(p: AckPacket): readonly Outbound[] {
    const e = this.inflight.get(p.packetId);
    const expected = !e ? undefined : e.msg.qos === 1 ? 'puback' : e.stage === 'released' ? 'pubcomp' : 'pubrec';
    if (!e || expected !== p.type) {
      // A repeated PUBREC after our PUBREL just gets the PUBREL again.
      if (e && p.type === 'pubrec' && e.stage === 'released') return [pubrel(p.packetId)];
      // The wrong kind of ack for a message in flight (PUBACK for QoS 2: RabbitMQ 3.10) would
      // leave it waiting for ever; libmosquitto treats it as a protocol error, and so do we.
      if (e) throw protocolViolation(`${p.type.toUpperCase()} for packet id ${p.packetId}, a QoS ${e.msg.qos} message that expects ${expected!.toUpperCase()}`);
      this.warn(`ignoring unexpected ${p.type.toUpperCase()} for packet id ${p.packetId}`);
      // A PUBREC for an id we do not use: complete the broker's flow ("Packet Identifier not found").
      if (p.type === 'pubrec' && !this.ids.inUse(p.packetId)) return [pubrel(p.packetId, 0x92)];
      return NOTHING;
    }
    if (e.stage === 'resend') {
      // The broker had it from the previous connection: this ack completes it without a resend.
      this.awaitingResend--;
      e.stage = 'sent';
    }
    if (p.type === 'pubrec' && p.reasonCode < 0x80) {
      e.stage = 'released';
      e.pubrec = p;
      return [pubrel(p.packetId)];
    }
    this.forget(e);
    if (p.type === 'pubcomp') {
      // PUBREC already said the broker owns the message; a failed PUBCOMP
      // (e.g. 0x92 id not found) only leaves the completion unconfirmed.
      if (p.reasonCode >= 0x80) this.completionUnconfirmed++;
      e.resolve({ ...resultOf(e.pubrec!), ...(p.reasonCode >= 0x80 ? { completionUnconfirmed: true } : {}) });
    } else if (p.reasonCode >= 0x80) e.reject(rejection(p));
    else e.resolve(resultOf(p));
    return this.pump();
  }

  disconnected(): void {
    this.linkUp = false;
  }

  /**
   * A new connection is up. With the session kept, resend unfinished PUBLISH
   * (DUP) and PUBREL in their original order; without it, resend un-acked
   * publishes as new ones and count QoS 2 past PUBREC as delivered but unconfirmed.
   */
  connected(sessionPresent: boolean, window: number): readonly Outbound[] {
    this.window = window;
    this.linkUp = true;
    const out: Outbound[] = [];
    const old = [...this.inflight.values()];
    if (sessionPresent) {
      // In original order: PUBRELs, and un-acked PUBLISHes as far as the (possibly
      // smaller) new Receive Maximum allows; the rest go out as acks free slots.
      let used = old.filter((e) => e.stage === 'released').length; // they hold quota until PUBCOMP
      for (const e of old) {
        if (e.stage === 'released') {
          out.push(pubrel(e.packetId));
        } else if (used < this.window) {
          if (e.stage === 'resend') this.awaitingResend--;
          e.stage = 'sent';
          used++;
          out.push({ type: 'publish', entry: e, dup: true });
        } else if (e.stage !== 'resend') {
          e.stage = 'resend';
          this.awaitingResend++;
        }
      }
    } else {
      const again: PendingPublish[] = [];
      for (const e of old) {
        this.forget(e);
        if (e.stage === 'released') {
          this.completionUnconfirmed++;
          e.resolve({ ...resultOf(e.pubrec!), completionUnconfirmed: true });
        } else {
          e.stage = 'queued';
          e.packetId = 0;
          again.push(e);
        }
      }
      this.queue = again.concat(this.queue.slice(this.head));
      this.head = 0;
    }
    return this.pump(out);
  }

  /** Resend kept PUBLISHes (DUP, original ids, original order) while the window has room. */
  private resendWithinWindow(out: Outbound[]): void {
    let used = 0;
    for (const e of this.inflight.values()) if (e.stage !== 'resend') used++;
    for (const e of this.inflight.values()) {
      if (this.awaitingResend === 0 || used >= this.window) break;
      if (e.stage !== 'resend') continue;
      e.stage = 'sent';
      this.awaitingResend--;
      used++;
      out.push({ type: 'publish', entry: e, dup: true });
    }
  }

  /** Reject everything still pending (final close). */
  failAll(makeError: (count: number) => Error): number {
    const all = [...this.inflight.values(), ...this.queue.slice(this.head)];
    for (const e of this.inflight.values()) this.ids.free(e.packetId);
    this.inflight.clear();
    this.awaitingResend = 0;
    this.queue = [];
    this.head = 0;
    if (all.length === 0) return 0;
    const err = makeError(all.length);
    for (const e of all) e.reject(err);
    return all.length;
  }
}

function pubrel(packetId: number, reasonCode = 0): Outbound {
  return { type: 'pubrel', packetId, reasonCode };
}

function resultOf(ack: AckPacket): PublishResult {
  return { packetId: ack.packetId, reasonCode: ack.reasonCode, ...(ack.properties ? { properties: ack.properties } : {}) };
}

function rejection(p: AckPacket): MqttToolError {
  const why = p.properties?.reasonString;
  return new MqttToolError(
    'PUBLISH_REJECTED',
    `broker rejected the message (${p.type.toUpperCase()} ${reasonName(p.reasonCode)})${why ? `: ${why}` : ''}`,
    { reasonCode: p.reasonCode, ...(why !== undefined ? { reasonString: why } : {}) },
  );
}
