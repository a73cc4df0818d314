// A TCP proxy between a client and a real broker that understands MQTT frame
// boundaries, logs every packet both ways and can cut the link at a chosen
// packet (the packet is dropped and both sockets are destroyed). Test-only.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { decodePacket, parseFrame } from '../../src/codec/index.js';
import type { Packet, ProtocolVersion } from '../../src/codec/types.js';

export type Direction = 'up' | 'down'; // up: client → broker
export type Verdict = 'forward' | 'cut';

export interface LoggedPacket {
  conn: number;
  dir: Direction;
  packet: Packet;
}

export interface FaultProxy {
  port: number;
  log: LoggedPacket[];
  /** Decides per packet; default forwards everything. */
  rule: (dir: Direction, p: Packet, conn: number) => Verdict;
  /** Packets of one connection and direction, in order. */
  packets(conn: number, dir: Direction): Packet[];
  close(): Promise<void>;
}

/** Splits a byte stream into whole frames, keeping the raw bytes for forwarding. */
class FrameSplitter {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Buffer[] = [];
    let off = 0;
    for (;;) {
      const h = parseFrame(this.buf, off, this.buf.length);
      if ('needMore' in h) break;
      const end = off + h.headerLength + h.remainingLength;
      frames.push(this.buf.subarray(off, end));
      off = end;
    }
    this.buf = this.buf.subarray(off);
    return frames;
  }
}

export async function startFaultProxy(targetPort: number, version: ProtocolVersion): Promise<FaultProxy> {
  const log: LoggedPacket[] = [];
  const sockets = new Set<Socket>();
  let count = 0;
  const proxy: FaultProxy = {
    port: 0,
    log,
    rule: () => 'forward',
    packets: (conn, dir) => log.filter((l) => l.conn === conn && l.dir === dir).map((l) => l.packet),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  const server: Server = createServer((client) => {
    const conn = count++;
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    const pipe = (from: Socket, to: Socket, dir: Direction): void => {
      const splitter = new FrameSplitter();
      from.on('data', (chunk: Buffer) => {
        for (const frame of splitter.push(chunk)) {
          const packet = decodePacket(frame, version);
          log.push({ conn, dir, packet });
          if (proxy.rule(dir, packet, conn) === 'cut') {
            client.destroy();
            upstream.destroy();
            return;
          }
          to.write(frame);
        }
      });
    };
    pipe(client, upstream, 'up');
    pipe(upstream, client, 'down');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  proxy.port = typeof addr === 'object' && addr ? addr.port : 0;
  return proxy;
}
