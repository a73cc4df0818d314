// mqtt-passwd benchmark, as a ratio against mosquitto_passwd in the same run:
//   -U on a 5,000-user plain-text file with mosquitto 2.0's parameters (-I 101),
//   whole process, best of N runs each on a fresh copy       (target <= 1.5x its time)
// Needs `npm run build` first and mosquitto_passwd on PATH.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'mqtt-passwd.js');
const USERS = Number(process.env.BENCH_PASSWD_USERS ?? 5_000);
const RUNS = Number(process.env.BENCH_PASSWD_RUNS ?? 5);
const TARGET = 1.5;

const probe = spawnSync('mosquitto_passwd', [], { encoding: 'utf8' });
if (probe.error) {
  console.error('mosquitto_passwd not found: install mosquitto (npm run setup)');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'mqtt-passwd-bench-'));
const plain = join(dir, 'plain');
writeFileSync(plain, Array.from({ length: USERS }, (_, i) => `user${i}:password-${i}\n`).join(''));

/** Wall time of one run on a fresh copy of the plain file, in ms; checks it really hashed. */
function timeRun(cmd, args, file) {
  copyFileSync(plain, file);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, [...args, file], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${r.stderr}`);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  if (lines.length !== USERS || !lines.every((l) => l.includes(':$7$101$'))) throw new Error(`${cmd} did not hash every line`);
  return ms;
}

const ours = [];
const theirs = [];
try {
  // Interleaved so machine noise hits both sides alike.
  for (let i = 0; i < RUNS; i++) {
    theirs.push(timeRun('mosquitto_passwd', ['-U'], join(dir, `m${i}`)));
    ours.push(timeRun(process.execPath, [bin, '-I', '101', '-U'], join(dir, `o${i}`)));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const best = (a) => Math.min(...a);
const ratio = best(ours) / best(theirs);
console.log(`-U ${USERS} users, -I 101: mqtt-passwd ${best(ours).toFixed(0)} ms, mosquitto_passwd ${best(theirs).toFixed(0)} ms (best of ${RUNS})`);
console.log(`ratio ${ratio.toFixed(2)}x (target <= ${TARGET}x) ${ratio <= TARGET ? 'OK' : 'SLOWER THAN TARGET'}`);
