// mqtt-sub benchmarks, as ratios against baselines measured in the same run:
//   throughput: receive and print 200,000 QoS 0 messages (-v, and -F %j) sent by
//               `mosquitto_pub -l` through mosquitto, vs mosquitto_sub given the same
//               stream (target >= 1.0x), two ways:
//                 backlog - the subscriber is stopped (SIGSTOP) while the stream is
//                           queued, then resumed: pure subscriber speed;
//                 live    - the stream is sent while the subscriber runs: mostly
//                           paced by mosquitto_pub (~100k messages/s), so ~1.0x
//                           means keeping up; run-to-run noise is a few percent.
//               stdout goes to /dev/null; -C 200000 and status 0 prove every message
//               arrived.
//   idle RSS:   a connected, subscribed mqtt-sub vs an idle `node` (target <= 1.3x).
// Starts its own mosquitto on a free loopback port. Needs `npm run build` first.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { runBench, startBenchBroker } from './broker.mjs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'mqtt-sub.js');
const node = process.execPath;
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200_000);
const RUNS = Number(process.env.BENCH_SUB_RUNS ?? 2);
// The whole bench must stay under 90 s on a busy 2-core machine: repeats beyond
// the first run of each measurement are skipped once this budget is spent.
const BUDGET_MS = Number(process.env.BENCH_SUB_BUDGET_MS ?? 45_000);
const started = Date.now();

// Unlimited queues: a QoS 0 stream must reach a momentarily slow subscriber whole.
const startBroker = (dir) =>
  startBenchBroker(dir, ['max_queued_messages 0', 'max_queued_bytes 0', 'log_dest stderr', 'log_type subscribe']);

async function waitFor(cond, what, ms = 10_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let seq = 0;
/**
 * One run: start the subscriber (-C MESSAGES), wait for its subscription, send
 * the stream with mosquitto_pub -l, and time until the subscriber has printed
 * everything and exited. `backlog`: the subscriber is stopped while the stream
 * is queued by the broker and the clock starts when it is resumed.
 */
async function timeRun(broker, cmd, argsFor, input, topic, backlog) {
  const id = `bench-${process.pid}-${++seq}`;
  const args = argsFor(['-h', '127.0.0.1', '-p', String(broker.port), '-i', id, '-t', topic, '-C', String(MESSAGES)]);
  const sub = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  sub.stderr.on('data', (d) => (err += d.toString()));
  const exited = new Promise((r) => sub.on('close', (code) => r(code)));
  await waitFor(() => broker.log().includes(`${id} 0 ${topic}`), `${cmd} to subscribe`);
  if (backlog) sub.kill('SIGSTOP');
  const fd = openSync(input, 'r');
  let t0 = process.hrtime.bigint();
  const pub = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(broker.port), '-t', topic, '-l'], { stdio: [fd, 'ignore', 'inherit'] });
  closeSync(fd);
  const published = new Promise((r) => pub.on('close', r));
  if (backlog) {
    await published;
    await new Promise((r) => setTimeout(r, 200)); // let the broker queue the tail
    t0 = process.hrtime.bigint();
    sub.kill('SIGCONT');
  }
  const timer = setTimeout(() => sub.kill('SIGKILL'), 60_000);
  const code = await exited;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  clearTimeout(timer);
  await published;
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`);
  return ms;
}

function rssKb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function idleRss(broker) {
  const settle = () => new Promise((r) => setTimeout(r, 1500));
  const base = spawn(node, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  const id = `bench-idle-${process.pid}`;
  const sub = spawn(node, [bin, '-h', '127.0.0.1', '-p', String(broker.port), '-i', id, '-t', 'bench/idle'], { stdio: 'ignore' });
  try {
    await waitFor(() => broker.log().includes(`${id} 0 bench/idle`), 'mqtt-sub to subscribe');
    await settle();
    return { base: rssKb(base.pid), ours: rssKb(sub.pid) };
  } finally {
    base.kill('SIGKILL');
    sub.kill('SIGKILL');
  }
}

const best = (xs) => Math.min(...xs);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-sub-bench-'));
  const broker = await startBroker(dir);
  try {
    const input = join(dir, 'lines.txt');
    const lines = [];
    for (let i = 0; i < MESSAGES; i++) lines.push(`sensor reading ${i} value ${(i * 7) % 1000}`);
    writeFileSync(input, `${lines.join('\n')}\n`);

    const rate = (ms) => Math.round(MESSAGES / (ms / 1000)).toLocaleString('en-US');
    for (const [label, flags] of [
      ['-v', ['-v']],
      ['-F %j', ['-F', '%j']],
    ]) {
      for (const backlog of [true, false]) {
        const ours = [];
        const theirs = [];
        const runs = backlog ? RUNS : 1; // live runs are paced by mosquitto_pub: one is telling enough
        for (let i = 0; i < runs && (i === 0 || Date.now() - started < BUDGET_MS); i++) {
          // Alternate, so drift in machine load hits both alike.
          theirs.push(await timeRun(broker, 'mosquitto_sub', (a) => [...a, ...flags], input, `bench/${i}/t`, backlog));
          ours.push(await timeRun(broker, node, (a) => [bin, ...a, ...flags], input, `bench/${i}/o`, backlog));
        }
        const o = best(ours);
        const t = best(theirs);
        const mode = backlog ? 'backlog' : 'live';
        console.log(`${MESSAGES} messages, ${label}, ${mode} (best of ${ours.length}): mqtt-sub ${o.toFixed(0)} ms (${rate(o)}/s), mosquitto_sub ${t.toFixed(0)} ms (${rate(t)}/s)`);
        console.log(`  throughput mqtt-sub / mosquitto_sub = ${(t / o).toFixed(2)}x (target >= 1.0x)`);
      }
    }

    const rss = await idleRss(broker);
    console.log(`idle RSS: mqtt-sub ${(rss.ours / 1024).toFixed(1)} MiB, idle node ${(rss.base / 1024).toFixed(1)} MiB`);
    console.log(`  mqtt-sub / node = ${(rss.ours / rss.base).toFixed(2)}x (target <= 1.3x)`);
  } finally {
    broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
