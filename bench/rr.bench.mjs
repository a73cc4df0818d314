// mqtt-rr benchmark, as a ratio against a baseline measured in the same run:
//   round trip: one request → response, whole process (start-up included), against
//               a local responder, mqtt-rr vs mosquitto_rr 2.1   (target <= 1.25x wall)
//               and, since a C program starts ~10x faster than `node -e 0` does,
//               also vs `node -e 0` + mosquitto_rr: what mqtt-rr adds to the runtime's own start-up.
// The responder runs in this process (mqtt-packet over a socket) and answers every
// request on its Response Topic with its Correlation Data. mosquitto_rr 2.1 is the
// build `npm run setup` makes in .cache/ (MOSQUITTO21_DIR overrides where it is).
// Starts its own mosquitto on a free loopback port. Needs `npm run build` first.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqttPacket from 'mqtt-packet';
import { runBench, startBenchBroker } from './broker.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'mqtt-rr.js');
const node = process.execPath;
const RUNS = Number(process.env.BENCH_RR_RUNS ?? 31);
const m21 = process.env.MOSQUITTO21_DIR ?? join(root, '.cache', 'mosquitto-2.1-dd2c25c1');
const mosquittoRr = join(m21, 'bin', 'mosquitto_rr');

/** A responder: answers each PUBLISH on `topic` with 'ok' on its response topic, echoing the correlation data. */
async function startResponder(port, topic) {
  const sock = connect({ host: '127.0.0.1', port });
  const parser = mqttPacket.parser({ protocolVersion: 5 });
  const send = (p) => sock.write(mqttPacket.generate(p, { protocolVersion: 5 }));
  let ready;
  const subscribed = new Promise((r) => (ready = r));
  parser.on('packet', (p) => {
    if (p.cmd === 'connack') send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos: 0 }] });
    else if (p.cmd === 'suback') ready();
    else if (p.cmd === 'publish' && p.properties?.responseTopic) {
      const properties = p.properties.correlationData ? { correlationData: p.properties.correlationData } : {};
      send({ cmd: 'publish', topic: p.properties.responseTopic, payload: Buffer.from('ok'), qos: 0, retain: false, dup: false, properties });
    }
  });
  sock.on('data', (d) => parser.parse(d));
  sock.setNoDelay(true);
  await new Promise((r) => sock.once('connect', r));
  send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clean: true, clientId: `bench-responder-${process.pid}`, keepalive: 60 });
  await subscribed;
  return { stop: () => sock.destroy() };
}

/** Wall time of one whole run in ms; throws unless it printed the answer (`expect`) and exited 0. */
function time(cmd, args, env, expect = 'ok\n') {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0 || out !== expect) reject(new Error(`${cmd} ${args.join(' ')} exited ${code} printing ${JSON.stringify(out)}: ${err}`));
      else resolve(ms);
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  if (!existsSync(mosquittoRr)) {
    throw new Error(`mosquitto_rr 2.1 is missing at ${mosquittoRr}: run npm run setup (or set MOSQUITTO21_DIR)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-rr-bench-'));
  const broker = await startBenchBroker(dir, ['log_dest none']);
  const responder = await startResponder(broker.port, 'bench/rr');
  const args = ['-h', '127.0.0.1', '-p', String(broker.port), '-t', 'bench/rr', '-e', 'bench/rr/reply', '-m', 'ping', '-W', '10'];
  const prev = process.env.LD_LIBRARY_PATH;
  const env21 = { LD_LIBRARY_PATH: prev ? `${join(m21, 'lib')}${delimiter}${prev}` : join(m21, 'lib') };
  const warm = { XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'config') };
  try {
    await time(node, [bin, ...args], warm); // writes the code cache, as any earlier run would have
    const ours = [];
    const theirs = [];
    const base = [];
    // Interleaved, so drift in machine load hits all alike.
    for (let i = 0; i < RUNS; i++) {
      base.push(await time(node, ['-e', '0'], {}, ''));
      theirs.push(await time(mosquittoRr, args, { ...env21, XDG_CONFIG_HOME: warm.XDG_CONFIG_HOME }));
      ours.push(await time(node, [bin, ...args], warm));
    }
    const [o, t, b] = [median(ours), median(theirs), median(base)];
    console.log(`request → response, whole process (median of ${RUNS}): mqtt-rr ${o.toFixed(1)} ms, mosquitto_rr 2.1 ${t.toFixed(1)} ms, node -e 0 ${b.toFixed(1)} ms`);
    console.log(`  mqtt-rr / mosquitto_rr = ${(o / t).toFixed(2)}x wall (target <= 1.25x)`);
    console.log(`  mqtt-rr / (node -e 0 + mosquitto_rr) = ${(o / (b + t)).toFixed(2)}x wall: the runtime's start-up set aside`);
  } finally {
    responder.stop();
    broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
