// A message that arrives with a topic alias: mqtt-sub resolves the topic and
// still shows the alias through -F %A and %j, as mosquitto_sub 2.1 does.
// Mosquitto 2.0 never sends aliases, so a scripted broker does; the 2.1 broker
// aliases every topic for a client that allows it, and there we run beside
// 2.1's own mosquitto_sub.
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBroker } from '../helpers/broker.js';
import { startFakeBroker, type FakeBroker } from '../helpers/fake-broker.js';
import { mosquitto21 } from '../helpers/mosquitto21.js';
import { runSub, unique, waitForSuback, type Finished } from './sub-helpers.js';

let fb: FakeBroker;
beforeEach(async () => {
  fb = await startFakeBroker(5);
});
afterEach(async () => {
  await fb.close();
});

const text = (s: string): Buffer => Buffer.from(s);

/** Run mqtt-sub with `format`; the broker sends the alias-setting PUBLISH, then one by alias only. */
async function viaAlias(format: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = runSub(['-p', String(fb.port), '-V', '5', '-t', 'a/#', '-C', '2', '-D', 'connect', 'topic-alias-maximum', '4', '-F', format]);
  const conn = await fb.connection(10_000);
  await conn.accept();
  const sub = await conn.expect('subscribe');
  conn.send({ type: 'suback', packetId: sub.packetId, reasonCodes: [0] });
  conn.send({ type: 'publish', topic: 'a/b', payload: text('one'), qos: 0, retain: false, dup: false, properties: { topicAlias: 3 } });
  conn.send({ type: 'publish', topic: '', payload: text('two'), qos: 0, retain: false, dup: false, properties: { topicAlias: 3 } });
  const done = await run.done;
  return { code: done.code, stdout: done.stdout.toString(), stderr: done.stderr };
}

describe('mqtt-sub: the topic alias a message arrived with', () => {
  it('-F %A prints it beside the resolved topic', async () => {
    expect(await viaAlias('%A %t %p')).toEqual({ code: 0, stdout: '3 a/b one\n3 a/b two\n', stderr: '' });
  });

  it('%j lists it among the properties', async () => {
    const r = await viaAlias('%j');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { topic: string; properties: unknown });
    expect(lines.map((l) => [l.topic, l.properties])).toEqual([
      ['a/b', { 'topic-alias': 3 }],
      ['a/b', { 'topic-alias': 3 }],
    ]);
  });
});

describe('against the Mosquitto 2.1 broker, which creates aliases', () => {
  it('mqtt-sub prints the alias the broker chose, as 2.1 mosquitto_sub does', async () => {
    const m = mosquitto21();
    const broker = await startBroker({ mosquitto21: true });
    try {
      const topic = unique('alias');
      const args = (id: string): string[] =>
        ['-p', String(broker.port), '-V', '5', '-i', id, '-t', `${topic}/#`, '-C', '2', '-W', '10', '-D', 'connect', 'topic-alias-maximum', '4', '-F', '%A %t %p'];
      const oursId = unique('ours');
      const theirsId = unique('theirs');
      const ours = runSub(args(oursId));
      const theirs = spawn(m.bin('mosquitto_sub'), args(theirsId), { env: m.env, stdio: ['ignore', 'pipe', 'pipe'] });
      const theirsDone = collect(theirs);
      await waitForSuback(broker, [oursId, theirsId]);
      for (const payload of ['one', 'two']) {
        const pub = spawn(m.bin('mosquitto_pub'), ['-p', String(broker.port), '-V', '5', '-t', `${topic}/a`, '-m', payload], { env: m.env });
        await new Promise((r) => pub.on('close', r));
      }
      const [o, t] = await Promise.all([ours.done, theirsDone]);
      expect({ code: o.code, stdout: o.stdout.toString() }).toEqual({ code: 0, stdout: `1 ${topic}/a one\n1 ${topic}/a two\n` });
      expect(o.stdout.toString()).toBe(t.stdout.toString());
    } finally {
      await broker.stop();
    }
  });
});

function collect(proc: ReturnType<typeof spawn>): Promise<Pick<Finished, 'code' | 'stdout'>> {
  const out: Buffer[] = [];
  proc.stdout?.on('data', (d: Buffer) => out.push(d));
  return new Promise((resolve) => proc.on('close', (code) => resolve({ code, stdout: Buffer.concat(out) })));
}
