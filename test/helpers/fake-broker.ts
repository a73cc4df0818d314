// A scripted fake broker for client tests, built on our codec: it accepts TCP
// connections on 127.0.0.1 and lets a test read the client's packets and send
// whatever it likes back, including misbehaviour a real broker never produces.
// Test-only: end-to-end behaviour is tested against mosquitto.
import { createServer, type Server, type Socket } from 'node:net';
import { encodePacket, FrameDecoder } from '../../src/codec/index.js';
import type { Packet, PacketType, ProtocolVersion } from '../../src/codec/types.js';

export class FakeConnection {
  readonly received: Packet[] = [];
  /** Resolves when the client's socket has closed. */
  readonly closed: Promise<void>;
  decodeError: Error | undefined;
  private cursor = 0;
  private wake: (() => void) | undefined;
  private isClosed = false;

  constructor(
    readonly socket: Socket,
    readonly version: ProtocolVersion,
  ) {
    const decoder = new FrameDecoder({ version });
    socket.on('data', (chunk: Buffer) => {
      try {
        this.received.push(...decoder.push(chunk));
      } catch (e) {
        this.decodeError = e as Error;
      }
      this.wake?.();
    });
    socket.on('error', () => {});
    this.closed = new Promise((r) =>
      socket.on('close', () => {
        this.isClosed = true;
        this.wake?.();
        r();
      }),
    );
  }

  /** The next packet from the client not yet returned by next() (optionally skipping PINGREQs). */
  async next(ms = 3000, skipPings = true): Promise<Packet> {
    const deadline = Date.now() + ms;
    for (;;) {
      while (this.cursor < this.received.length) {
        const p = this.received[this.cursor++]!;
        if (!(skipPings && p.type === 'pingreq')) return p;
      }
      if (this.isClosed) throw new Error('client closed the connection');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a packet from the client');
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, Math.min(left, 50));
      });
    }
  }

  /** next(), asserting its type. */
  async expect<T extends PacketType>(type: T, ms?: number): Promise<Extract<Packet, { type: T }>> {
    const p = await this.next(ms, type !== 'pingreq');
    if (p.type !== type) throw new Error(`expected ${type}, got ${p.type}: ${JSON.stringify(p)}`);
    return p as Extract<Packet, { type: T }>;
  }

  send(p: Packet): void {
    this.socket.write(encodePacket(p, this.version));
  }

  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** CONNECT then CONNACK with the given extras. */
  async accept(connack: Partial<Extract<Packet, { type: 'connack' }>> = {}): Promise<Extract<Packet, { type: 'connect' }>> {
    const c = await this.expect('connect');
    this.send({ type: 'connack', sessionPresent: false, reasonCode: 0, ...connack });
    return c;
  }

  /** Packets received since the start, by type, excluding PINGREQ. */
  types(): string[] {
    return this.received.filter((p) => p.type !== 'pingreq').map((p) => p.type);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export interface FakeBroker {
  port: number;
  connections: FakeConnection[];
  /** The next client connection (already accepted or yet to come). */
  connection(ms?: number): Promise<FakeConnection>;
  close(): Promise<void>;
}

export async function startFakeBroker(version: ProtocolVersion = 5): Promise<FakeBroker> {
  const connections: FakeConnection[] = [];
  let handed = 0;
  let wake: (() => void) | undefined;
  const server: Server = createServer((socket) => {
    connections.push(new FakeConnection(socket, version));
    wake?.();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    connections,
    async connection(ms = 3000) {
      const deadline = Date.now() + ms;
      while (handed >= connections.length) {
        if (Date.now() > deadline) throw new Error('no client connection arrived');
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
      }
      return connections[handed++]!;
    },
    async close() {
      for (const c of connections) c.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
