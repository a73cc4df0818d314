// Shared by the mqtt-passwd end-to-end suites: run `node bin/mqtt-passwd.js`
// (the built bundle) or mosquitto_passwd, in a scratch directory.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PASSWD_BIN = join(ROOT, 'bin', 'mqtt-passwd.js');

export function requireBuild(): void {
  if (!existsSync(join(ROOT, 'dist', 'mqtt-passwd.js'))) {
    throw new Error('dist/mqtt-passwd.js is missing: run `npm run build` first (npm test does).');
  }
}

export function requireMosquittoPasswd(): void {
  if (spawnSync('mosquitto_passwd', []).error) {
    throw new Error('mosquitto_passwd is not installed: these tests compare against it. Install mosquitto (npm run setup).');
  }
}

export interface Result {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const cleanEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const env = { ...process.env, ...extra };
  if (!('MQTT_PASSWD_FAULT' in extra)) delete env.MQTT_PASSWD_FAULT;
  return env;
};

export function ours(args: string[], o: RunOptions = {}): Result {
  const r = spawnSync(process.execPath, [PASSWD_BIN, ...args], { input: o.input ?? '', env: cleanEnv(o.env), cwd: o.cwd, encoding: 'utf8' });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function theirs(args: string[], o: RunOptions = {}): Result {
  const r = spawnSync('mosquitto_passwd', args, { input: o.input ?? '', cwd: o.cwd, encoding: 'utf8' });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Runs ours asynchronously (for concurrency tests). */
export function oursAsync(args: string[], o: RunOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [PASSWD_BIN, ...args], { env: cleanEnv(o.env), cwd: o.cwd });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
    p.stdin.end(o.input ?? '');
  });
}

export function scratchDir(): { dir: string; path(name: string): string; files(): string[]; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-passwd-e2e-'));
  return {
    dir,
    path: (name) => join(dir, name),
    files: () => readdirSync(dir).sort(),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Lines of a password file as "user:hash" strings. */
export const fileLines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
