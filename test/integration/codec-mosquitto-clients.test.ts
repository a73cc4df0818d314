// The bytes mosquitto_pub and mosquitto_sub (the reference implementation) send,
// captured by a tiny scripted peer on 127.0.0.1, must decode with our codec, and our
// encoder must reproduce every frame byte for byte. The peer answers with fixed
// acknowledgements only; it never uses our codec, so nothing here checks itself.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, FrameDecoder } from '../../src/codec/index.js';
import type { Packet, ProtocolVersion } from '../../src/codec/types.js';

const VERSION_FLAG: Record<ProtocolVersion, string> = { 3: 'mqttv31', 4: 'mqttv311', 5: 'mqttv5' };

function clientsAvailable(): boolean {
  const r = spawnSync('mosquitto_pub', ['--help'], { encoding: 'utf8' });
  return r.error === undefined && /mosquitto_pub/.test(`${r.stdout}${r.stderr}`);
}

/** Splits a byte stream into frames by its fixed headers (independent of our codec). */
function splitFrames(buf: Buffer): { frames: Buffer[]; rest: Buffer } {
  const frames: Buffer[] = [];
  let off = 0;
  for (;;) {
    let rl = 0;
    let mult = 1;
    let i = off + 1;
    for (; i < buf.length; i++) {
      rl += (buf[i]! & 0x7f) * mult;
      mult *= 128;
      if ((buf[i]! & 0x80) === 0) break;
    }
    if (i >= buf.length || i + 1 + rl > buf.length) return { frames, rest: buf.subarray(off) };
    frames.push(buf.subarray(off, i + 1 + rl));
    off = i + 1 + rl;
  }
}

/** Fixed answers to each client frame, so the client carries on to the next step. */
function answer(frame: Buffer, v: ProtocolVersion): Buffer | undefined {
  const type = frame[0]! >> 4;
  const hdr = frame.length - (frame[1]! & 0x80 ? 3 : 2); // remaining length (frames here are small or publish)
  const bodyStart = frame.length - hdr;
  const id = (off: number) => frame.subarray(off, off + 2);
  switch (type) {
    case 1:
      return Buffer.from(v === 5 ? '2003000000' : '20020000', 'hex');
    case 3: {
      const qos = (frame[0]! >> 1) & 3;
      if (qos === 0) return undefined;
      const topicLen = frame.readUInt16BE(bodyStart);
      const pid = id(bodyStart + 2 + topicLen);
      return Buffer.concat([Buffer.from([qos === 1 ? 0x40 : 0x50, 2]), pid]);
    }
    case 6:
      return Buffer.concat([Buffer.from([0x70, 2]), id(bodyStart)]);
    case 8: {
      // one granted QoS per filter: count filters by walking the payload
      let off = bodyStart + 2;
      if (v === 5) off += 1 + frame[off]!; // property length < 128 in these cases
      const codes: number[] = [];
      while (off < frame.length) {
        const len = frame.readUInt16BE(off);
        codes.push(frame[off + 2 + len]! & 3);
        off += 3 + len;
      }
      const body = Buffer.concat([id(bodyStart), v === 5 ? Buffer.from([0]) : Buffer.alloc(0), Buffer.from(codes)]);
      return Buffer.concat([Buffer.from([0x90, body.length]), body]);
    }
    case 10: {
      let off = bodyStart + 2;
      if (v === 5) off += 1 + frame[off]!;
      let n = 0;
      while (off < frame.length) {
        off += 2 + frame.readUInt16BE(off);
        n++;
      }
      const body = Buffer.concat([id(bodyStart), v === 5 ? Buffer.concat([Buffer.from([0]), Buffer.alloc(n)]) : Buffer.alloc(0)]);
      return Buffer.concat([Buffer.from([0xb0, body.length]), body]);
    }
    case 12:
      return Buffer.from('d000', 'hex');
    default:
      return undefined;
  }
}

