// The promise API the tools use. It opens transports, runs the CONNECT
// handshake, routes packets to the Session, reconnects with backoff, and turns
// every ending into one typed error on `closed`. Protocol decisions live in
// session.ts; the CONNECT/CONNACK exchange in handshake.ts; bytes and timers in
// connection.ts.
import { encodePacket, encodePublishHead } from '../codec/index.js';
import type { Packet, Properties, Subscription } from '../codec/types.js';
import { MqttToolError } from '../errors.js';
import type { ClientEvents, ClientOptions, ConnackInfo, MessageHandler, OutgoingMessage, PublishResult, SubscribeResult } from './types.js';
import { Session } from './session.js';
import type { Connection, ConnectionOptions } from './connection.js';
import { handshake, type LinkHost } from './handshake.js';
import { formatPacket } from './debug-format.js';
import { openTransport } from './transports/index.js';
import { asToolError, clientClosed, connectionLost, isRetryable, protocolReason, serverDisconnect, tooLarge, unconfirmed } from './client-errors.js';
import { Canceller } from './cancel.js';
import { withoutClientOwnedProperties } from './session-limits.js';

type State = 'connecting' | 'up' | 'reconnecting' | 'closing' | 'closed';

const RESOLVED = Promise.resolve();

export class MqttClient {
  /** Connect once (no retry for the first attempt); rejects with MqttToolError. */
  static async connect(opts: ClientOptions, events: ClientEvents = {}): Promise<MqttClient> {
    const c = new MqttClient(opts, events);
    try {
      await c.openLink(opts.cleanStart);
    } catch (e) {
      const err = asToolError(e);
      c.finalize(err);
      throw err;
    }
    return c;
  }

  readonly closed: Promise<Error | undefined>;
  private readonly session: Session;
  private state: State = 'connecting';
  private conn: Connection | undefined;
  private closeError: Error | undefined;
  private resolveClosed!: (e: Error | undefined) => void;
  private waiters: { resolve(): void; reject(e: Error): void }[] = [];
  /** Aborts a connect attempt or a backoff wait when the client is closed. */
  private attempt = new Canceller();
  /** Local message number for QoS 0 debug lines. */
  private qos0Mid = 0;
  /** The -d line writer for packets (undefined without -d, so formatting costs nothing). */
  private readonly debugPacket: ConnectionOptions['debug'];
  /** Routes each connection's events, during and after the handshake. */
  private readonly linkHost: LinkHost;

  private constructor(
    private readonly opts: ClientOptions,
    private readonly events: ClientEvents,
  ) {
    this.closed = new Promise((r) => (this.resolveClosed = r));
    const version = opts.protocolVersion;
    this.debugPacket = opts.debug ? this.packetDebugger(opts.debug) : undefined;
    this.session = new Session(
      {
        version,
        clientId: opts.clientId,
        cleanStart: opts.cleanStart,
        keepalive: opts.keepalive,
        ...(opts.username !== undefined ? { username: opts.username } : {}),
        ...(opts.password !== undefined ? { password: opts.password } : {}),
        ...(opts.will ? { will: opts.will } : {}),
        ...(opts.properties ? { properties: opts.properties } : {}),
        maxInflight: Math.max(1, opts.maxInflight ?? 20),
        // Into the link's write batch: write() below then only counts the bytes (see Connection.out).
        encode: (p) => encodePacket(p, version, this.conn?.out),
        encodeHead: (p) => encodePublishHead(p, version, this.conn?.out),
      },
      {
        write: (bytes, p, tail) => this.conn && this.write(this.conn, bytes, p, tail),
        flushed: () => this.conn?.flushed() ?? Promise.reject(clientClosed()),
        fail: (e) => this.linkFailed(this.conn, e instanceof Error ? e : new Error(String(e)), 0),
        warn: (line) => opts.warn?.(line),
        pauseInput: (paused) => this.conn?.pauseInput(paused),
      },
    );
    this.linkHost = this.makeLinkHost();
  }

  /** The latest CONNACK, defaults filled in. */
  get connack(): ConnackInfo {
    return this.session.connack;
  }

  /** The broker-assigned id when it gave one, else ours. */
  get clientId(): string {
    return this.session.clientId;
  }

  /** QoS 2 messages counted as delivered whose PUBCOMP was lost with the session (see PublishResult.completionUnconfirmed). */
  get completionUnconfirmed(): number {
    return this.session.completionUnconfirmed;
  }

  /** Publishes queued or in flight. */
  get pendingPublishes(): number {
    return this.session.pendingPublishes;
  }

  onMessage(handler: MessageHandler): void {
    this.session.setHandler(handler);
  }

  publish(msg: OutgoingMessage): Promise<PublishResult> {
    if (this.state === 'closed' || this.state === 'closing') return rejected(clientClosed(this.closeError));
    return this.session.publish(msg);
  }

