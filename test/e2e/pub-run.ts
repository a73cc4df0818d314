// Spawns bin/mqtt-pub.js (the built bundle) or mosquitto_pub and collects
// stdout (bytes), stderr and the exit status.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const PUB_BIN = join(ROOT, 'bin', 'mqtt-pub.js');

export interface RunResult {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

export interface RunOptions {
  stdin?: Buffer | string;
  /** A descriptor to give the child as its stdin instead of a pipe (a file, as `< file` does). */
  stdinFd?: number;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export function requireBuild(): void {
  if (!existsSync(join(ROOT, 'dist', 'mqtt-pub.js'))) throw new Error('dist/mqtt-pub.js is missing: run `npm run build` first');
}

export function run(cmd: string, args: string[], o: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // No options file, ambient password or colour settings unless the test sets them.
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: join(ROOT, 'test', 'fixtures', 'no-config') };
    delete env.MQTT_PASSWORD;
    delete env.FORCE_COLOR;
    delete env.NO_COLOR;
    Object.assign(env, o.env);
    const child = spawn(cmd, args, { env, stdio: [o.stdinFd ?? 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin?.on('error', () => {}); // the tool may exit before reading stdin
    child.stdin?.end(o.stdin ?? '');
  });
}

export const pub = (args: string[], o: RunOptions = {}): Promise<RunResult> => run(process.execPath, [PUB_BIN, ...args], o);
