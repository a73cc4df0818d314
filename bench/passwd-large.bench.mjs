// mqtt-passwd on a large file, as a ratio against mosquitto_passwd in the same run:
//   add one user (-b, 101 PBKDF2 iterations as mosquitto 2.0) to a 1,000,000-user file,
//   whole process, best of N runs each on a fresh copy          (target <= 1.5x its time)
//   peak RSS at 100,000 and 1,000,000 users                     (target: flat, not growing with the file)
// CPU time and peak RSS need GNU time (/usr/bin/time); wall time is always measured.
// Needs `npm run build` first and mosquitto_passwd on PATH.
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'mqtt-passwd.js');
const USERS = Number(process.env.BENCH_PASSWD_LARGE_USERS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_PASSWD_LARGE_RUNS ?? 3);
const TARGET = 1.5;
const GNU_TIME = spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status === 0;

if (spawnSync('mosquitto_passwd', []).error) {
  console.error('mosquitto_passwd not found: install mosquitto (npm run setup)');
  process.exit(1);
}

/** `users` lines shaped as mosquitto 2.0 writes them (random salt and key: hashing a million would take minutes). */
function makeFile(path, users) {
  const fd = openSync(path, 'w', 0o600);
  let batch = [];
  for (let i = 0; i < users; i++) {
    batch.push(`user${i}:$7$101$${randomBytes(12).toString('base64')}$${randomBytes(64).toString('base64')}\n`);
    if (batch.length === 10_000 || i === users - 1) {
      writeSync(fd, batch.join(''));
      batch = [];
    }
  }
  closeSync(fd);
}

/** One run on a fresh copy: wall ms, CPU ms and peak RSS KiB (when GNU time is here). */
function run(cmd, args, source, file) {
  copyFileSync(source, file);
  const [c, a] = GNU_TIME ? ['/usr/bin/time', ['-f', '@@%U %S %M', cmd, ...args, file, 'newuser', 'pw']] : [cmd, [...args, file, 'newuser', 'pw']];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c, a, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${r.stderr}`);
  if (statSync(file).size <= statSync(source).size) throw new Error(`${cmd} did not grow the file`);
  const m = /@@([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, rss: m ? Number(m[3]) : NaN };
}

const dir = mkdtempSync(join(tmpdir(), 'mqtt-passwd-large-'));
const small = join(dir, 'small');
const large = join(dir, 'large');
const ours = [];
const theirs = [];
let smallRss;
try {
  makeFile(small, USERS / 10);
  makeFile(large, USERS);
  smallRss = run(process.execPath, [bin, '-I', '101', '-b'], small, join(dir, 'o')).rss;
  // Interleaved so machine noise hits both sides alike.
  for (let i = 0; i < RUNS; i++) {
    theirs.push(run('mosquitto_passwd', ['-b'], large, join(dir, 'm')));
    ours.push(run(process.execPath, [bin, '-I', '101', '-b'], large, join(dir, 'o')));
  }
  const tail = readFileSync(join(dir, 'o'), 'latin1').slice(-200);
  if (!/\nnewuser:\$7\$101\$[^\n]+\n$/.test(tail)) throw new Error('mqtt-passwd did not add the user');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const best = (a, k) => Math.min(...a.map((r) => r[k]));
const fmt = (n, unit) => (Number.isNaN(n) ? 'n/a' : `${n.toFixed(0)} ${unit}`);
const ratio = best(ours, 'wall') / best(theirs, 'wall');
console.log(`add one user to ${USERS} users: mqtt-passwd ${fmt(best(ours, 'wall'), 'ms')}, mosquitto_passwd ${fmt(best(theirs, 'wall'), 'ms')} wall (best of ${RUNS})`);
console.log(`ratio ${ratio.toFixed(2)}x (target <= ${TARGET}x) ${ratio <= TARGET ? 'OK' : 'SLOWER THAN TARGET'}`);
if (GNU_TIME) {
  console.log(`CPU time: mqtt-passwd ${fmt(best(ours, 'cpu'), 'ms')}, mosquitto_passwd ${fmt(best(theirs, 'cpu'), 'ms')}; ratio ${(best(ours, 'cpu') / best(theirs, 'cpu')).toFixed(2)}x`);
  console.log(`peak RSS: mqtt-passwd ${fmt(smallRss / 1024, 'MB')} at ${USERS / 10} users, ${fmt(best(ours, 'rss') / 1024, 'MB')} at ${USERS}; mosquitto_passwd ${fmt(best(theirs, 'rss') / 1024, 'MB')}`);
} else {
  console.log('CPU time and peak RSS: n/a (GNU time is not installed at /usr/bin/time)');
}
