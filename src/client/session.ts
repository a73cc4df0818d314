// The protocol brain of the client: builds CONNECT, applies CONNACK limits,
// refuses requests the broker said it cannot take, routes acknowledgements and
// keeps what must survive a reconnect (in-flight publishes, QoS 2 receive state,
// subscriptions). Pure: bytes go out through SessionHost.write, and the encoder
// is injected, so tests run it without sockets or timers.
import type {
  ConnackPacket,
  ConnectPacket,
  DisconnectPacket,
  Packet,
  Properties,
  ProtocolVersion,
  PublishPacket,
  Subscription,
  Will,
} from '../codec/types.js';
import { CodecError, type MqttToolError } from '../errors.js';
import type { ConnackInfo, MessageHandler, OutgoingMessage, PublishResult, ReceivedMessage, SubscribeResult } from './types.js';
import { PacketIds } from './packet-ids.js';
import { OutgoingFlows, type Outbound } from './session-outgoing.js';
import { IncomingFlows } from './session-incoming.js';
import { InboundTopicAliases, OutboundTopicAliases } from './topic-aliases.js';
import { RequestFlows } from './session-requests.js';
import { asToolError, connectionRefused, notSupported, protocolViolation, tooLarge } from './client-errors.js';
import { checkSubscribe, connackInfo, defaultConnack, withoutClientOwnedProperties } from './session-limits.js';

/** What goes into CONNECT (v5 properties included), plus the session's own settings. */
export interface SessionOptions extends Omit<ConnectPacket, 'type' | 'protocolVersion'> {
  version: ProtocolVersion;
  maxInflight: number;
  /** The bytes may be room the host lends (a view that the next encode overwrites): write them, or drop them, before encoding again. */
  encode(p: Packet): Buffer;
  /** A PUBLISH without its payload (codec encodePublishHead): large payloads then go out uncopied. */
  encodeHead?(p: PublishPacket): Buffer;
}

export interface SessionHost {
  /** `tail`: bytes that belong to the same packet, written right after `bytes` (a large payload). */
  write(bytes: Buffer, packet: Packet, tail?: Buffer): void;
  /** Settles once everything written so far is handed to the socket (how QoS 0 publishes resolve). */
  flushed(): Promise<void>;
  /** Asynchronous failure (a message handler threw): end the link with it. */
  fail(err: unknown): void;
  warn(line: string): void;
  pauseInput(paused: boolean): void;
}

export type ConnackOutcome = { info: ConnackInfo } | { error: MqttToolError; disconnect?: number };

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
const QOS0_RESULT: PublishResult = Object.freeze({ reasonCode: 0 });
/** From this size a PUBLISH payload is written as it is, after the packet's head, not copied into it. */
const UNCOPIED_PAYLOAD = 64 * 1024;

export class Session {
  connack: ConnackInfo;
  clientId: string;
  handler: MessageHandler | undefined;
  private linkUp = false;
  private readonly ids = new PacketIds();
  private readonly out: OutgoingFlows;
  private readonly inc: IncomingFlows;
  private readonly outAliases = new OutboundTopicAliases();
  private readonly inAliases: InboundTopicAliases;
  private readonly requests: RequestFlows;
  private readonly version: ProtocolVersion;
  private lastFlush: Promise<void> | undefined;
  private lastFlushResult: Promise<PublishResult> | undefined;

  constructor(
    private readonly opts: SessionOptions,
    private readonly host: SessionHost,
  ) {
    this.version = opts.version;
    this.clientId = opts.clientId;
    this.connack = defaultConnack(opts.keepalive);
    const p = opts.properties ?? {};
    this.inAliases = new InboundTopicAliases(this.version === 5 ? (p.topicAliasMaximum ?? 0) : 0);
    this.out = new OutgoingFlows(this.ids, (line) => host.warn(line));
    this.requests = new RequestFlows(this.ids, this.version, {
      linkUp: () => this.linkUp,
      write: (packet) => this.writeChecked(packet),
      warn: (line) => host.warn(line),
    });
    const session = this;
    this.inc = new IncomingFlows(
      {
        get deliver() {
          return session.handler;
        },
        sendAck: (p) => this.send(p),
        fail: (e) => host.fail(e),
        pauseInput: (paused) => host.pauseInput(paused),
      },
      this.version,
      this.version === 5 ? (p.receiveMaximum ?? 65535) : 65535,
    );
  }

