// One network connection: bytes in through the frame decoder, bytes out as
// batched writes, and the keepalive timer. It takes encoded bytes only (the
// session encodes, into the room `out` lends) and knows nothing about sessions;
// the client decides what a packet or a failure means.
import type { Duplex } from 'node:stream';
import { encodePacket, FrameDecoder } from '../codec/index.js';
import type { Packet, ProtocolVersion } from '../codec/types.js';
import { MqttToolError } from '../errors.js';
import { Keepalive } from './keepalive.js';
import { WriteBuffer } from './write-buffer.js';
import { asToolError, connectionLost, connectionRefused, notMqtt } from './client-errors.js';
import { isTlsFailure, transportError } from './transports/socket-errors.js';

export interface ConnectionOptions {
  version: ProtocolVersion;
  /** Our CONNECT Maximum Packet Size: larger inbound packets fail (0x95) before their body is buffered. */
  maximumPacketSize?: number;
  /** Per-packet debug hook for what we receive and our own PINGREQs (only set when -d is on). */
  debug?: (dir: 'sending' | 'received', p: Packet) => void;
  now?: () => number;
  /**
   * Fail at once unless the very first byte from the peer is a CONNACK fixed
   * header (0x20): an HTTP or TLS server on the port otherwise looks like the
   * start of a long packet and would only fail at the connect timeout.
   */
  expectConnack?: boolean;
  /**
   * Read a busy stream in batches: after a second small chunk (under PACE_BELOW)
   * within one millisecond, stop reading until the next. The stream must be one
   * whose pause() stops reading (OpenedTransport.pausable). A QoS 0 stream of
   * ~100k messages/s then costs ~2000 reads a second instead of one per packet
   * or two; on 2 cores that CPU goes to the broker (bench/issue14: live rows).
   */
  paceReads?: boolean;
  /** The stream is a kernel socket (OpenedTransport.direct): end() need not wait for the shutdown. */
  direct?: boolean;
}

export interface ConnectionEvents {
  packet(p: Packet): void;
  /** All packets of one inbound chunk were handled (a good moment to re-check writability). */
  chunkDone(): void;
  /** Undecodable input or keepalive timeout; the owner decides how to close. */
  error(err: MqttToolError): void;
  /** The stream is gone (called once, not after destroy()). */
  close(err: MqttToolError): void;
  drain(): void;
}

const FLUSHED = Promise.resolve();

/** Write batches are flushed at this size at once, else on the next setImmediate. */
const FLUSH_AT = 64 * 1024;
/** Bytes not encoded into `out` are copied into the batch below this size, else written as they are. */
const UNCOPIED = 16 * 1024;
const PINGREQ: Packet = { type: 'pingreq' };
/**
 * paceReads holds back only chunks smaller than this: a bulk stream (a large
 * payload, a deep backlog) fills its reads, costs little per byte, and must not
 * be capped at a couple of reads a millisecond.
 */
const PACE_BELOW = 16 * 1024;

interface Waiter {
  promise: Promise<void>;
  resolve(): void;
  reject(e: Error): void;
}

export class Connection {
  private readonly decoder: FrameDecoder;
  private readonly now: () => number;
  /** The write batch; encode into it (encodePacket(p, v, conn.out)) and write() the result. */
  readonly out = new WriteBuffer(() => this.flush());
  private flushScheduled = false;
  private waiter: Waiter | undefined;
  private needDrain = false;
  private keepalive: Keepalive | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  private firstChunk = true;
  /** While we stop reading (the application is behind), a PINGRESP cannot be seen: no timeout then. */
  private inputPaused = false;
  /** Date.now() of the last chunk read, and whether reading waits for the next millisecond (paceReads). */
  private lastRead = -1;
  private pacing = false;
  /** True once the stream is closed or we gave up on it. */
  done = false;

