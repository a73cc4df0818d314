// Shared by the mqtt-sub end-to-end suites: spawn `node bin/mqtt-sub.js` (the
// built bundle) or mosquitto's own clients against a real broker, and collect
// stdout bytes, stderr and the exit status.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Broker } from '../helpers/broker.js';
import { mosquitto21 } from '../helpers/mosquitto21.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SUB_BIN = join(ROOT, 'bin', 'mqtt-sub.js');

export function requireBuild(): void {
  if (!existsSync(join(ROOT, 'dist', 'mqtt-sub.js'))) {
    throw new Error('dist/mqtt-sub.js is missing: run `npm run build` first (npm test does).');
  }
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export interface Running {
  proc: ChildProcess;
  stdout(): Buffer;
  stderr(): string;
  done: Promise<Finished>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** Kill after this many ms (the test then sees signal SIGKILL). */
  killAfterMs?: number;
  stdio?: 'pipe' | 'ignore-stdin';
}

function track(proc: ChildProcess, killAfterMs: number): Running {
  const out: Buffer[] = [];
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => out.push(d));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
  const done = new Promise<Finished>((resolve) => {
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err });
    });
  });
  return { proc, stdout: () => Buffer.concat(out), stderr: () => err, done };
}

/** Isolated environment: no options file from the user's home, fixed zone, no colour. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: '/nonexistent-mqtt-sub-test', TZ: 'UTC', NO_COLOR: '1' };
  delete env.MQTT_PASSWORD;
  delete env.FORCE_COLOR;
  return { ...env, ...extra };
}

export function runSub(args: string[], o: SpawnOptions = {}): Running {
  requireBuild();
  const proc = spawn(process.execPath, [SUB_BIN, ...args], { env: o.env ?? testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  return track(proc, o.killAfterMs ?? 20_000);
}

/** Debian's mosquitto_sub 2.0.11, or (`o.v21`) the 2.1 reference build. */
export function runMosquittoSub(args: string[], o: SpawnOptions & { v21?: boolean } = {}): Running {
  let cmd = 'mosquitto_sub';
  let env = o.env ?? testEnv();
  if (o.v21) {
    const m = mosquitto21();
    cmd = m.bin('mosquitto_sub');
    env = { ...env, LD_LIBRARY_PATH: m.env.LD_LIBRARY_PATH };
  }
  const proc = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return track(proc, o.killAfterMs ?? 20_000);
}

/** mosquitto_pub, synchronously; `input` goes to stdin (use with -s or -l). */
export function mosquittoPub(port: number, args: string[], input?: Buffer | string): void {
  const r = spawnSync('mosquitto_pub', ['-p', String(port), ...args], { input, timeout: 10_000 });
  if (r.status !== 0) throw new Error(`mosquitto_pub ${args.join(' ')} failed (${r.status}): ${r.stderr?.toString()}`);
}

/** Waits until the broker has sent a SUBACK to each client id (from its log). */
export async function waitForSuback(broker: Broker, ids: string[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const log = broker.log();
    if (ids.every((id) => log.includes(`Sending SUBACK to ${id}`))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  const log = broker.log();
  const missing = ids.filter((id) => !log.includes(`Sending SUBACK to ${id}`));
  throw new Error(`no SUBACK for ${missing.join(', ')} within ${timeoutMs} ms:\n${log.slice(-2000)}`);
}

let seq = 0;
/** A unique client id / topic prefix per use (one broker is shared by a suite). */
export function unique(prefix: string): string {
  return `${prefix}-${process.pid}-${++seq}`;
}

/**
 * A scripted fake broker (built on our codec) for misbehaviour a real broker
 * won't produce. `onPacket` gets each decoded client packet, a raw writer and
 * a way to drop that client's connection.
 */
export async function startFakeBroker(
  onPacket: (p: import('../../src/codec/types.js').Packet, send: (bytes: Buffer) => void, drop: () => void) => void,
  version: 3 | 4 | 5 = 4,
): Promise<{ port: number; close(): Promise<void> }> {
  const { createServer } = await import('node:net');
  const { FrameDecoder } = await import('../../src/codec/index.js');
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    const dec = new FrameDecoder({ version });
    sock.on('data', (d: Buffer) => {
      try {
        for (const p of dec.push(d)) onPacket(p, (b) => sock.write(b), () => sock.destroy());
      } catch {
        sock.destroy();
      }
    });
    sock.on('error', () => {});
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => r());
      }),
  };
}