  /** The refusal publish() would give for a message over the broker's Maximum Packet Size, known at once. */
  oversize(msg: OutgoingMessage): MqttToolError | undefined {
    const max = this.session.connack.maximumPacketSize;
    if (max === undefined || msg.payload.length + 4 + 3 * msg.topic.length < max - 4096) return undefined;
    const properties = withoutClientOwnedProperties(msg.properties);
    const packet = { type: 'publish' as const, topic: msg.topic, payload: msg.payload, qos: msg.qos, retain: msg.retain, dup: false, packetId: 1, ...(properties ? { properties } : {}) };
    let size: number;
    try {
      size = encodePublishHead(packet, this.opts.protocolVersion).length + msg.payload.length;
    } catch {
      return undefined; // publish() reports it
    }
    return size > max ? tooLarge('PUBLISH', size, max) : undefined;
  }

  /** Resolves when a publish would go out at once: window open, nothing queued, socket not backed up. */
  writable(): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing') return rejected(clientClosed(this.closeError));
    if (this.isWritable()) return RESOLVED;
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Needs a live link (rejects CONNECTION_LOST while reconnecting); granted subscriptions are renewed after a reconnect without session. */
  subscribe(subs: Subscription[], properties?: Properties): Promise<SubscribeResult> {
    const refusal = this.notUp();
    return refusal ? rejected(refusal) : this.session.subscribe(subs, properties);
  }

  unsubscribe(filters: string[], properties?: Properties): Promise<number[]> {
    const refusal = this.notUp();
    return refusal ? rejected(refusal) : this.session.unsubscribe(filters, properties);
  }

