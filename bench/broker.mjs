// Pieces the benchmarks share: a throw-away mosquitto on a free loopback port,
// and how a bench's main runs (not a bench itself: bench/run.mjs runs only *.bench.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts mosquitto with `extra` config lines; resolves once it answers a publish. */
export async function startBenchBroker(dir, extra = []) {
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  const lines = [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', ...extra];
  if (process.getuid?.() === 0) lines.push('user root');
  writeFileSync(conf, `${lines.join('\n')}\n`);
  const bin = existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';
  const proc = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => (log += d.toString()));
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const r = spawnSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'bench/ping', '-n']);
    if (r.status === 0) return { port, pid: proc.pid, log: () => log, stop: () => proc.kill('SIGTERM') };
  }
  proc.kill('SIGKILL');
  throw new Error(`mosquitto did not start:\n${log}`);
}

/** Runs a bench's async main: exit 0 when it finishes, 1 (with the error) when it throws. */
export function runBench(main) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