/** Runs a mosquitto client against the scripted peer; resolves with every byte it sent. */
function capture(tool: 'mosquitto_pub' | 'mosquitto_sub', v: ProtocolVersion, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const received: Buffer[] = [];
    let sock: Socket | undefined;
    const srv = createServer((s) => {
      sock = s;
      let pending: Buffer = Buffer.alloc(0);
      s.on('data', (d) => {
        received.push(d);
        const { frames, rest } = splitFrames(Buffer.concat([pending, d]));
        pending = rest;
        for (const f of frames) {
          const a = answer(f, v);
          if (a) s.write(a);
        }
      });
      s.on('error', () => {});
    });
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      const child = spawn(tool, ['-h', '127.0.0.1', '-p', String(port), '-V', VERSION_FLAG[v], ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      const timer = setTimeout(() => child.kill('SIGTERM'), 20_000); // only a safety net; runs take milliseconds
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        sock?.destroy();
        srv.close();
        if (code !== 0) reject(new Error(`${tool} ${args.join(' ')} exited ${code}: ${stderr}`));
        else resolve(Buffer.concat(received));
      });
    });
  });
}

interface Case {
  name: string;
  tool: 'mosquitto_pub' | 'mosquitto_sub';
  v: ProtocolVersion;
  args: string[];
  check(packets: Packet[]): void;
}

const find = <T extends Packet['type']>(ps: Packet[], type: T) => ps.find((p) => p.type === type) as Extract<Packet, { type: T }>;
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));

