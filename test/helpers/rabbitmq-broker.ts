// RabbitMQ 3.x with its MQTT plugin (Debian's rabbitmq-server), started on free
// loopback ports in a throw-away directory: the strictest broker about QoS 2
// (3.10 answers a QoS 2 PUBLISH with PUBACK). It needs ~20 s to start, so its
// suite runs only on request: `npm run test:rabbitmq`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './broker.js';

const SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';

export interface RabbitBroker {
  mqttPort: number;
  stop(): Promise<void>;
}

export function requireRabbitmq(): void {
  if (!existsSync(SERVER)) throw new Error('rabbitmq-server is not installed: `sudo apt-get install rabbitmq-server` (the MQTT plugin ships with it).');
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export async function startRabbitmq(): Promise<RabbitBroker> {
  requireRabbitmq();
  const dir = mkdtempSync(join(tmpdir(), 'rabbitmq-'));
  for (const d of ['mnesia', 'log']) mkdirSync(join(dir, d));
  const [amqp, dist, mqttPort] = [await freePort(), await freePort(), await freePort()];
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_mqtt].\n');
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    [`listeners.tcp.default = 127.0.0.1:${amqp}`, `mqtt.listeners.tcp.default = 127.0.0.1:${mqttPort}`, 'mqtt.allow_anonymous = true', 'loopback_users = none', ''].join('\n'),
  );
  const child: ChildProcess = spawn(SERVER, [], {
    env: {
      ...process.env,
      HOME: dir, // the Erlang cookie goes here
      RABBITMQ_NODENAME: `mqttcli${process.pid}@localhost`,
      RABBITMQ_DIST_PORT: String(dist),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 90_000;
  while (!(await listening(mqttPort))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`rabbitmq-server did not start (logs in ${join(dir, 'log')})`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    mqttPort,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
