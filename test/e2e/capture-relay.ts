// A TCP relay between a tool and the real broker that decodes what the tool
// sends (so tests can see topic aliases, DUP flags...) and can cut the link
// after N PUBLISH packets (to test "unconfirmed" exits). It never answers for
// the broker: every byte goes through unchanged.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { FrameDecoder } from '../../src/codec/index.js';
import type { Packet, ProtocolVersion } from '../../src/codec/types.js';

export interface Relay {
  port: number;
  /** Packets the tool sent, in order. */
  sent: Packet[];
  /** Resolves when the first CONNACK has been passed to the tool. */
  connacked: Promise<void>;
  /** Hold broker→tool bytes after CONNACK (nothing is acknowledged) until resume(). */
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

export interface RelayOptions {
  version: ProtocolVersion;
  /** Destroy both sockets once this many PUBLISH packets have been forwarded. */
  cutAfterPublishes?: number;
  /** Drop the tool's first packet of this type and cut instead of forwarding it. */
  cutBefore?: Packet['type'];
  /** Cut only the first this many connections (default: every one). */
  cutConnections?: number;
  /** Stop forwarding broker→tool bytes after CONNACK (acks never arrive). */
  swallowAcks?: boolean;
  /** Hold the CONNACK back this long (a slow broker). */
  delayConnackMs?: number;
}

export async function startRelay(brokerPort: number, o: RelayOptions): Promise<Relay> {
  const sent: Packet[] = [];
  const sockets = new Set<Socket>();
  let stalled = false;
  let onConnack: () => void = () => {};
  const connackedP = new Promise<void>((r) => (onConnack = r));
  const held: { to: Socket; chunk: Buffer }[] = [];
  let connections = 0;
  const server: Server = createServer((tool) => {
    const broker = connect({ port: brokerPort, host: '127.0.0.1' });
    const cut = ++connections <= (o.cutConnections ?? Infinity);
    sockets.add(tool).add(broker);
    const dec = new FrameDecoder({ version: o.version });
    let publishes = 0;
    let connacked = false;
    tool.on('data', (chunk) => {
      for (const p of dec.push(chunk)) {
        sent.push(p);
        if (cut && p.type === o.cutBefore) {
          tool.destroy();
          broker.destroy();
          return;
        }
        if (cut && p.type === 'publish' && o.cutAfterPublishes !== undefined && ++publishes >= o.cutAfterPublishes) {
          broker.write(chunk, () => {
            tool.destroy();
            broker.destroy();
          });
          return;
        }
      }
      broker.write(chunk);
    });
    broker.on('data', (chunk) => {
      if (o.swallowAcks && connacked) return;
      if (stalled && connacked) return void held.push({ to: tool, chunk });
      if (!connacked && o.delayConnackMs) {
        connacked = true; // CONNACK arrives alone, first
        setTimeout(() => tool.write(chunk, () => onConnack()), o.delayConnackMs);
        return;
      }
      connacked = true;
      tool.write(chunk, () => onConnack());
    });
    const end = (): void => {
      tool.destroy();
      broker.destroy();
    };
    tool.on('close', end).on('error', end);
    broker.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    sent,
    connacked: connackedP,
    stall: () => {
      stalled = true;
    },
    resume: () => {
      stalled = false;
      for (const h of held.splice(0)) h.to.write(h.chunk);
    },
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
