// Plays mosquitto's client-side sequence corpus (lib/*.json) against our real
// MqttClient: a raw fake server accepts CONNECT, answers CONNACK (v5: receive
// maximum 20) unless the case says not to, drives the client's command, plays
// the case's bytes, then probes with a QoS 1 PUBLISH: a PUBACK means the client
// stayed connected, a closed socket means it disconnected.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { decodePacket, parseFrame } from '../../src/codec/index.js';
import type { ProtocolVersion } from '../../src/codec/types.js';
import { MqttClient } from '../../src/client/client.js';
import { parsePayload, type RawGroup, type RawMsg } from './mqtt-bytes.js';
import { tcpOptions } from './client-helpers.js';

export interface LibCase {
  file: string;
  group: string;
  name: string;
  version: ProtocolVersion;
  expectDisconnect: boolean;
  connack: boolean;
  command: string | undefined;
  /** `loose`: the client's own command packet; mosquitto's test client adds properties ours does not, so only type and id are compared. */
  steps: { type: 'send' | 'recv'; bytes: Buffer; loose?: boolean }[];
}

export type Outcome = { verdict: 'connected' | 'disconnected' | 'hung'; recvMismatch?: string };

const steps = (msgs: RawMsg[], loose = false) =>
  msgs
    .filter((m) => m.type === 'send' || m.type === 'recv')
    .map((m) => ({ type: m.type as 'send' | 'recv', bytes: parsePayload(m.payload ?? ''), ...(loose ? { loose } : {}) }));

export function loadLibCases(dir: string): LibCase[] {
  const cases: LibCase[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    for (const g of JSON.parse(readFileSync(join(dir, file), 'utf8')) as RawGroup[]) {
      for (const t of g.tests) {
        if (t.disable ?? g.disable) continue;
        cases.push({
          file,
          group: g.group.replace(/\s+/g, ' '),
          name: t.name,
          version: (t.ver ?? g.ver) as ProtocolVersion,
          expectDisconnect: t.expect_disconnect ?? g.expect_disconnect ?? true,
          connack: (t.connect ?? g.connect) !== false && (t.connack ?? g.connack) !== false,
          command: t.command ?? g.command,
          steps: [...steps(g.group_msgs ?? [], true), ...steps(t.msgs)],
        });
      }
    }
  }
  return cases;
}

/** Reads whole MQTT frames from a raw socket. */
class FrameReader {
  private buf = Buffer.alloc(0) as Buffer;
  private wake: (() => void) | undefined;
  closed = false;

  constructor(sock: Socket) {
    sock.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake?.();
    });
    sock.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    sock.on('error', () => {});
  }

  /** The next frame (PINGREQs skipped), or 'closed' / 'timeout'. */
  async next(ms: number): Promise<Buffer | 'closed' | 'timeout'> {
    const deadline = Date.now() + ms;
    for (;;) {
      try {
        const h = parseFrame(this.buf, 0, this.buf.length);
        if (!('needMore' in h)) {
          const frame = this.buf.subarray(0, h.headerLength + h.remainingLength);
          this.buf = this.buf.subarray(frame.length);
          if (frame[0] === 0xc0) continue;
          return frame;
        }
      } catch {
        return 'closed'; // the client sent bytes we cannot frame: treat as gone
      }
      if (this.closed) return 'closed';
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, Math.min(left, 50));
      });
    }
  }
}

export interface CorpusServer {
  run(c: LibCase): Promise<Outcome>;
  close(): Promise<void>;
}

const CONNACK_V3 = Buffer.from([0x20, 2, 0, 0]);
const CONNACK_V5 = Buffer.from([0x20, 6, 0, 0, 3, 0x21, 0, 20]); // receive maximum 20

function probe(version: ProtocolVersion): Buffer {
  // QoS 1 PUBLISH 'probe', packet id 0x7777, payload 'x'
  const body = [0, 5, ...Buffer.from('probe'), 0x77, 0x77, ...(version === 5 ? [0] : []), 0x78];
  return Buffer.from([0x32, body.length, ...body]);
}

export async function startCorpusServer(): Promise<CorpusServer> {
  const waiting: ((s: Socket) => void)[] = [];
  const server: Server = createServer((s) => {
    const take = waiting.shift();
    if (take) take(s);
    else s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  // One case at a time per server keeps sockets and clients paired.
  return {
    async run(c) {
      const sockP = new Promise<Socket>((r) => waiting.push(r));
      const clientP = MqttClient.connect(tcpOptions(port, c.version, { clientId: 'corpus', keepalive: 60, connectTimeoutMs: 3000 }));
      clientP.catch(() => {});
      const sock = await sockP;
      const reader = new FrameReader(sock);
      let client: MqttClient | undefined;
      try {
        await reader.next(2000); // CONNECT
        if (c.connack) {
          sock.write(c.version === 5 ? CONNACK_V5 : CONNACK_V3);
          client = await clientP.catch(() => undefined);
          client?.onMessage(() => {});
          runCommand(client, c.command);
        }
        for (const step of c.steps) {
          if (step.type === 'send') {
            sock.write(step.bytes);
            continue;
          }
          const got = await reader.next(1000);
          if (!Buffer.isBuffer(got) || !sameFrame(got, step.bytes, c.version, step.loose)) {
            return { verdict: verdictOf(got), recvMismatch: `expected ${step.bytes.toString('hex')}, got ${Buffer.isBuffer(got) ? got.toString('hex') : got}` };
          }
        }
        if (!client) void clientP.then((cl) => cl.onMessage(() => {}), () => {});
        sock.write(probe(c.version));
        for (;;) {
          const got = await reader.next(1500);
          if (!Buffer.isBuffer(got)) return { verdict: verdictOf(got) };
          if (got[0] === 0x40 && got[2] === 0x77 && got[3] === 0x77) return { verdict: 'connected' };
        }
      } finally {
        sock.destroy();
        (client ?? (await clientP.catch(() => undefined)))?.destroy();
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function sameFrame(got: Buffer, want: Buffer, version: ProtocolVersion, loose = false): boolean {
  if (!loose) return got.equals(want);
  const a = decodePacket(got, version);
  const b = decodePacket(want, version);
  return a.type === b.type && ('packetId' in a ? a.packetId : 0) === ('packetId' in b ? b.packetId : 0);
}

function verdictOf(got: Buffer | 'closed' | 'timeout'): Outcome['verdict'] {
  return got === 'closed' ? 'disconnected' : got === 'timeout' ? 'hung' : 'connected';
}

function runCommand(client: MqttClient | undefined, command: string | undefined): void {
  if (!client || !command) return;
  const noop = () => {};
  if (command === 'publish-1' || command === 'publish-2') {
    client.publish({ topic: 'test/publish', payload: Buffer.from('message'), qos: command === 'publish-1' ? 1 : 2, retain: false }).catch(noop);
  } else if (command === 'unsubscribe') {
    client.unsubscribe(['test/subscribe']).catch(noop);
  }
}
