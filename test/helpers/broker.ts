// Starts the real mosquitto binary on free loopback ports with a generated
// config, one broker per suite. Suites that need it fail loudly (with an
// install hint) when mosquitto is missing: they never pass silently.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCerts, type TestCerts } from './certs.js';
import { mosquitto21 } from './mosquitto21.js';

export interface BrokerOptions {
  tls?: boolean; // TLS listener (tlsPort), and a client-cert-required one (mtlsPort)
  ws?: boolean; // WebSocket listener (wsPort), plus wssPort when tls is also set
  unix?: boolean; // unix socket listener (unixPath)
  ipv6?: boolean; // plain listener on ::1 (ipv6Port)
  passwordFile?: string; // password_file listener with allow_anonymous false (authPort)
  /** Extra lines for the plain listener section (e.g. 'max_packet_size 100'). */
  config?: string[];
  /** Extra global lines, written before any listener (e.g. 'max_inflight_messages 1'). */
  global?: string[];
  /** Run the Mosquitto 2.1 reference broker (vendor/, built by `npm run setup`) instead of Debian's 2.0. */
  mosquitto21?: boolean;
}

export interface Broker {
  port: number;
  tlsPort: number;
  mtlsPort: number;
  wsPort: number;
  wssPort: number;
  ipv6Port: number;
  authPort: number;
  unixPath: string;
  certs: TestCerts;
  dir: string;
  log(): string;
  reload(): void;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

// Debian installs the broker in /usr/sbin, which is not on a normal user's PATH.
const MOSQUITTO = process.env.MOSQUITTO_BIN ?? (existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto');

export function mosquittoAvailable(): boolean {
  const r = spawnSync(MOSQUITTO, ['-h'], { encoding: 'utf8' });
  return r.error === undefined && /mosquitto version/.test(`${r.stdout}${r.stderr}`);
}

export function requireMosquitto(): void {
  if (!mosquittoAvailable()) {
    throw new Error(
      'mosquitto is not installed: these tests need the real broker. Install it with `sudo apt-get install mosquitto mosquitto-clients` (or run `npm run setup`).',
    );
  }
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function buildConfig(o: BrokerOptions, b: Omit<Broker, 'log' | 'reload' | 'restart' | 'stop'>): string {
  const lines: string[] = ['per_listener_settings true', 'log_dest stderr', 'log_type all', 'persistence false'];
  // mosquitto drops privileges to 'mosquitto' when started as root; keep root so it can read our temp files.
  if (process.getuid?.() === 0) lines.push('user root');
  lines.push(...(o.global ?? []));
  lines.push(`listener ${b.port} 127.0.0.1`, 'allow_anonymous true', ...(o.config ?? []));
  const tlsFiles = [`cafile ${b.certs.ca}`, `certfile ${b.certs.serverCert}`, `keyfile ${b.certs.serverKey}`];
  if (o.tls) {
    lines.push(`listener ${b.tlsPort} 127.0.0.1`, 'allow_anonymous true', ...tlsFiles);
    lines.push(`listener ${b.mtlsPort} 127.0.0.1`, 'allow_anonymous true', ...tlsFiles, 'require_certificate true');
  }
  if (o.ws) lines.push(`listener ${b.wsPort} 127.0.0.1`, 'protocol websockets', 'allow_anonymous true');
  if (o.ws && o.tls) lines.push(`listener ${b.wssPort} 127.0.0.1`, 'protocol websockets', 'allow_anonymous true', ...tlsFiles);
  if (o.ipv6) lines.push(`listener ${b.ipv6Port} ::1`, 'allow_anonymous true');
  if (o.unix) lines.push(`listener 0 ${b.unixPath}`, 'allow_anonymous true');
  if (o.passwordFile) {
    lines.push(`listener ${b.authPort} 127.0.0.1`, `password_file ${o.passwordFile}`, 'allow_anonymous false');
  }
  return `${lines.join('\n')}\n`;
}

// The program and environment to run: Debian's broker, or the 2.1 build (which throws a setup hint when absent).
function brokerCommand(o: BrokerOptions): { bin: string; env: NodeJS.ProcessEnv } {
  if (!o.mosquitto21) {
    requireMosquitto();
    return { bin: MOSQUITTO, env: process.env };
  }
  const m = mosquitto21();
  return { bin: m.bin('mosquitto'), env: m.env };
}

export async function startBroker(o: BrokerOptions = {}): Promise<Broker> {
  const cmd = brokerCommand(o);
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-cli-broker-'));
  const certs = o.tls ? testCerts() : ({} as TestCerts);
  // Each port is free when asked for, but the kernel may hand the same one out twice in a row: no repeats.
  const taken = new Set<number>();
  const distinct = async (host?: string): Promise<number> => {
    for (;;) {
      const p = await freePort(host);
      if (!taken.has(p)) return taken.add(p), p;
    }
  };
  const ports = {
    port: await distinct(),
    tlsPort: o.tls ? await distinct() : 0,
    mtlsPort: o.tls ? await distinct() : 0,
    wsPort: o.ws ? await distinct() : 0,
    wssPort: o.ws && o.tls ? await distinct() : 0,
    ipv6Port: o.ipv6 ? await distinct('::1') : 0,
    authPort: o.passwordFile ? await distinct() : 0,
  };
  const unixPath = o.unix ? join(dir, 'mqtt.sock') : '';
  const confPath = join(dir, 'mosquitto.conf');
  writeFileSync(confPath, buildConfig(o, { ...ports, unixPath, certs, dir }));

  let child: ChildProcess | undefined;
  // The log goes to a file, not a pipe: a test that blocks its event loop (spawnSync in a
  // loop) would stop draining a pipe, and the broker would stall writing its log to it.
  const logPath = join(dir, 'mosquitto.log');
  const logText = (): string => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');
  const launch = async (): Promise<void> => {
    const fd = openSync(logPath, 'a');
    const proc = spawn(cmd.bin, ['-c', confPath], { env: cmd.env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child = proc;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`mosquitto exited (${proc.exitCode}) during start-up:\n${logText()}`);
      if (await canConnect(ports.port, '127.0.0.1')) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    proc.kill('SIGKILL');
    throw new Error(`mosquitto did not start listening within 10 s:\n${logText()}`);
  };
  const stopChild = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => proc.kill('SIGKILL'), 3_000);
      proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  };
  await launch();
  return {
    ...ports,
    unixPath,
    certs,
    dir,
    log: logText,
    reload: () => void child?.kill('SIGHUP'),
    restart: async () => {
      await stopChild();
      await launch();
    },
    stop: async () => {
      await stopChild();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