  constructor(
    private readonly stream: Duplex,
    private readonly opts: ConnectionOptions,
    private readonly events: ConnectionEvents,
  ) {
    this.now = opts.now ?? monotonicMs;
    this.decoder = new FrameDecoder({
      version: opts.version,
      ...(opts.maximumPacketSize !== undefined ? { maximumPacketSize: opts.maximumPacketSize } : {}),
    });
    let streamError: unknown;
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('error', (e) => (streamError ??= e));
    stream.on('drain', () => {
      this.needDrain = false;
      if (!this.done) events.drain();
    });
    // Our side has nothing more to hear once the broker ends its side.
    stream.on('end', () => stream.destroy());
    stream.on('close', () => this.closed(streamError));
  }

  /** Writes are still taken (not ended or closed). */
  get accepting(): boolean {
    return !this.ended;
  }

  /** Still connected and nothing backed up in the socket. */
  get backedUp(): boolean {
    return this.needDrain;
  }

  /**
   * `bytes`: best encoded into `out` just before (then nothing is copied); other bytes are
   * copied into the batch, or written as they are when large. `tail`: the rest of the same
   * packet (a large payload), written after `bytes` without being copied.
   */
  write(bytes: Buffer, tail?: Buffer): void {
    if (this.ended) return;
    if (!this.out.commit(bytes)) {
      if (bytes.length >= UNCOPIED) return this.flush(bytes, tail);
      this.out.append(bytes);
    }
    if (tail) this.flush(undefined, tail);
    else if (this.out.batched >= FLUSH_AT) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Settles when what was written so far is handed to the socket (shared by the whole batch). */
  flushed(): Promise<void> {
    // Nothing batched: all written so far is with the socket already (a large write flushes at once).
    if (!this.waiter && this.out.batched === 0) return FLUSHED;
    if (!this.waiter) {
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => {});
      this.waiter = { promise, resolve, reject };
    }
    return this.waiter.promise;
  }

  /** Hands the batch to the stream, then `more` and `tail` as they are (large bytes, never copied). */
  flush(more?: Buffer, tail?: Buffer): void {
    this.flushScheduled = false;
    const out = this.out;
    if (this.done) out.drop();
    else if (out.batched > 0 || more || tail) {
      this.keepalive?.packetSent(this.now());
      const s = this.stream;
      const pieces = (out.batched > 0 ? 1 : 0) + (more ? 1 : 0) + (tail ? 1 : 0);
      if (pieces > 1) s.cork(); // one writev
      let ok = true;
      // Only the batch's write needs its callback: the buffer's bytes are reused after it.
      if (out.batched > 0) ok = s.write(out.take(), out.written);
      if (more) ok = s.write(more);
      if (tail) ok = s.write(tail);
      if (pieces > 1) s.uncork();
      if (!ok) this.needDrain = true;
      else if (s.writableLength === 0) out.settled();
    }
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve();
  }

  startKeepalive(seconds: number): void {
    if (seconds <= 0) return;
    this.keepalive = new Keepalive(seconds * 1000, this.now());
    this.armKeepalive();
  }

  pauseInput(paused: boolean): void {
    this.inputPaused = paused;
    if (paused) this.stream.pause();
    else if (!this.done && !this.pacing) this.stream.resume();
  }

  /** paceReads: a second chunk in one millisecond stops reading until the next millisecond. */
  private pace(): void {
    const now = Date.now();
    if (now !== this.lastRead) {
      this.lastRead = now;
      return;
    }
    this.pacing = true;
    this.stream.pause();
    setTimeout(() => {
      this.pacing = false;
      if (!this.done && !this.inputPaused) this.stream.resume();
    }, 1);
  }

  /**
   * Flush and end our side. Resolves once everything is handed to the OS
   * (like mosquitto_pub, we do not wait for the broker to work through its
   * backlog and close); the socket is destroyed if it is still open after
   * `graceMs`, without holding the process open.
   */
  end(graceMs = 2000): Promise<void> {
    if (this.done) return Promise.resolve();
    this.flush();
    this.ended = true;
    this.stopKeepalive();
    return new Promise<void>((resolve) => {
      const t = setTimeout(() => this.destroy(), graceMs);
      t.unref?.();
      this.stream.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      this.stream.end(() => resolve());
      // A plain socket that took every byte at once has them in the kernel, which
      // sends them and then our FIN even if we exit now, as mosquitto_pub does
      // once its DISCONNECT is written: waiting for the shutdown to complete is
      // another trip round the event loop (~0.45 ms of a one-message publish).
      // TLS and WebSocket streams may still hold bytes of their own: those wait.
      if (this.opts.direct && this.stream.writableLength === 0) resolve();
    });
  }