const CASES: Case[] = [
  ...([3, 4, 5] as const).flatMap((v): Case[] => [
    {
      name: `v${v} pub QoS 0 retained`,
      tool: 'mosquitto_pub',
      v,
      args: ['-i', 'cid-0', '-t', 'a/b', '-m', 'hello', '-r', '-k', '30'],
      check: (ps) => {
        expect(find(ps, 'connect')).toMatchObject({ clientId: 'cid-0', keepalive: 30, cleanStart: true, protocolVersion: v });
        expect(find(ps, 'publish')).toMatchObject({ topic: 'a/b', qos: 0, retain: true, dup: false });
        expect(text(find(ps, 'publish').payload)).toBe('hello');
        expect(ps.at(-1)?.type).toBe('disconnect');
      },
    },
    {
      name: `v${v} pub QoS 1 with user, password and will`,
      tool: 'mosquitto_pub',
      v,
      args: ['-i', 'cid-1', '-q', '1', '-t', 'x', '-m', 'm1', '-u', 'alice', '-P', 's3cret', '--will-topic', 'w/t', '--will-payload', 'gone', '--will-qos', '2', '--will-retain'],
      check: (ps) => {
        const c = find(ps, 'connect');
        expect(c).toMatchObject({ username: 'alice', will: { topic: 'w/t', qos: 2, retain: true } });
        expect(text(c.password)).toBe('s3cret');
        expect(text(c.will?.payload)).toBe('gone');
        expect(find(ps, 'publish')).toMatchObject({ qos: 1, packetId: expect.any(Number) });
      },
    },
    {
      name: `v${v} pub QoS 2 empty payload`,
      tool: 'mosquitto_pub',
      v,
      args: ['-i', 'cid-2', '-q', '2', '-t', 'q/2', '-n'],
      check: (ps) => {
        expect(find(ps, 'publish')).toMatchObject({ qos: 2, topic: 'q/2' });
        expect(find(ps, 'publish').payload).toHaveLength(0);
        expect(find(ps, 'pubrel')).toMatchObject({ packetId: find(ps, 'publish').packetId });
      },
    },
    {
      name: `v${v} sub two filters, then exit`,
      tool: 'mosquitto_sub',
      v,
      args: ['-i', 'cid-s', '-t', 'a/+/c', '-t', '#', '-q', '1', '-E', '-c'],
      check: (ps) => {
        expect(find(ps, 'connect')).toMatchObject({ cleanStart: false });
        expect(find(ps, 'subscribe').subscriptions.map((s) => [s.topicFilter, s.qos])).toEqual([['a/+/c', 1], ['#', 1]]);
      },
    },
  ]),
  {
    name: 'v5 pub with CONNECT and PUBLISH properties',
    tool: 'mosquitto_pub',
    v: 5,
    args: [
      '-i', 'cid-p', '-q', '1', '-t', 'p/t', '-m', '{}',
      '-D', 'connect', 'session-expiry-interval', '60',
      '-D', 'connect', 'receive-maximum', '7',
      '-D', 'connect', 'maximum-packet-size', '10000',
      '-D', 'connect', 'topic-alias-maximum', '3',
      '-D', 'connect', 'request-problem-information', '0',
      '-D', 'connect', 'user-property', 'k', 'v',
      '-D', 'publish', 'payload-format-indicator', '1',
      '-D', 'publish', 'message-expiry-interval', '3600',
      '-D', 'publish', 'content-type', 'application/json',
      '-D', 'publish', 'response-topic', 'r/t',
      '-D', 'publish', 'correlation-data', 'abc',
      '-D', 'publish', 'user-property', 'k1', 'v1',
      '-D', 'publish', 'user-property', 'k1', 'v2',
    ],
    check: (ps) => {
      expect(find(ps, 'connect').properties).toMatchObject({ sessionExpiryInterval: 60, receiveMaximum: 7, maximumPacketSize: 10000, topicAliasMaximum: 3, requestProblemInformation: 0, userProperties: [['k', 'v']] });
      const p = find(ps, 'publish');
      expect(p.properties).toMatchObject({ payloadFormatIndicator: 1, messageExpiryInterval: 3600, contentType: 'application/json', responseTopic: 'r/t', userProperties: [['k1', 'v1'], ['k1', 'v2']] });
      expect(text(p.properties?.correlationData)).toBe('abc');
    },
  },
  {
    name: 'v5 sub with subscription identifier and user property',
    tool: 'mosquitto_sub',
    v: 5,
    args: ['-i', 'cid-o', '-t', 's/#', '-q', '2', '-E', '-D', 'subscribe', 'subscription-identifier', '42', '-D', 'subscribe', 'user-property', 'k', 'v'],
    check: (ps) => {
      const s = find(ps, 'subscribe');
      expect(s.properties).toMatchObject({ subscriptionIdentifiers: [42], userProperties: [['k', 'v']] });
      expect(s.subscriptions).toMatchObject([{ topicFilter: 's/#', qos: 2 }]);
    },
  },
  ...([3, 4, 5] as const).map(
    (v): Case => ({
      name: `v${v} sub then unsubscribe`,
      tool: 'mosquitto_sub',
      v,
      args: ['-i', 'cid-u', '-t', 'keep/#', '-U', 'old/+', '-U', 'older', '-E'],
      check: (ps) => {
        // mosquitto_sub sends one UNSUBSCRIBE per -U
        const unsubs = ps.filter((p): p is Extract<Packet, { type: 'unsubscribe' }> => p.type === 'unsubscribe');
        expect(unsubs.flatMap((u) => u.topicFilters)).toEqual(['old/+', 'older']);
      },
    }),
  ),
];

describe('bytes sent by mosquitto_pub / mosquitto_sub', () => {
  if (!clientsAvailable()) {
    it('mosquitto clients are installed', () => {
      expect.fail('mosquitto_pub/mosquitto_sub not found: install them with `sudo apt-get install mosquitto-clients` (or run `npm run setup`).');
    });
    return;
  }

  for (const c of CASES) {
    it(`${c.name}: decode, fields, and byte-for-byte re-encoding`, async () => {
      const bytes = await capture(c.tool, c.v, c.args);
      const decoder = new FrameDecoder({ version: c.v });
      const packets = decoder.push(bytes);
      expect(decoder.buffered).toBe(0);
      c.check(packets);
      const { frames } = splitFrames(bytes);
      expect(frames).toHaveLength(packets.length);
      for (const f of frames) expect(encodePacket(decodePacket(f, c.v), c.v).toString('hex')).toBe(f.toString('hex'));
    });
  }
});
