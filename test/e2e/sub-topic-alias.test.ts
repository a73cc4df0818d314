// A message that arrives with a topic alias: mqtt-sub resolves the topic and
// still shows the alias through -F %A and %j, as mosquitto_sub 2.1 does. A real
// mosquitto 2.0 broker never sends aliases, so a scripted broker does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBroker, type FakeBroker } from '../helpers/fake-broker.js';
import { runSub } from './sub-helpers.js';

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
