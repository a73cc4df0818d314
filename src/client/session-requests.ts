// SUBSCRIBE / UNSUBSCRIBE flows: pending requests by packet id, SUBACK and
// UNSUBACK matching ([MQTT-3.8.4-6]: one code per filter), and the granted
// subscriptions kept for re-subscribing when the broker lost our session.
// Pure: packets go out through RequestHost.
import type { Packet, Properties, ProtocolVersion, Subscription, SubackPacket, UnsubackPacket } from '../codec/types.js';
import type { MqttToolError } from '../errors.js';
import type { SubscribeResult } from './types.js';
import type { PacketIds } from './packet-ids.js';
import { connectionLost, protocolViolation } from './client-errors.js';

export type Request =
  | { kind: 'subscribe'; subs: Subscription[]; properties?: Properties; again?: boolean; resolve(r: SubscribeResult): void; reject(e: Error): void }
  | { kind: 'unsubscribe'; filters: string[]; properties?: Properties; resolve(codes: number[]): void; reject(e: Error): void };

export interface RequestHost {
  linkUp(): boolean;
  /** Encode, check the size limit and write; an error means nothing was sent. */
  write(p: Packet): MqttToolError | undefined;
  warn(line: string): void;
}

export class RequestFlows {
  private readonly pending = new Map<number, Request>();
  /** Granted subscriptions, grouped as requested. */
  private granted: { subs: Subscription[]; properties?: Properties }[] = [];

  constructor(
    private readonly ids: PacketIds,
    private readonly version: ProtocolVersion,
    private readonly host: RequestHost,
  ) {}

  send(r: Request): void {
    if (!this.host.linkUp()) return r.reject(connectionLost('not connected (reconnecting)'));
    const id = this.ids.alloc();
    const props = r.properties && this.version === 5 ? { properties: r.properties } : {};
    const packet: Packet =
      r.kind === 'subscribe'
        ? { type: 'subscribe', packetId: id, subscriptions: r.subs, ...props }
        : { type: 'unsubscribe', packetId: id, topicFilters: r.filters, ...props };
    this.pending.set(id, r);
    const err = this.host.write(packet);
    if (err) {
      this.pending.delete(id);
      this.ids.free(id);
      r.reject(err);
    }
  }

  /** SUBACK / UNSUBACK; throws on a reason-code count that does not match the request. */
  onAck(p: SubackPacket | UnsubackPacket): void {
    const r = this.pending.get(p.packetId);
    const want = r?.kind === 'subscribe' ? 'suback' : 'unsuback';
    if (!r || want !== p.type) {
      this.host.warn(`ignoring unexpected ${p.type.toUpperCase()} for packet id ${p.packetId}`);
      return;
    }
    const count = r.kind === 'subscribe' ? r.subs.length : r.filters.length;
    const codes = p.reasonCodes;
    if ((p.type === 'suback' || this.version === 5) && codes.length !== count) {
      throw protocolViolation(`${p.type.toUpperCase()} has ${codes.length} reason codes for ${count} topic filters`);
    }
    this.pending.delete(p.packetId);
    this.ids.free(p.packetId);
    if (r.kind === 'unsubscribe') {
      this.forget(r.filters);
      // v3 UNSUBACK carries no codes: success for every filter.
      return r.resolve(codes.length ? codes : r.filters.map(() => 0));
    }
    if (!r.again) this.remember(r.subs.filter((_, i) => codes[i]! < 0x80), r.properties);
    r.resolve({ reasonCodes: codes, ...(p.properties ? { properties: p.properties } : {}) });
  }

  /** The broker lost our session: ask again for everything it had granted. */
  resubscribe(): void {
    for (const g of this.granted) {
      this.send({
        kind: 'subscribe',
        subs: g.subs,
        ...(g.properties ? { properties: g.properties } : {}),
        again: true,
        resolve: (r) => {
          const failed = g.subs.filter((_, i) => r.reasonCodes[i]! >= 0x80).map((s) => s.topicFilter);
          if (failed.length) this.host.warn(`re-subscribing after reconnect was refused for: ${failed.join(', ')}`);
        },
        reject: (e) => this.host.warn(`re-subscribing after reconnect failed: ${e.message}`),
      });
    }
  }

  failAll(err: Error): void {
    const open = [...this.pending.entries()];
    this.pending.clear();
    for (const [id, r] of open) {
      this.ids.free(id);
      r.reject(err);
    }
  }

  private remember(subs: Subscription[], properties: Properties | undefined): void {
    if (subs.length === 0) return;
    this.forget(subs.map((s) => s.topicFilter));
    this.granted.push({ subs, ...(properties ? { properties } : {}) });
  }

  private forget(filters: string[]): void {
    const gone = new Set(filters);
    this.granted = this.granted
      .map((g) => ({ ...g, subs: g.subs.filter((s) => !gone.has(s.topicFilter)) }))
      .filter((g) => g.subs.length > 0);
  }
}
