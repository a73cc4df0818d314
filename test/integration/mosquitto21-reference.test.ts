// The Mosquitto 2.1 reference build is there and works: its broker starts from
// startBroker({ mosquitto21: true }) and its mosquitto_pub/sub (on its own libmosquitto,
// not Debian's 2.0 one) talk to it. Tests of argon2id, mqtt-rr and 2.1 options build on this.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../helpers/broker.js';
import { mosquitto21, type Mosquitto21 } from '../helpers/mosquitto21.js';

let m: Mosquitto21;
let broker: Broker;

beforeAll(async () => {
  m = mosquitto21();
  broker = await startBroker({ mosquitto21: true });
});

afterAll(async () => {
  await broker?.stop();
});

function run(tool: 'mosquitto_pub' | 'mosquitto_sub', args: string[]) {
  return spawnSync(m.bin(tool), ['-h', '127.0.0.1', '-p', String(broker.port), ...args], {
    encoding: 'utf8',
    env: m.env,
    timeout: 10_000,
  });
}

describe('Mosquitto 2.1 reference build', () => {
  it('runs the 2.1 broker', () => {
    expect(broker.log()).toMatch(/mosquitto version 2\.1\.\d+ (starting|running)/);
  });

  it('runs the 2.1 clients on the 2.1 library', () => {
    const r = spawnSync(m.bin('mosquitto_sub'), ['--help'], { encoding: 'utf8', env: m.env });
    expect(`${r.stdout}${r.stderr}`).toMatch(/mosquitto_sub version 2\.1\.\d+ running on libmosquitto 2\.1\.\d+/);
  });

  it('carries a message from the 2.1 mosquitto_pub through the broker to the 2.1 mosquitto_sub', () => {
    const pub = run('mosquitto_pub', ['-V', '5', '-t', 'ref21/smoke', '-m', 'hello 2.1', '-q', '1', '-r']);
    expect(pub.status, pub.stderr).toBe(0);
    const sub = run('mosquitto_sub', ['-V', '5', '-t', 'ref21/#', '-C', '1', '-W', '5', '-F', '%t %p %l']);
    expect(sub.status, sub.stderr).toBe(0);
    expect(sub.stdout).toBe('ref21/smoke hello 2.1 9\n');
  });
});
