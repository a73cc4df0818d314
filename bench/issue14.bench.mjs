// The tools measured as users run them (issue 14): each row a ratio against a
// baseline measured in the same run, with its target beside it.
//   start-up   one QoS 0 publish with the default host (`localhost`, resolved as the
//              system resolves it) vs `node -e 0`; secondary: -h 127.0.0.1 and a bare
//              net.connect + CONNECT script (the floor for any Node client)
//   pair       pub -l 200k lines -> broker -> sub -C 200000, both live at once,
//              ours vs mosquitto_pub + mosquitto_sub (time)
//   sub -v     live stream from mosquitto_pub -l, mqtt-sub vs mosquitto_sub (throughput);
//              secondary: the broker's and the subscriber's CPU per message, a bare
//              Node subscriber (bench/floor-sub.cjs) paced as mqtt-sub is (the floor)
//              and unpaced (what mqtt-sub cost before its reads were paced), and
//              backlog (subscriber stopped while the broker queues it)
//   RSS        pub -l 200k peak RSS vs `node -e 0`, QoS 0/1/2
//   passwd     1M-user file, add one: bench/passwd-large.bench.mjs, its ratio as a row
// Runs under whichever node runs it (process.execPath is both ours and the baseline).
// Needs `npm run build` first, mosquitto, and GNU time (/usr/bin/time) for RSS.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Module from 'node:module';
import { runBench, startBenchBroker } from './broker.mjs';
import { LAYERS, startupLayers } from './startup-layers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pubBin = join(here, '..', 'bin', 'mqtt-pub.js');
const subBin = join(here, '..', 'bin', 'mqtt-sub.js');
const floorSub = join(here, 'floor-sub.cjs');
const node = process.execPath;
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 41);
const LINES = Number(process.env.BENCH_LINES ?? 200_000);
// Live streams on 2 cores swing by 10-15% from run to run (the broker sets the pace): 5 runs, medians.
const RUNS = Number(process.env.BENCH_PAIR_RUNS ?? 5);
const GNU_TIME = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];

/** One table row: the ratio, its target and whether it is met. */
function row(what, ratio, op, target, detail) {
  const ok = op === '<=' ? ratio <= target : ratio >= target;
  rows.push({ what, ratio, op, target, ok });
  console.log(`${what.padEnd(46)} ${ratio.toFixed(2)}x  (target ${op} ${target}x) ${ok ? 'OK' : 'MISSED'}   ${detail}`);
}
const info = (what, detail) => console.log(`  ${what.padEnd(44)} ${detail}`);

