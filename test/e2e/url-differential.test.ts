// -L ws:// and --ws as Mosquitto 2.1's mosquitto_pub reads them (issue 16): both
// tools publish to one WebSocket endpoint that records what each asked for (the
// HTTP path, the subprotocol) and sent (CONNECT credentials, PUBLISH topic and
// payload). The URL's path is the topic and the HTTP request goes to /mqtt, as
// 2.1's binary does (its man page says otherwise).
import { WebSocketServer, type WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameDecoder, encodePacket, type Packet } from '../../src/codec/index.js';
import { mosquitto21 } from '../helpers/mosquitto21.js';
import { PUB_BIN, requireBuild, run } from './pub-run.js';

interface Seen {
  path: string;
  protocol: string;
  username?: string;
  password?: string;
  topic?: string;
  payload?: string;
}

let wss: WebSocketServer;
let port = 0;
const seen: Seen[] = [];

/** Answers CONNECT with CONNACK 0 and notes the first PUBLISH (QoS 0: nothing more to answer). */
function serve(sock: WebSocket, s: Seen): void {
  const decoder = new FrameDecoder({ version: 4 });
  sock.on('message', (data: Buffer) => {
    for (const p of decoder.push(data) as Packet[]) {
      if (p.type === 'connect') {
        decoder.version = p.protocolVersion;
        if (p.username !== undefined) s.username = p.username;
        if (p.password !== undefined) s.password = Buffer.from(p.password).toString();
        sock.send(encodePacket({ type: 'connack', sessionPresent: false, reasonCode: 0 }, p.protocolVersion));
      } else if (p.type === 'publish') {
        s.topic = p.topic;
        s.payload = Buffer.from(p.payload).toString();
      }
    }
  });
}

beforeAll(async () => {
  requireBuild();
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (ps) => (ps.has('mqtt') ? 'mqtt' : false) });
  wss.on('connection', (sock, req) => {
    const s: Seen = { path: req.url ?? '', protocol: String(req.headers['sec-websocket-protocol'] ?? '') };
    seen.push(s);
    serve(sock, s);
  });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  port = (wss.address() as { port: number }).port;
});
afterAll(async () => new Promise<void>((r) => wss.close(() => r())));

/** What the endpoint saw from one run of each tool with `args`. */
async function both(args: string[]): Promise<{ theirs: Seen; ours: Seen }> {
  const m = mosquitto21();
  const a = await run(m.bin('mosquitto_pub'), args, { env: { LD_LIBRARY_PATH: m.env.LD_LIBRARY_PATH } });
  expect([a.status, a.stderr], 'mosquitto_pub 2.1').toEqual([0, '']);
  const theirs = seen.at(-1)!;
  const b = await run(process.execPath, [PUB_BIN, ...args]);
  expect([b.status, b.stderr], 'mqtt-pub').toEqual([0, '']);
  return { theirs, ours: seen.at(-1)! };
}

describe('-L ws:// and --ws, against mosquitto_pub 2.1', () => {
  it.each([
    ['-L ws://host:port/a/b', (p: number) => ['-L', `ws://127.0.0.1:${p}/a/b`, '-m', 'hi']],
    ['credentials in the URL', (p: number) => ['-L', `ws://us%20er:pw@127.0.0.1:${p}/t/x`, '-m', 'hi']],
    ['an upper-case scheme', (p: number) => ['-L', `WS://127.0.0.1:${p}/up`, '-m', 'hi']],
    ['--ws with -h, -p and -t', (p: number) => ['--ws', '-h', '127.0.0.1', '-p', String(p), '-t', 'ws/t', '-m', 'hi']],
    ['a later -t overrides the URL topic', (p: number) => ['-L', `ws://127.0.0.1:${p}/url/topic`, '-t', 'later', '-m', 'hi']],
  ])('%s', async (_name, argsFor) => {
    const { theirs, ours } = await both(argsFor(port));
    expect(ours).toEqual(theirs);
    expect(theirs.path).toBe('/mqtt');
    expect(theirs.protocol).toBe('mqtt');
  });
});