  /** Messages not yet fully acknowledged (queued or in flight). */
  get pendingPublishes(): number {
    return this.out.pending;
  }

  get completionUnconfirmed(): number {
    return this.out.completionUnconfirmed;
  }

  /** Room for another publish: nothing queued and the in-flight window open. */
  get hasRoom(): boolean {
    return this.out.hasRoom;
  }

  setHandler(h: MessageHandler): void {
    this.handler = h;
    this.inc.resume();
  }

  connectPacket(cleanStart: boolean): ConnectPacket {
    const o = this.opts;
    return {
      type: 'connect',
      protocolVersion: this.version,
      clientId: this.clientId,
      cleanStart,
      keepalive: o.keepalive,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.will ? { will: this.version === 5 ? o.will : withoutProperties(o.will) } : {}),
      ...(this.version === 5 && o.properties ? { properties: o.properties } : {}),
    };
  }

  /** Judge a CONNACK; on success the new limits apply and connected() should follow. */
  onConnack(p: ConnackPacket, cleanStartSent: boolean): ConnackOutcome {
    if (p.reasonCode !== 0) return { error: connectionRefused(p, this.version) };
    // [MQTT-3.2.2-4]: we have no session, the broker claims one: send nothing, close.
    if (p.sessionPresent && cleanStartSent) return { error: protocolViolation('CONNACK has Session Present = 1 after a clean start') };
    if (this.version === 5 && p.properties?.receiveMaximum === 0) {
      return { error: protocolViolation('CONNACK Receive Maximum is 0'), disconnect: 0x82 };
    }
    const info = connackInfo(p, this.opts.keepalive);
    this.connack = info;
    if (info.assignedClientId) this.clientId = info.assignedClientId;
    return { info };
  }

  /** The link is up under the latest CONNACK: reset per-connection state, resend and resubscribe. */
  connected(): void {
    const info = this.connack;
    this.linkUp = true;
    this.outAliases.reset(this.version === 5 ? info.topicAliasMaximum : 0);
    this.inAliases.reset();
    this.inc.connected(info.sessionPresent);
    if (!info.sessionPresent) this.requests.resubscribe();
    this.writeOutbound(this.out.connected(info.sessionPresent, Math.min(info.receiveMaximum, this.opts.maxInflight)));
  }

  /** The link is gone; publishes wait for a reconnect, open requests fail with `err`. */
  disconnected(err: Error): void {
    this.linkUp = false;
    this.out.disconnected();
    this.requests.failAll(err);
  }

  /** Final close: reject everything pending. Returns how many publishes were unconfirmed. */
  close(err: Error, unconfirmedError: (count: number) => Error): number {
    this.disconnected(err);
    this.inc.stop();
    return this.out.failAll(unconfirmedError);
  }

  /** A packet from the broker after CONNACK. Throws (CodecError / MqttToolError) on a protocol violation. */
  handle(p: Packet): void {
    switch (p.type) {
      case 'publish':
        return this.onPublish(p);
      case 'puback':
      case 'pubrec':
      case 'pubcomp':
        this.checkProblemInfo(p);
        return this.writeOutbound(this.out.onAck(p));
      case 'pubrel':
        this.checkProblemInfo(p);
        return this.inc.onPubrel(p);
      case 'suback':
      case 'unsuback':
        this.checkProblemInfo(p);
        return this.requests.onAck(p);
      case 'pingresp':
        return;
      default:
        throw protocolViolation(`unexpected ${p.type.toUpperCase()} from the broker`);
    }
  }

  publish(msg: OutgoingMessage): Promise<PublishResult> {
    const refusal = this.checkPublish(msg);
    if (refusal) return handled(Promise.reject(refusal));
    if (msg.qos === 0 && this.out.canSendDirect) {
      // Fast path: no per-message promise; every QoS 0 publish of a write batch shares one.
      const err = this.writePublish(msg, 0, false);
      return err ? handled(Promise.reject(err)) : this.batchResult();
    }
    return handled(
      new Promise<PublishResult>((resolve, reject) => {
        this.writeOutbound(this.out.enqueue({ msg, packetId: 0, stage: 'queued', resolve, reject }));
      }),
    );
  }

  subscribe(subs: Subscription[], properties?: Properties): Promise<SubscribeResult> {
    const refusal = checkSubscribe(this.connack, subs, properties, this.version);
    if (refusal) return handled(Promise.reject(refusal));
    return handled(
      new Promise<SubscribeResult>((resolve, reject) =>
        this.requests.send({ kind: 'subscribe', subs, ...(properties ? { properties } : {}), resolve, reject }),
      ),
    );
  }

  unsubscribe(filters: string[], properties?: Properties): Promise<number[]> {
    return handled(
      new Promise<number[]>((resolve, reject) =>
        this.requests.send({ kind: 'unsubscribe', filters, ...(properties ? { properties } : {}), resolve, reject }),
      ),
    );
  }

  /** DISCONNECT bytes within the broker's maximum packet size (optional properties dropped first). */
  disconnectPacket(reasonCode = 0, properties?: Properties): { bytes: Buffer; packet: DisconnectPacket } {
    // [MQTT-3.14.2-2]: a session expiry cannot be set on DISCONNECT when CONNECT asked for none.
    if (properties?.sessionExpiryInterval && !this.opts.properties?.sessionExpiryInterval) {
      this.host.warn('ignoring the session expiry interval on DISCONNECT: CONNECT did not set one');
      const { sessionExpiryInterval: _s, ...rest } = properties;
      properties = rest;
    }
    const full: DisconnectPacket = { type: 'disconnect', reasonCode, ...(properties && this.version === 5 ? { properties } : {}) };
    let bytes = this.opts.encode(full);
    if (!this.tooBig(bytes) || !full.properties) return { bytes, packet: full };
    const { reasonString: _r, userProperties: _u, ...rest } = full.properties;
    const slim: DisconnectPacket = { type: 'disconnect', reasonCode, ...(Object.keys(rest).length ? { properties: rest } : {}) };
    bytes = this.opts.encode(slim);
    return { bytes, packet: slim };
  }

  /** One promise per write batch, shared by all its QoS 0 publishes. */
  private batchResult(): Promise<PublishResult> {
    const f = this.host.flushed();
    if (f !== this.lastFlush) {
      this.lastFlush = f;
      this.lastFlushResult = handled(f.then(() => QOS0_RESULT));
    }
    return this.lastFlushResult!;
  }

  /** Encode and write unless it breaks the broker's maximum packet size. */
  private writeChecked(packet: Packet): MqttToolError | undefined {
    let bytes: Buffer;
    try {
      bytes = this.opts.encode(packet);
    } catch (e) {
      return asToolError(e);
    }
    if (this.tooBig(bytes)) return tooLarge(packet.type.toUpperCase(), bytes.length, this.connack.maximumPacketSize!);
    this.host.write(bytes, packet);
    return undefined;
  }

  private send(p: Packet): void {
    this.host.write(this.opts.encode(p), p);
  }

  private tooBig(bytes: Buffer | number): boolean {
    const max = this.connack.maximumPacketSize;
    return max !== undefined && (typeof bytes === 'number' ? bytes : bytes.length) > max;
  }

  /** A PUBLISH with a large payload: its head, then the payload itself. */
  private writeLargePublish(packet: PublishPacket, head: (p: PublishPacket) => Buffer): MqttToolError | undefined {
    const bytes = head(packet);
    const size = bytes.length + packet.payload.length;
    if (this.tooBig(size)) return tooLarge('PUBLISH', size, this.connack.maximumPacketSize!);
    const p = packet.payload;
    this.host.write(bytes, packet, Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.length));
    return undefined;
  }

  private checkPublish(msg: OutgoingMessage): MqttToolError | undefined {
    const c = this.connack;
    if (msg.qos > c.maximumQoS) return notSupported(`the broker supports QoS up to ${c.maximumQoS} only (asked for QoS ${msg.qos})`, 0x9b);
    if (msg.retain && !c.retainAvailable) return notSupported('the broker does not support retained messages', 0x9a);
    return undefined;
  }

  /** Write what the outgoing flows handed back; a refused PUBLISH frees its slot, so ask again. */
  private writeOutbound(ready: readonly Outbound[]): void {
    while (ready.length > 0) {
      let refused = false;
      for (const o of ready) {
        if (o.type === 'pubrel') {
          this.send({ type: 'pubrel', packetId: o.packetId, reasonCode: this.version === 5 ? o.reasonCode : 0 });
          continue;
        }
        const err = this.writePublish(o.entry.msg, o.entry.packetId, o.dup);
        if (err) {
          this.out.refused(o.entry, err);
          refused = true;
        } else this.out.written(o.entry);
      }
      ready = refused ? this.out.pump() : [];
    }
  }

  /** Encode and write one PUBLISH (topic alias when allowed); an error means nothing was sent. */
  private writePublish(msg: OutgoingMessage, packetId: number, dup: boolean): MqttToolError | undefined {
    const refusal = this.checkPublish(msg);
    if (refusal) return refusal;
    const properties = this.version === 5 ? withoutClientOwnedProperties(msg.properties) : undefined;
    const plain: PublishPacket = {
      type: 'publish',
      topic: msg.topic,
      payload: msg.payload,
      qos: msg.qos,
      retain: msg.retain,
      dup,
      ...(msg.qos > 0 ? { packetId } : {}),
      ...(properties ? { properties } : {}),
    };
    // Resends never use aliases: the mapping they relied on died with the old connection.
    const alias = dup ? undefined : this.outAliases.forTopic(msg.topic);
    let packet = plain;
    if (alias?.alias !== undefined) packet = { ...plain, topic: alias.topic, properties: { ...properties, topicAlias: alias.alias } };
    try {
      // A topic alias saves nothing worth the bookkeeping next to a payload this size.
      if (msg.payload.length >= UNCOPIED_PAYLOAD && this.opts.encodeHead) {
        if (alias?.fresh) this.outAliases.release(msg.topic);
        return this.writeLargePublish(plain, this.opts.encodeHead);
      }
      let bytes = this.opts.encode(packet);
      if (this.tooBig(bytes) && packet !== plain) {
        if (alias?.fresh) this.outAliases.release(msg.topic);
        packet = plain;
        bytes = this.opts.encode(plain);
      }
      if (this.tooBig(bytes)) return tooLarge('PUBLISH', bytes.length, this.connack.maximumPacketSize!);
      this.host.write(bytes, packet);
      return undefined;
    } catch (e) {
      if (alias?.fresh) this.outAliases.release(msg.topic);
      return asToolError(e);
    }
  }

  private onPublish(p: PublishPacket): void {
    let topic = p.topic;
    // The alias stays in the properties: -F %A and %j print the one the message arrived with, as mosquitto_sub does.
    const properties = p.properties ?? {};
    if (this.version === 5) topic = this.inAliases.resolve(p.topic, properties.topicAlias);
    else if (topic === '') throw protocolViolation('PUBLISH with an empty topic');
    // Like libmosquitto, refuse control characters in topics (a terminal-escape vector the spec lets us reject).
    if (CONTROL_CHARS.test(topic)) throw new CodecError('MALFORMED_PACKET', 'malformed packet: PUBLISH topic contains a control character');
    const msg: ReceivedMessage = {
      topic,
      payload: p.payload,
      qos: p.qos,
      retain: p.retain,
      dup: p.dup,
      ...(p.packetId !== undefined ? { packetId: p.packetId } : {}),
      properties,
    };
    this.inc.onPublish(p, msg);
  }

  /** [MQTT-3.1.2-29]: with Request Problem Information = 0 only PUBLISH/CONNACK/DISCONNECT may explain themselves. */
  private checkProblemInfo(p: { type: string; properties?: Properties }): void {
    if (this.opts.properties?.requestProblemInformation !== 0 || this.version !== 5) return;
    if (p.properties?.reasonString !== undefined || p.properties?.userProperties !== undefined) {
      throw new CodecError('PROTOCOL_ERROR', `protocol error: ${p.type.toUpperCase()} carries a reason string or user property although we asked for no problem information`);
    }
  }

}

/** v3 wills have no properties. */
function withoutProperties(w: Will): Will {
  const { properties: _p, ...bare } = w;
  return bare;
}

/** Mark a promise as handled so a caller ignoring it never triggers unhandledRejection; callers still see the rejection. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}
