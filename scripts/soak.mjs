// Soak test (test plan L6): N QoS 1 messages from `mqtt-pub -l --retry` through
// a proxy that cuts every connection at random moments, to a real mosquitto;
// an `mqtt-sub` with a persistent session counts what arrives. Passes when
// nothing is lost, mqtt-pub exits 0, and its memory and open files do not grow.
// Prints one JSON line with the figures; exits 1 on a failure.
//
//   node scripts/soak.mjs [--messages 1000000] [--drop-ms 10000] [--qos 1]
// npm test runs a short version (test/e2e/pub-soak.test.ts); `npm run test:soak`
// runs the full one. Needs `npm run build` first.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchBroker } from '../bench/broker.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const MESSAGES = arg('messages', 1_000_000);
const DROP_MS = arg('drop-ms', 10_000);
const QOS = arg('qos', 1);

/** A TCP relay to the broker that destroys every open connection at random times around `dropMs`. */
async function startCuttingProxy(brokerPort, dropMs) {
  const pairs = new Set();
  let cuts = 0;
  const server = createServer((client) => {
    const up = connect({ port: brokerPort, host: '127.0.0.1' });
    const pair = { client, up };
    pairs.add(pair);
    const end = () => {
      client.destroy();
      up.destroy();
      pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
    client.pipe(up).pipe(client);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  let timer;
  const schedule = () => {
    timer = setTimeout(() => {
      if (pairs.size) cuts++;
      for (const { client, up } of pairs) {
        client.destroy();
        up.destroy();
      }
      schedule();
    }, dropMs * (0.5 + Math.random()));
  };
  schedule();
  return { port: server.address().port, cuts: () => cuts, close: () => (clearTimeout(timer), server.close()) };
}

/** VmRSS (KiB) and open descriptors of a live process, sampled every 250 ms. */
function sample(pid) {
  const points = [];
  const t = setInterval(() => {
    try {
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      points.push({ rss, fds: readdirSync(`/proc/${pid}/fd`).length });
    } catch {
      /* exited */
    }
  }, 250);
  return { points, stop: () => clearInterval(t) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-soak-'));
  const broker = await startBenchBroker(dir, ['log_dest none', 'max_queued_messages 0']);
  const proxy = await startCuttingProxy(broker.port, DROP_MS);
  const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'none') };
  const result = { messages: MESSAGES, dropMs: DROP_MS, qos: QOS };
  try {
    // The subscriber's own link is not cut: it counts what the broker accepted.
    const seen = new Uint8Array(MESSAGES);
    let received = 0;
    let stray = 0;
    const sub = spawn(process.execPath, [join(root, 'bin/mqtt-sub.js'), '-h', '127.0.0.1', '-p', String(broker.port), '-t', 'soak', '-q', String(QOS), '-i', 'soak-sub', '-V', '5'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let rest = '';
    let allSeen;
    const complete = new Promise((r) => (allSeen = r));
    let distinct = 0;
    sub.stdout.on('data', (chunk) => {
      const lines = (rest + chunk.toString('latin1')).split('\n');
      rest = lines.pop();
      for (const line of lines) {
        received++;
        const i = Number(line);
        if (!Number.isInteger(i) || i < 0 || i >= MESSAGES) stray++;
        else if (seen[i]++ === 0 && ++distinct === MESSAGES) allSeen();
      }
    });
    await new Promise((r) => setTimeout(r, 500)); // let it subscribe

    const started = Date.now();
    const pub = spawn(process.execPath, [join(root, 'bin/mqtt-pub.js'), '-h', '127.0.0.1', '-p', String(proxy.port), '-t', 'soak', '-l', '-q', String(QOS), '-V', '5', '--retry', '100000'], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let pubErr = '';
    pub.stderr.on('data', (d) => (pubErr += d.toString()));
    const samples = sample(pub.pid);
    const exited = new Promise((r) => pub.on('close', r));
    // Feed the lines as fast as the tool takes them (it reads only as fast as it can send).
    for (let i = 0; i < MESSAGES; ) {
      let block = '';
      for (const end = Math.min(MESSAGES, i + 10_000); i < end; i++) block += `${i}\n`;
      if (!pub.stdin.write(block)) await new Promise((r) => pub.stdin.once('drain', r));
    }
    pub.stdin.end();
    const status = await exited;
    samples.stop();
    result.pubStatus = status;
    result.seconds = (Date.now() - started) / 1000;
    result.cuts = proxy.cuts();
    await Promise.race([complete, new Promise((r) => setTimeout(r, 10_000))]);
    sub.kill('SIGINT');
    result.received = received;
    result.lost = MESSAGES - distinct;
    result.duplicates = received - distinct - stray;
    result.stray = stray;
    // Memory and descriptors: the last quarter of the run against the second quarter.
    const pts = samples.points;
    const q = Math.floor(pts.length / 4);
    if (q >= 2) {
      const early = pts.slice(q, 2 * q);
      const late = pts.slice(3 * q);
      result.rssKiB = { early: median(early.map((p) => p.rss)), late: median(late.map((p) => p.rss)) };
      result.fds = { early: median(early.map((p) => p.fds)), late: median(late.map((p) => p.fds)) };
    }
    const grew = result.rssKiB && result.rssKiB.late > result.rssKiB.early * 1.25 + 8192;
    const fdGrew = result.fds && result.fds.late > result.fds.early + 2;
    result.ok = status === 0 && result.lost === 0 && stray === 0 && !grew && !fdGrew;
    if (!result.ok) result.pubStderr = pubErr.slice(-2000);
  } finally {
    proxy.close();
    broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(result));
  process.exit(result.ok ? 0 : 1);
}

await main();
