// What the broker announces in CONNACK (v5) is enforced before sending: a QoS
// above its Maximum QoS exits 24, retain where Retain Available is 0 exits 28
// (libmosquitto's numbers), and nothing reaches subscribers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { pub, requireBuild } from './pub-run.js';

let broker: Broker;

beforeAll(async () => {
  requireBuild();
  requireMosquitto();
  broker = await startBroker({ global: ['retain_available false'], config: ['max_qos 1'] });
});
afterAll(async () => {
  await broker?.stop();
});

describe('broker limits (v5)', () => {
  const at = (): string[] => ['-h', '127.0.0.1', '-p', String(broker.port), '-V', '5', '-t', 'lim/x', '-m', 'x'];

  it('QoS above the broker maximum exits 24', async () => {
    const r = await pub([...at(), '-q', '2']);
    expect(r.status).toBe(24);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('retain where the broker has none exits 28', async () => {
    const r = await pub([...at(), '-r']);
    expect(r.status).toBe(28);
  });

  it('within the limits it is delivered (exit 0)', async () => {
    expect((await pub([...at(), '-q', '1'])).status).toBe(0);
  });
});