  /** Drop the connection now; no close event follows. */
  destroy(): void {
    if (!this.done) this.finish(connectionLost('connection closed'));
    this.stream.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.done) return;
    if (this.firstChunk && chunk.length > 0) {
      this.firstChunk = false;
      if (this.opts.expectConnack && chunk[0] !== 0x20) return this.events.error(notMqtt(chunk));
      // A v3.1.1-only broker refusing our v5 CONNECT (aedes): 20 02 00 01 has no room for
      // v5 properties. libmosquitto reads it as Unsupported Protocol Version; so do we.
      if (this.opts.expectConnack && this.opts.version === 5 && chunk[1] === 2 && chunk[3] === 1) {
        return this.events.error(connectionRefused({ type: 'connack', sessionPresent: false, reasonCode: 0x84 }, 5));
      }
    }
    let packets: Packet[];
    try {
      packets = this.decoder.push(chunk);
    } catch (e) {
      // Good packets that preceded the bad frame are handled before the error ends the link.
      this.dispatch((e as { packets?: Packet[] }).packets ?? []);
      if (!this.done) this.events.error(asToolError(e));
      return;
    }
    this.dispatch(packets);
    if (this.done) return;
    this.events.chunkDone();
    if (this.opts.paceReads && !this.pacing && chunk.length < PACE_BELOW) this.pace();
  }

  private dispatch(packets: Packet[]): void {
    for (const p of packets) {
      if (this.done || this.ended) break;
      if (p.type === 'pingresp') this.keepalive?.pingrespReceived();
      this.opts.debug?.('received', p);
      this.events.packet(p);
    }
  }

  private closed(streamError: unknown): void {
    if (this.done) return;
    const err = streamError ? asLinkError(streamError) : connectionLost('connection closed by the broker');
    this.finish(err);
    this.events.close(err);
  }

  private finish(err: Error): void {
    this.done = true;
    this.ended = true;
    this.stopKeepalive();
    this.out.drop();
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(err);
  }

  private armKeepalive(): void {
    const ka = this.keepalive;
    const due = ka?.nextDueIn(this.now());
    if (!ka || due === undefined || this.done) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onKeepaliveTimer(), Math.ceil(due) + 1);
    this.timer.unref?.();
  }

  private onKeepaliveTimer(): void {
    const action = this.keepalive?.poll(this.now());
    if (action === 'timeout' && this.inputPaused) {
      this.timer = setTimeout(() => this.onKeepaliveTimer(), 1000);
      this.timer.unref?.();
      return;
    }
    if (action === 'timeout') {
      this.stopKeepalive();
      this.events.error(new MqttToolError('KEEPALIVE_TIMEOUT', 'no PINGRESP from the broker in time: the link looks dead'));
      return;
    }
    if (action === 'ping') {
      this.opts.debug?.('sending', PINGREQ);
      this.write(encodePacket(PINGREQ, this.opts.version, this.out));
      this.flush();
    }
    this.armKeepalive();
  }

  private stopKeepalive(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.keepalive = undefined;
  }
}

function asLinkError(e: unknown): MqttToolError {
  if (e instanceof MqttToolError) return e;
  // TLS 1.3 reports a refused client certificate after the handshake, as a stream error.
  if (isTlsFailure(e)) return transportError(e, 'tls');
  const msg = e instanceof Error ? e.message : String(e);
  return connectionLost(msg, e);
}

/** A monotonic clock in ms; process.hrtime avoids loading perf_hooks at start-up. */
function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
