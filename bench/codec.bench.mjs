// Codec throughput against mqtt-packet, same process, same packet mix:
// encode then decode each packet, counted as one op. Reports a ratio, not
// absolute numbers, so it means something on any machine.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import mqttPacket from 'mqtt-packet';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'codec-bench-'));
const outfile = join(dir, 'codec.mjs');
await build({ entryPoints: [join(root, 'src/codec/index.ts')], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile, logLevel: 'error' });
const codec = await import(pathToFileURL(outfile).href);
rmSync(dir, { recursive: true, force: true });

const small = Buffer.alloc(16, 0x61);
const kib = Buffer.alloc(1024, 0x62);
const props = { contentType: 'application/json', messageExpiryInterval: 60, userProperties: [['trace', 'abc123']] };
const mpProps = { contentType: 'application/json', messageExpiryInterval: 60, userProperties: { trace: 'abc123' } };

// [version, our packet, the same packet in mqtt-packet's shape]
const mix = [
  [4, { type: 'publish', topic: 'sensors/room1/temp', payload: small, qos: 0, retain: false, dup: false },
    { cmd: 'publish', topic: 'sensors/room1/temp', payload: small, qos: 0, retain: false, dup: false }],
  [4, { type: 'publish', topic: 'sensors/room1/blob', payload: kib, qos: 1, retain: false, dup: false, packetId: 42 },
    { cmd: 'publish', topic: 'sensors/room1/blob', payload: kib, qos: 1, retain: false, dup: false, messageId: 42 }],
  [5, { type: 'publish', topic: 'sensors/room1/temp', payload: small, qos: 1, retain: false, dup: false, packetId: 7, properties: props },
    { cmd: 'publish', topic: 'sensors/room1/temp', payload: small, qos: 1, retain: false, dup: false, messageId: 7, properties: mpProps }],
  [5, { type: 'publish', topic: 'sensors/room1/blob', payload: kib, qos: 0, retain: true, dup: false },
    { cmd: 'publish', topic: 'sensors/room1/blob', payload: kib, qos: 0, retain: true, dup: false }],
  [4, { type: 'puback', packetId: 42, reasonCode: 0 }, { cmd: 'puback', messageId: 42 }],
  [5, { type: 'puback', packetId: 7, reasonCode: 0 }, { cmd: 'puback', messageId: 7, reasonCode: 0 }],
  [5, { type: 'pubrec', packetId: 9, reasonCode: 0x10 }, { cmd: 'pubrec', messageId: 9, reasonCode: 0x10 }],
  [5, { type: 'subscribe', packetId: 3, subscriptions: [{ topicFilter: 'sensors/+/temp', qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 }, { topicFilter: 'alerts/#', qos: 2, noLocal: false, retainAsPublished: true, retainHandling: 1 }] },
    { cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'sensors/+/temp', qos: 1, nl: false, rap: false, rh: 0 }, { topic: 'alerts/#', qos: 2, nl: false, rap: true, rh: 1 }] }],
];

let sink = 0;
function ours(n) {
  for (let i = 0; i < n; i++) {
    for (const [v, p] of mix) sink += codec.decodePacket(codec.encodePacket(p, v), v).type.length;
  }
}
const parsers = { 4: mqttPacket.parser({ protocolVersion: 4 }), 5: mqttPacket.parser({ protocolVersion: 5 }) };
for (const p of Object.values(parsers)) p.on('packet', (pkt) => (sink += pkt.cmd.length));
function theirs(n) {
  for (let i = 0; i < n; i++) {
    for (const [v, , m] of mix) parsers[v].parse(mqttPacket.generate(m, { protocolVersion: v }));
  }
}

// Sanity: both sides produce decodable bytes for the whole mix before timing.
ours(1);
theirs(1);

function opsPerSec(fn, ms) {
  let iters = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    fn(200);
    iters += 200;
    now = performance.now();
  }
  return (iters * mix.length * 1000) / (now - start);
}

opsPerSec(ours, 300); // warm-up
opsPerSec(theirs, 300);
const a = [], b = [];
for (let round = 0; round < 5; round++) {
  a.push(opsPerSec(ours, 400));
  b.push(opsPerSec(theirs, 400));
}
const median = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const x = median(a), y = median(b);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(`codec encode+decode: ${fmt(x)} ops/s vs mqtt-packet ${fmt(y)} ops/s — ratio ${(x / y).toFixed(2)}×`);
if (sink === 0) process.exitCode = 1;
