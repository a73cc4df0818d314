// One connection attempt's CONNECT/CONNACK exchange, and the routing of the
// connection's events: to this exchange until the CONNACK is accepted, to the
// client's running link afterwards. The session judges the CONNACK; the
// client decides what an accepted link means (LinkHost.up).
import type { Duplex } from 'node:stream';
import type { Packet } from '../codec/types.js';
import type { MqttToolError } from '../errors.js';
import type { ConnackInfo } from './types.js';
import type { Session } from './session.js';
import { Connection, type ConnectionEvents, type ConnectionOptions } from './connection.js';
import { asToolError, clientClosed, protocolReason, protocolViolation } from './client-errors.js';
import type { CancelSignal } from './cancel.js';

export interface LinkHost {
  readonly session: Session;
  /** Encode `p` and write it on `conn` (with its debug line). */
  send(conn: Connection, p: Packet): void;
  /** Tell the broker why we give up (v5), when there is a reason to give. */
  sayDisconnect(conn: Connection, reason: number | undefined): void;
  /** False once the client is closing: a CONNACK arriving then is not wanted. */
  wanted(): boolean;
  /** CONNACK accepted: make `conn` the client's link. */
  up(conn: Connection, info: ConnackInfo): void;
  // After CONNACK, the connection's events:
  packet(conn: Connection, p: Packet): void;
  failed(conn: Connection, err: MqttToolError, disconnect: number | undefined): void;
  lost(conn: Connection, err: MqttToolError): void;
  /** Input was handled or the socket drained: writers may be waiting. */
  writable(): void;
}

/** Send CONNECT on `stream` and wait for CONNACK; resolves once the link is up under the client. */
export function handshake(stream: Duplex, options: ConnectionOptions, host: LinkHost, cleanStart: boolean, signal: CancelSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const link = new LinkEvents(host, cleanStart, resolve, reject);
    link.start(new Connection(stream, options, link), signal);
  });
}

class LinkEvents implements ConnectionEvents {
  private waiting = true;
  private conn!: Connection;

  constructor(
    private readonly host: LinkHost,
    private readonly cleanStart: boolean,
    private readonly resolve: () => void,
    private readonly reject: (e: Error) => void,
  ) {}

  start(conn: Connection, signal: CancelSignal): void {
    this.conn = conn;
    if (signal.aborted) return this.giveUp(asToolError(signal.reason));
    signal.addEventListener('abort', () => this.giveUp(asToolError(signal.reason)), { once: true });
    this.host.send(conn, this.host.session.connectPacket(this.cleanStart));
    conn.flush();
  }

  packet(p: Packet): void {
    if (this.waiting) this.onConnack(p);
    else this.host.packet(this.conn, p);
  }

  chunkDone(): void {
    this.host.writable();
  }

  error(err: MqttToolError): void {
    if (this.waiting) this.giveUp(err, protocolReason(err));
    else this.host.failed(this.conn, err, protocolReason(err));
  }

  close(err: MqttToolError): void {
    if (this.waiting) this.giveUp(err);
    else this.host.lost(this.conn, err);
  }

  drain(): void {
    this.host.writable();
  }

  private onConnack(p: Packet): void {
    if (p.type !== 'connack') return this.giveUp(protocolViolation(`expected CONNACK, got ${p.type.toUpperCase()}`), 0x82);
    const out = this.host.session.onConnack(p, this.cleanStart);
    if ('error' in out) return this.giveUp(out.error, out.disconnect);
    if (!this.host.wanted()) return this.giveUp(clientClosed());
    this.waiting = false;
    this.host.up(this.conn, out.info);
    this.resolve();
    this.host.writable();
  }

  private giveUp(err: Error, disconnect?: number): void {
    if (!this.waiting) return;
    this.waiting = false;
    this.host.sayDisconnect(this.conn, disconnect);
    this.conn.destroy();
    this.reject(err);
  }
}
