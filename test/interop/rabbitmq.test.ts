// Against RabbitMQ 3.x's MQTT plugin (issue 11): the broker that answers a
// QoS 2 PUBLISH with PUBACK. Opt-in (it takes ~20 s to start): run with
// `npm run test:rabbitmq` (MQTT_CLI_RABBITMQ=1); it then fails loudly when
// rabbitmq-server is missing.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRabbitmq, type RabbitBroker } from '../helpers/rabbitmq-broker.js';
import { PUB_BIN, requireBuild, run, type RunResult } from '../e2e/pub-run.js';
import { SUB_BIN } from '../e2e/sub-helpers.js';

const wanted = process.env.MQTT_CLI_RABBITMQ === '1';
const at = (port: number): string[] => ['-h', '127.0.0.1', '-p', String(port)];
const pub = (args: string[], stdin?: string): Promise<RunResult> => run(process.execPath, [PUB_BIN, ...args], stdin === undefined ? {} : { stdin });

describe.runIf(wanted)('RabbitMQ (MQTT 3.1.1)', () => {
  let rabbit: RabbitBroker;
  beforeAll(async () => {
    requireBuild();
    rabbit = await startRabbitmq();
  }, 120_000);
  afterAll(async () => rabbit?.stop(), 30_000);

  for (const qos of ['0', '1']) {
    it(`QoS ${qos}: publish → subscribe`, async () => {
      const topic = `interop/rabbit/q${qos}`;
      const child = spawn(process.execPath, [SUB_BIN, ...at(rabbit.mqttPort), '-t', topic, '-q', qos, '-C', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const status = new Promise<number | null>((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, 1500)); // no subscription event to wait on
      expect(await pub([...at(rabbit.mqttPort), '-t', topic, '-q', qos, '-m', 'hop'])).toMatchObject({ status: 0, stderr: '' });
      expect(await status).toBe(0);
      expect(out).toBe('hop\n');
    });
  }

  for (const mode of [['-m', 'x'], ['-l']]) {
    it(`QoS 2 ${mode[0]}: PUBACK instead of PUBREC is a protocol error, status 2 at once (as mosquitto_pub), not a hang`, async () => {
      const started = Date.now();
      const r = await pub([...at(rabbit.mqttPort), '-t', 'interop/rabbit/q2', '-q', '2', ...mode], 'x\n');
      expect(r.stderr).toBe('Error: protocol error: PUBACK for packet id 1, a QoS 2 message that expects PUBREC\n');
      expect(r.status).toBe(2);
      expect(Date.now() - started).toBeLessThan(5000);
    });
  }
});
