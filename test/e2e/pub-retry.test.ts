// --retry and --timeout (ours; test plan F1, F3, F4): a lost link is retried and
// what was not acknowledged is resent (v5: in the same session, DUP=1, same
// packet id); a broker that stays away or never acknowledges ends the run with
// 41 and a count once --timeout passes; the first connection is retried too.
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectPacket, DisconnectPacket, PublishPacket } from '../../src/codec/types.js';
import { requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { startRelay } from './capture-relay.js';
import { pub, requireBuild } from './pub-run.js';
import { subscribe } from './raw-subscriber.js';

let broker: Broker;
beforeAll(async () => {
  requireBuild();
  requireMosquitto();
  broker = await startBroker();
});
afterAll(async () => broker?.stop());

const at = (port: number): string[] => ['-h', '127.0.0.1', '-p', String(port)];

describe('--retry', () => {
  it('v5: a link cut before the PUBACK is restored in the same session; the PUBLISH is resent with DUP=1 and its id; exit 0 (F1)', async () => {
    const relay = await startRelay(broker.port, { version: 5, cutAfterPublishes: 1, cutConnections: 1 });
    const sub = await subscribe(broker.port, 'retry/v5', 1);
    const r = await pub([...at(relay.port), '-V', '5', '-i', 'retry-v5', '-t', 'retry/v5', '-m', 'once', '-q', '1', '--retry', '2']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const connects = relay.sent.filter((p): p is ConnectPacket => p.type === 'connect');
    expect(connects).toHaveLength(2);
    expect(connects[0]?.cleanStart).toBe(true);
    expect(connects[1]?.cleanStart).toBe(false);
    expect(connects[0]?.properties?.sessionExpiryInterval).toBeGreaterThan(0); // the session outlives the cut
    const publishes = relay.sent.filter((p): p is PublishPacket => p.type === 'publish');
    expect(publishes.map((p) => [p.dup, p.packetId])).toEqual([
      [false, publishes[0]?.packetId],
      [true, publishes[0]?.packetId],
    ]);
    // The normal end gives the session up, so nothing lingers on the broker.
    const disconnect = relay.sent.find((p): p is DisconnectPacket => p.type === 'disconnect');
    expect(disconnect?.properties?.sessionExpiryInterval).toBe(0);
    const got = await sub.waitFor(1);
    expect(Buffer.from(got[0]?.payload ?? []).toString()).toBe('once');
    sub.close();
    await relay.close();
  });

  it('v3.1.1 QoS 2: the message arrives exactly once across the cut, exit 0', async () => {
    const relay = await startRelay(broker.port, { version: 4, cutAfterPublishes: 1, cutConnections: 1 });
    const sub = await subscribe(broker.port, 'retry/v4', 2);
    const r = await pub([...at(relay.port), '-i', 'retry-v4', '-c', '-t', 'retry/v4', '-m', 'q2', '-q', '2', '--retry', '1']);
    expect(r.status).toBe(0);
    expect(relay.sent.filter((p) => p.type === 'connect')).toHaveLength(2);
    await sub.waitFor(1);
    await new Promise((res) => setTimeout(res, 300)); // a duplicate would have come by now
    expect(sub.messages).toHaveLength(1);
    sub.close();
    await relay.close();
  });

  it('v3.1.1 QoS 2 without -c, cut after PUBREC: the new session cannot complete it, so exit 41 says so (F3)', async () => {
    const relay = await startRelay(broker.port, { version: 4, cutBefore: 'pubrel', cutConnections: 1 });
    const r = await pub([...at(relay.port), '-t', 'retry/f3', '-m', 'x', '-q', '2', '--retry', '1']);
    expect(relay.sent.filter((p) => p.type === 'connect')).toHaveLength(2);
    expect(r.status).toBe(41);
    expect(r.stderr).toBe(
      'Error: 1 of 1 message not confirmed by the broker (connection lost). 1 of them reached PUBREC but their session was lost before PUBCOMP.\n',
    );
    await relay.close();
  });

  it('without --retry the same cut exits 41 with a count, as before', async () => {
    const relay = await startRelay(broker.port, { version: 5, cutAfterPublishes: 1, cutConnections: 1 });
    const r = await pub([...at(relay.port), '-V', '5', '-t', 'retry/none', '-m', 'x', '-q', '1']);
    expect(r.status).toBe(41);
    expect(r.stderr).toMatch(/1 of 1 message not confirmed by the broker \(connection lost\)\./);
    await relay.close();
  });

  it('retries the first connection: a broker that starts listening late still gets the message', async () => {
    const port = await freePort();
    let late: Server | undefined;
    const timer = setTimeout(() => {
      // A plain forwarder to the real broker, opened after the first attempts failed.
      late = createServer((tool) => {
        const up = connect({ port: broker.port, host: '127.0.0.1' });
        tool.pipe(up).pipe(tool);
        tool.on('error', () => up.destroy());
        up.on('error', () => tool.destroy());
      }).listen(port, '127.0.0.1');
    }, 700);
    const sub = await subscribe(broker.port, 'retry/late', 1);
    const r = await pub([...at(port), '-t', 'retry/late', '-m', 'late', '-q', '1', '--retry', '5']);
    clearTimeout(timer);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    await sub.waitFor(1);
    sub.close();
    await new Promise<void>((res) => (late ? late.close(() => res()) : res()));
  });

  it('--retry N gives up after N failed attempts with the connection error (exit 1)', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const r = await pub([...at(port), '-t', 'retry/never', '-m', 'x', '--retry', '2']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('Error: Connection refused\n');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400); // waited 0.5 s, then 1 s
  });

  it('-d through a pipe: each retry of the first connection is among the -d lines', async () => {
    const port = await freePort();
    const r = await pub([...at(port), '-t', 'retry/never', '-m', 'x', '--retry', '2', '-d']);
    expect(r.stdout.toString()).toBe('Connection refused; retrying 1/2 in 0.5 s\nConnection refused; retrying 2/2 in 1 s\n');
    expect(r.stderr).toBe('Error: Connection refused\n');
  });
});

describe('--timeout', () => {
  it('a broker that never acknowledges: exit 41 with a count once the timeout passes', async () => {
    const relay = await startRelay(broker.port, { version: 4, swallowAcks: true });
    const t0 = Date.now();
    const r = await pub([...at(relay.port), '-t', 'retry/stall', '-m', 'x', '-q', '1', '--repeat', '3', '--timeout', '0.8']);
    const took = Date.now() - t0;
    expect(r.status).toBe(41);
    expect(r.stderr).toBe('Error: 3 of 3 messages not confirmed by the broker (nothing acknowledged for 0.8 s).\n');
    expect(took).toBeGreaterThanOrEqual(800);
    expect(took).toBeLessThan(5000);
    await relay.close();
  });

  it('-l with the broker gone for longer than --timeout: exit 41, the unacknowledged lines counted (F4)', async () => {
    const relay = await startRelay(broker.port, { version: 4, cutAfterPublishes: 2 });
    // Every connection is cut at its second PUBLISH, and after the first cut nothing listens any more.
    const closing = relay.connacked.then(() => new Promise((res) => setTimeout(res, 200))).then(() => relay.close());
    const r = await pub([...at(relay.port), '-t', 'retry/gone', '-l', '-q', '1', '--timeout', '1'], { stdin: 'a\nb\nc\n' });
    await closing;
    expect(r.status).toBe(41);
    expect(r.stderr).toMatch(/\d of 3 messages not confirmed by the broker \(nothing acknowledged for 1 s\)\./);
  });

  it('a run that is acknowledged in time is not affected', async () => {
    const r = await pub([...at(broker.port), '-t', 'retry/ok', '-m', 'x', '-q', '2', '--repeat', '20', '--timeout', '5']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('argv', () => {
  it.each([
    [['--retry', '-1']],
    [['--retry', '2x']],
    [['--retry', '']],
    [['--timeout', '0']],
    [['--timeout', 'soon']],
    [['--timeout', '-3']],
  ])('%j is a usage error (exit 1)', async (extra) => {
    const r = await pub(['-h', '127.0.0.1', '-p', '1', '-t', 't', '-m', 'x', ...extra]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Error: --(retry|timeout) argument must be/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