/** Wall ms of a whole process (and peak RSS KiB with GNU time); throws on a non-zero exit. */
function run(cmd, args, stdinFile, env = process.env) {
  const fd = stdinFile ? openSync(stdinFile, 'r') : 'ignore';
  const [c, a] = GNU_TIME ? ['/usr/bin/time', ['-f', '@@%M', cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c, a, { stdio: [fd, 'ignore', 'pipe'], encoding: 'utf8', env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (typeof fd === 'number') closeSync(fd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const m = /@@(\d+)/.exec(r.stderr ?? '');
  return { ms, rss: m ? Number(m[1]) : NaN };
}

// What any Node MQTT client must do at least (bench/floor-pub.cjs), run as `node -e` text.
const FLOOR = readFileSync(join(here, 'floor-pub.cjs'), 'utf8');

async function startup(port, dir) {
  const p = String(port);
  // Node >= 22.1's own compile cache, for comparison with the hand-made one (src/launch/code-cache.ts).
  const nodeCache = join(dir, 'node-cc.cjs');
  writeFileSync(nodeCache, `require('module').enableCompileCache(${JSON.stringify(join(dir, 'ncc'))});\nrequire(${JSON.stringify(join(here, '..', 'dist', 'mqtt-pub.js'))});\n`);
  const pub = ['-p', p, '-t', 'bench/one', '-m', 'hello'];
  const cases = {
    base: [node, ['-e', '0']],
    dflt: [node, [pubBin, ...pub]],
    ip: [node, [pubBin, '-h', '127.0.0.1', ...pub]],
    floor: [node, ['-e', FLOOR, p, '127.0.0.1']],
    mosq: ['mosquitto_pub', pub],
    ...(typeof Module.enableCompileCache === 'function' ? { ncc: [node, [nodeCache, ...pub]] } : {}),
  };
  // A code cache of this run's own: one left by other runs (tests, other options) is not what a
  // user who publishes in a loop has. Each kind of run adds itself to it once (src/launch/code-cache.ts).
  const cacheHome = join(dir, 'xdg-cache');
  mkdirSync(cacheHome, { mode: 0o700 });
  const env = { ...process.env, XDG_CACHE_HOME: cacheHome };
  for (const k of Object.keys(cases)) cases[k].push(env);
  // NODE_EXTRA_CA_CERTS makes every node process load those certificates as it
  // starts (tens of ms for a system bundle), which inflates the baseline: where it
  // is set, the same cases run without it too, as most users' machines run them.
  const certs = process.env.NODE_EXTRA_CA_CERTS;
  if (certs) {
    const noCerts = { ...env };
    delete noCerts.NODE_EXTRA_CA_CERTS;
    for (const k of ['base', 'dflt', 'floor']) cases[`${k}NoCerts`] = [cases[k][0], cases[k][1], noCerts];
  }
  // Where the time goes: the same publish, one layer of ours at a time (bench/startup-layers.mjs).
  Object.assign(cases, await startupLayers(dir, port, env));
  const t = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const runCase = ([c, a, e]) => run(c, a, undefined, e);
  for (const k of ['dflt', 'ip', 'ncc']) if (cases[k]) runCase(cases[k]); // writes the cache; users run the rest
  // Interleaved, so drift in machine load hits every case alike.
  for (let i = 0; i < STARTUP_RUNS; i++) for (const [k, c] of Object.entries(cases)) t[k].push(runCase(c).ms);
  const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
  // Each ratio is the median of the rounds' own ratios: a case against the baseline
  // run moments before it. This machine slows down in bursts, and a burst that hits
  // more baseline samples than others moves a ratio of medians by 10% or more.
  const r = (k, base = 'base') => median(t[k].map((ms, i) => ms / t[base][i]));
  const ms = (k) => `${m[k].toFixed(1)} ms`;
  row('start-up, default host, vs node -e 0', r('dflt'), '<=', 1.15, `mqtt-pub ${ms('dflt')}, node -e 0 ${ms('base')} (${STARTUP_RUNS} rounds)`);
  info('with -h 127.0.0.1', `${r('ip').toFixed(2)}x (${ms('ip')})`);
  info('bare net.connect + CONNECT to 127.0.0.1 (floor)', `${r('floor').toFixed(2)}x (${ms('floor')})`);
  info('mosquitto_pub', ms('mosq'));
  info('where it goes, -h 127.0.0.1 (bench/startup-layers.mjs):', '');
  info('  bare net.connect + CONNECT (the floor)', `${r('floor').toFixed(2)}x (${ms('floor')})`);
  for (const [name, , what] of LAYERS) info(`  ${what}`, `${r(`layer-${name}`).toFixed(2)}x (${ms(`layer-${name}`)})`);
  info('  + the rest of mqtt-pub: mqtt-pub -h 127.0.0.1', `${r('ip').toFixed(2)}x (${ms('ip')})`);
  if (m.ncc) info('with module.enableCompileCache instead', `${r('ncc').toFixed(2)}x (${ms('ncc')})`);
  if (certs) {
    info(`NODE_EXTRA_CA_CERTS=${certs} is set here; without it:`, `node -e 0 ${ms('baseNoCerts')}`);
    info('  mqtt-pub, default host', `${r('dfltNoCerts', 'baseNoCerts').toFixed(2)}x (${ms('dfltNoCerts')})`);
    info('  bare net.connect + CONNECT (floor)', `${r('floorNoCerts', 'baseNoCerts').toFixed(2)}x (${ms('floorNoCerts')})`);
  }
}

let seq = 0;
/**
 * Spawns a subscriber for LINES messages; resolves once the broker logged its subscription.
 * `timed`: under GNU time, so that done() also gives its CPU time in ms (not for
 * a subscriber to be stopped: SIGSTOP would stop time, not the subscriber).
 */
async function subscriber(broker, cmd, args, topic, timed) {
  const id = `b14-${process.pid}-${++seq}`;
  const subArgs = [...args, '-p', String(broker.port), '-i', id, '-t', topic, '-C', String(LINES)];
  const [c, a] = timed && GNU_TIME ? ['/usr/bin/time', ['-f', '@@cpu %U %S', cmd, ...subArgs]] : [cmd, subArgs];
  const sub = spawn(c, a, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  sub.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => sub.on('close', (code) => r(code)));
  const end = Date.now() + 10_000;
  while (!broker.log().includes(`${id} 0 ${topic}`)) {
    if (Date.now() > end) throw new Error(`${cmd} did not subscribe: ${err}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const timer = setTimeout(() => sub.kill('SIGKILL'), 90_000);
  return {
    proc: sub,
    done: () =>
      exited.then((code) => {
        clearTimeout(timer);
        if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`);
        const cpu = /@@cpu ([\d.]+) ([\d.]+)/.exec(err);
        return cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN;
      }),
  };
}

/** ms a process has spent on a CPU (Linux: /proc/<pid>/schedstat), NaN elsewhere. */
function cpuMs(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

/**
 * Until the subscriber has all LINES: publisher and subscriber live at once (or
 * the subscriber stopped, `backlog`). Wall ms, and the CPU ms of the broker and
 * (unless backlog) of the subscriber meanwhile.
 */
async function stream(broker, input, [pubCmd, pubArgs], [subCmd, subArgs], topic, backlog = false) {
  const sub = await subscriber(broker, subCmd, subArgs, topic, !backlog);
  if (backlog) sub.proc.kill('SIGSTOP');
  const fd = openSync(input, 'r');
  let t0 = process.hrtime.bigint();
  let broker0 = cpuMs(broker.pid);
  const pub = spawn(pubCmd, [...pubArgs, '-p', String(broker.port), '-t', topic, '-l'], { stdio: [fd, 'ignore', 'inherit'] });
  closeSync(fd);
  const published = new Promise((r) => pub.on('close', r));
  if (backlog) {
    await published;
    await new Promise((r) => setTimeout(r, 300)); // let the broker queue the tail
    t0 = process.hrtime.bigint();
    broker0 = cpuMs(broker.pid);
    sub.proc.kill('SIGCONT');
  }
  const subCpu = await sub.done();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const brokerCpu = cpuMs(broker.pid) - broker0;
  if ((await published) !== 0) throw new Error(`${pubCmd} -l failed`);
  return { ms, brokerCpu, subCpu };
}

async function streams(broker, input) {
  const ourPub = [node, [pubBin]];
  const ourSub = [node, [subBin]];
  const mPub = ['mosquitto_pub', []];
  const mSub = ['mosquitto_sub', []];
  const v = ([c, a]) => [c, [...a, '-v']];
  const t = { pairO: [], pairM: [], liveO: [], liveM: [], liveF: [], liveP: [], backO: [], backM: [] };
  // Each pair of cases runs back to back, mosquitto's first in even rounds and ours
  // first in odd ones, so neither always meets the broker as the other left it.
  const both = async (i, [kM, kO], m, o) => {
    for (const [k, f] of i % 2 ? [[kO, o], [kM, m]] : [[kM, m], [kO, o]]) t[k].push(await f());
  };
  for (let i = 0; i < RUNS; i++) {
    await both(i, ['pairM', 'pairO'], () => stream(broker, input, mPub, mSub, `b14/${i}/pm`), () => stream(broker, input, ourPub, ourSub, `b14/${i}/po`));
    await both(i, ['liveM', 'liveO'], () => stream(broker, input, mPub, v(mSub), `b14/${i}/lm`), () => stream(broker, input, mPub, v(ourSub), `b14/${i}/lo`));
    t.liveF.push(await stream(broker, input, mPub, [node, [floorSub]], `b14/${i}/lf`));
    t.liveP.push(await stream(broker, input, mPub, [node, [floorSub, '--pace']], `b14/${i}/lp`));
    await both(
      i,
      ['backM', 'backO'],
      () => stream(broker, input, mPub, v(mSub), `b14/${i}/bm`, true),
      () => stream(broker, input, mPub, v(ourSub), `b14/${i}/bo`, true),
    );
  }
  const m = Object.fromEntries(Object.entries(t).map(([k, xs]) => [k, median(xs.map((x) => x.ms))]));
  // Ratios are medians of each round's own ratio (see startup), with their spread.
  const ratios = (a, b) => t[a].map((x, i) => x.ms / t[b][i].ms);
  const spread = (xs) => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;
  const rate = (ms) => `${Math.round(LINES / (ms / 1000)).toLocaleString('en-US')}/s`;
  const pair = ratios('pairO', 'pairM');
  const live = ratios('liveM', 'liveO');
  row(`pub -l ${LINES / 1000}k -> sub -C pair vs mosquitto pair`, median(pair), '<=', 1.0, `ours ${m.pairO.toFixed(0)} ms, mosquitto ${m.pairM.toFixed(0)} ms (${RUNS} rounds, ${spread(pair)})`);
  row('mqtt-sub -v live stream vs mosquitto_sub', median(live), '>=', 1.1, `throughput ${rate(m.liveO)} vs ${rate(m.liveM)} (${spread(live)})`);
  // The live stream is the broker's pace: its CPU per message hardly depends on the
  // subscriber, so a subscriber can only gain the time the broker waits for a CPU.
  const cpu = (k, f) => median(t[k].map((x) => x[f]));
  const us = (k, f) => `${((cpu(k, f) * 1000) / LINES).toFixed(2)}`;
  info('CPU us/message: broker / subscriber (and its start)', `mqtt-sub ${us('liveO', 'brokerCpu')} / ${us('liveO', 'subCpu')}, mosquitto_sub ${us('liveM', 'brokerCpu')} / ${us('liveM', 'subCpu')}, paced bare ${us('liveP', 'brokerCpu')} / ${us('liveP', 'subCpu')}`);
  info('broker busy, share of the stream', `mqtt-sub ${((cpu('liveO', 'brokerCpu') / m.liveO) * 100).toFixed(0)}%, mosquitto_sub ${((cpu('liveM', 'brokerCpu') / m.liveM) * 100).toFixed(0)}%`);
  info('a bare Node subscriber, paced as mqtt-sub (floor)', `${median(ratios('liveM', 'liveP')).toFixed(2)}x: ${rate(m.liveP)}`);
  info('the same unpaced (mqtt-sub before pacing)', `${median(ratios('liveM', 'liveF')).toFixed(2)}x: ${rate(m.liveF)}`);
  info('-v backlog (throughput ratio)', `${median(ratios('backM', 'backO')).toFixed(2)}x: ${rate(m.backO)} vs ${rate(m.backM)}`);
}

function rss(port, input) {
  if (!GNU_TIME) return console.log('pub -l peak RSS: n/a (GNU time is not installed at /usr/bin/time)');
  const base = median(Array.from({ length: 3 }, () => run(node, ['-e', '0']).rss));
  const mosq = run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'b14/rss', '-l'], input).rss;
  for (const q of ['0', '1', '2']) {
    const r = median(Array.from({ length: 3 }, () => run(node, [pubBin, '-h', '127.0.0.1', '-p', String(port), '-t', 'b14/rss', '-l', '-q', q], input).rss));
    row(`pub -l ${LINES / 1000}k peak RSS vs node -e 0, QoS ${q}`, r / base, '<=', 1.6, `${(r / 1024).toFixed(1)} MiB vs ${(base / 1024).toFixed(1)} MiB`);
  }
  info('mosquitto_pub -l QoS 0', `${(mosq / base).toFixed(2)}x (${(mosq / 1024).toFixed(1)} MiB)`);
}

function passwd() {
  const r = spawnSync(node, [join(here, 'passwd-large.bench.mjs')], { encoding: 'utf8', env: { ...process.env, BENCH_PASSWD_LARGE_RUNS: process.env.BENCH_PASSWD_LARGE_RUNS ?? '2' } });
  const m = /ratio ([\d.]+)x/.exec(r.stdout ?? '');
  if (r.status !== 0 || !m) throw new Error(`passwd-large.bench.mjs failed: ${r.stderr}`);
  row('mqtt-passwd 1M users, add one, vs mosquitto_passwd', Number(m[1]), '<=', 1.5, r.stdout.split('\n')[0].replace(/^add one user to \d+ users: /, ''));
  const peak = /peak RSS: (.*)/.exec(r.stdout);
  if (peak) info('peak RSS', peak[1]);
}

async function main() {
  console.log(`Node ${process.version}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench14-'));
  // Unlimited queues: a QoS 0 stream must reach a momentarily slow subscriber whole.
  const broker = await startBenchBroker(dir, ['max_queued_messages 0', 'max_queued_bytes 0', 'log_dest stderr', 'log_type subscribe']);
  try {
    const input = join(dir, 'lines.txt');
    const lines = [];
    for (let i = 0; i < LINES; i++) lines.push(`sensor reading ${i} value ${(i * 7) % 1000}`);
    writeFileSync(input, `${lines.join('\n')}\n`);
    if (!process.env.BENCH_SKIP_STARTUP) await startup(broker.port, dir);
    if (!process.env.BENCH_SKIP_STREAMS) await streams(broker, input);
    if (!process.env.BENCH_SKIP_RSS) rss(broker.port, input);
  } finally {
    broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (!process.env.BENCH_SKIP_PASSWD) passwd();
  const missed = rows.filter((r) => !r.ok).length;
  console.log(`${rows.length - missed} of ${rows.length} rows at or beyond target`);
}

runBench(main);