  /** Send DISCONNECT (after everything already written) and close. Unfinished publishes are rejected as unconfirmed. */
  async disconnect(opts: { reasonCode?: number; properties?: Properties } = {}): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing') return;
    this.state = 'closing';
    this.attempt.abort(clientClosed());
    const conn = this.conn;
    if (conn && !conn.done) {
      // MQTT 3.x has no reason code: a plain DISCONNECT is still owed (else the broker sends the Will).
      const reason = this.opts.protocolVersion === 5 ? (opts.reasonCode ?? 0) : 0;
      const d = this.session.disconnectPacket(reason, opts.properties);
      this.write(conn, d.bytes, d.packet);
      await conn.end();
    }
    // The socket closes on its own (or after end()'s grace period); finalize must not cut it short.
    if (this.conn === conn) this.conn = undefined;
    this.finalize(undefined);
  }

  /** Close at once; `closed` resolves with `err`. */
  destroy(err?: Error): void {
    this.finalize(err);
  }

  private notUp(): MqttToolError | undefined {
    if (this.state === 'up') return undefined;
    return this.state === 'reconnecting' ? connectionLost('reconnecting to the broker') : clientClosed(this.closeError);
  }

  // ---- connecting -------------------------------------------------------

  private async openLink(cleanStart: boolean): Promise<void> {
    const o = this.opts;
    const ac = new Canceller();
    this.attempt = ac;
    const limitMs = Math.min(o.connectTimeoutMs ?? 30_000, o.keepalive > 0 ? o.keepalive * 1500 : Infinity);
    const timer = setTimeout(() => ac.abort(new MqttToolError('CONNECT_TIMEOUT', `no CONNACK within ${limitMs / 1000} s`)), limitMs);
    try {
      // Paced reads need a socket whose pause() stops reading: the transport says whether it gave one.
      const transport = o.paceReads && o.transport.kind === 'tcp' ? { ...o.transport, pausableReads: true } : o.transport;
      const { stream, pausable, direct } = await openTransport(transport, o.proxy, ac.signal, o.warn);
      const extra = { ...(pausable ? { paceReads: true } : {}), ...(direct ? { direct: true } : {}) };
      await handshake(stream, { ...this.connectionOptions(), ...extra }, this.linkHost, cleanStart, ac.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  /** How connections reach this client: the handshake routes their events here once CONNACK is in. */
  private makeLinkHost(): LinkHost {
    return {
      session: this.session,
      send: (conn, p) => this.write(conn, encodePacket(p, this.opts.protocolVersion, conn.out), p),
      sayDisconnect: (conn, reason) => this.sayDisconnect(conn, reason),
      wanted: () => this.state !== 'closing' && this.state !== 'closed',
      up: (conn, info) => this.linkUp(conn, info),
      packet: (conn, p) => this.onPacket(conn, p),
      failed: (conn, err, disconnect) => this.linkFailed(conn, err, disconnect),
      lost: (conn, err) => this.linkLost(conn, err),
      writable: () => this.checkWritable(),
    };
  }

  /** CONNACK accepted on `conn`: it becomes the link, and the session resumes on it. */
  private linkUp(conn: Connection, info: ConnackInfo): void {
    this.conn = conn;
    this.state = 'up';
    conn.startKeepalive(info.keepalive);
    this.session.connected();
  }

  private connectionOptions(): ConnectionOptions {
    const o = this.opts;
    const max = o.protocolVersion === 5 ? o.properties?.maximumPacketSize : undefined;
    return {
      version: o.protocolVersion,
      expectConnack: true,
      ...(max !== undefined ? { maximumPacketSize: max } : {}),
      ...(this.debugPacket ? { debug: this.debugPacket } : {}),
    };
  }

  private packetDebugger(debug: (line: string) => void): NonNullable<ConnectionOptions['debug']> {
    return (dir, p) => {
      const id = (p.type === 'connack' && p.properties?.assignedClientIdentifier) || this.session.clientId;
      // libmosquitto numbers QoS 0 publishes too (m1, m2, ...); mirror that in the debug line only.
      const shown = dir === 'sending' && p.type === 'publish' && p.qos === 0 ? { ...p, packetId: ++this.qos0Mid } : p;
      for (const line of formatPacket(dir, shown, id)) debug(line);
    };
  }

  /** Bytes of `packet` onto `conn`; the packet itself only feeds the -d line. */
  private write(conn: Connection, bytes: Buffer, packet: Packet, tail?: Buffer): void {
    if (!conn.accepting) return;
    this.debugPacket?.('sending', packet);
    conn.write(bytes, tail);
  }

  private reconnectCleanStart(): boolean {
    // v5 session expiry decides what survives, so resume whenever possible; a
    // v3 clean session stays clean (a persistent v3 session would never expire).
    return this.opts.protocolVersion === 5 ? false : this.opts.cleanStart;
  }

  private async reconnect(cause: Error): Promise<void> {
    const r = this.opts.reconnect!;
    let delay = r.initialDelayMs;
    let last = cause;
    for (let attempt = 1; this.state === 'reconnecting'; attempt++) {
      if (attempt > r.maxAttempts) return this.finalize(last);
      this.notify(() => this.events.reconnecting?.(attempt, last, delay));
      if (!(await this.sleep(delay))) return;
      try {
        await this.openLink(this.reconnectCleanStart());
        this.notify(() => this.events.reconnected?.(this.session.connack));
        return;
      } catch (e) {
        last = asToolError(e);
        if (this.state !== 'reconnecting') return;
        if (!isRetryable(last)) return this.finalize(last);
        delay = Math.min(delay * 2, r.maxDelayMs);
      }
    }
  }

  private sleep(ms: number): Promise<boolean> {
    const signal = this.attempt.signal;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const onAbort = (): void => {
        clearTimeout(t);
        resolve(false);
      };
      const t = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  // ---- running ------------------------------------------------------------

  private onPacket(conn: Connection, p: Packet): void {
    if (p.type === 'disconnect') return this.linkFailed(conn, serverDisconnect(p));
    try {
      this.session.handle(p);
    } catch (e) {
      const err = asToolError(e);
      this.linkFailed(conn, err, protocolReason(err));
    }
  }

  /** We end the link because of `err`, telling the broker why (v5) when `disconnect` is given. */
  private linkFailed(conn: Connection | undefined, err: Error, disconnect?: number): void {
    if (!conn || conn !== this.conn || conn.done) return;
    this.sayDisconnect(conn, disconnect);
    void conn.end(500);
    this.linkLost(conn, err);
  }

  private sayDisconnect(conn: Connection, reason: number | undefined): void {
    if (reason === undefined || conn.done) return;
    if (this.opts.protocolVersion !== 5 && reason !== 0) return; // v3 has no reason to give
    const d = this.session.disconnectPacket(reason);
    this.write(conn, d.bytes, d.packet);
    conn.flush();
  }

  private linkLost(conn: Connection, err: Error): void {
    if (conn !== this.conn) return;
    this.conn = undefined;
    this.session.disconnected(err);
    if (this.state !== 'up') return;
    if (this.opts.reconnect && isRetryable(err)) {
      this.state = 'reconnecting';
      this.attempt = new Canceller();
      this.reconnect(err).catch((e: unknown) => this.finalize(asToolError(e)));
    } else this.finalize(err);
  }

  /** Event callbacks are the tool's code: a throw there must not become an uncaught exception here. */
  private notify(call: () => void): void {
    try {
      call();
    } catch (e) {
      this.opts.warn?.(`event handler failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private isWritable(): boolean {
    return this.state === 'up' && this.session.hasRoom && this.conn !== undefined && !this.conn.backedUp;
  }

  private checkWritable(): void {
    if (this.waiters.length === 0 || !this.isWritable()) return;
    const ready = this.waiters;
    this.waiters = [];
    for (const w of ready) w.resolve();
  }

  /** The one way the client ends: reject what is pending, settle `closed`. */
  private finalize(err: Error | undefined): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeError = err;
    this.attempt.abort(clientClosed(err));
    const conn = this.conn;
    this.conn = undefined;
    conn?.destroy();
    this.session.close(err ?? clientClosed(), (count) => unconfirmed(count, err));
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(clientClosed(err));
    this.resolveClosed(err);
    this.notify(() => this.events.closed?.(err));
  }
}

function rejected<T>(e: Error): Promise<T> {
  const p = Promise.reject(e);
  p.catch(() => {});
  return p;
}
