// mqtt-rr end to end against the real broker, with a responder written in the
// test: what is printed, the exit status, and what the responder received.
// The responder misbehaves on purpose: answers twice, answers with someone
// else's correlation data, never answers, and a stale retained message waits
// on the response topic before the request.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../helpers/broker.js';
import { RR_BIN, runRr, startResponder, type Behaviour } from './rr-helpers.js';
import { encodePacket } from '../../src/codec/index.js';
import { mosquittoPub, startFakeBroker, testEnv, unique } from './sub-helpers.js';

let b: Broker;
beforeAll(async () => {
  const acl = join(tmpdir(), `mqtt-rr-acl-${process.pid}`);
  writeFileSync(acl, 'topic readwrite rr/#\ntopic read denied/#\n');
  b = await startBroker({ config: [`acl_file ${acl}`] });
});
afterAll(async () => b?.stop());

const base = (): string[] => ['-h', '127.0.0.1', '-p', String(b.port)];

/** A fresh request topic, response topic and responder for one test. */
async function exchange(behaviour: Behaviour, extra: { qos?: 0 | 1 | 2 } = {}) {
  const topic = unique('rr/req');
  const responseTopic = unique('rr/resp');
  const responder = await startResponder({ port: b.port, topic, behaviour, ...extra });
  return { topic, responseTopic, responder, args: [...base(), '-t', topic, '-e', responseTopic] };
}

describe('mqtt-rr: request and response', () => {
  it('prints the response, exits 0 at once, and the responder got the request with response topic and correlation data', async () => {
    const x = await exchange('answer');
    const r = await runRr(RR_BIN, [...x.args, '-m', 'hello', '-q', '1']);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe('re:hello\n');
    expect(r.code).toBe(0);
    expect(x.responder.requests).toHaveLength(1);
    const req = x.responder.requests[0]!;
    expect(Buffer.from(req.payload).toString()).toBe('hello');
    expect(req.qos).toBe(1);
    expect(req.properties.responseTopic).toBe(x.responseTopic);
    // Generated: 16 random bytes as hex text, new on every run.
    expect(Buffer.from(req.properties.correlationData ?? []).toString()).toMatch(/^[0-9a-f]{32}$/);
    await runRr(RR_BIN, [...x.args, '-m', 'again']);
    expect(req.properties.correlationData).not.toEqual(x.responder.requests[1]!.properties.correlationData);
    await x.responder.close();
  });

  it('keeps correlation data given with -D and matches the response on it', async () => {
    const x = await exchange('answer');
    const r = await runRr(RR_BIN, [...x.args, '-m', 'hi', '-D', 'publish', 'correlation-data', 'mine', '-D', 'publish', 'user-property', 'k', 'v']);
    expect([r.code, r.stdout.toString()]).toEqual([0, 're:hi\n']);
    expect(Buffer.from(x.responder.requests[0]!.properties.correlationData ?? []).toString()).toBe('mine');
    expect(x.responder.requests[0]!.properties.userProperties).toEqual([['k', 'v']]);
    await x.responder.close();
  });

  it('-f, -s and -n send the file, standard input and an empty payload', async () => {
    const x = await exchange('answer');
    const file = join(tmpdir(), `rr-payload-${process.pid}`);
    writeFileSync(file, Buffer.from([0, 1, 2, 0xff]));
    expect((await runRr(RR_BIN, [...x.args, '-f', file])).code).toBe(0);
    expect((await runRr(RR_BIN, [...x.args, '-s'], { input: 'from stdin' })).code).toBe(0);
    expect((await runRr(RR_BIN, [...x.args, '-n'])).code).toBe(0);
    expect(x.responder.requests.map((m) => Buffer.from(m.payload).toString('hex'))).toEqual([
      '000102ff',
      Buffer.from('from stdin').toString('hex'),
      '',
    ]);
    await x.responder.close();
  });

  it('a responder that answers twice: one response printed, exit 0; -C 2 prints both', async () => {
    const x = await exchange('twice');
    const one = await runRr(RR_BIN, [...x.args, '-m', 'a', '-v']);
    expect([one.code, one.stdout.toString()]).toEqual([0, `${x.responseTopic} re:a\n`]);
    const two = await runRr(RR_BIN, [...x.args, '-m', 'b', '-C', '2']);
    expect([two.code, two.stdout.toString()]).toEqual([0, 're:b\nre:b\n']);
    await x.responder.close();
  });

  it("a response with someone else's correlation data is ignored (a -d line says so); -W then exits 27", async () => {
    const x = await exchange('wrong-correlation');
    const r = await runRr(RR_BIN, [...x.args, '-m', 'a', '-W', '1']);
    expect([r.code, r.stdout.toString(), r.stderr]).toEqual([27, '', 'Timed out\n']);
    const d = await runRr(RR_BIN, [...x.args, '-m', 'a', '-W', '1', '-d']);
    expect(d.code).toBe(27);
    expect(d.stdout.toString()).toContain(`Ignoring a message on '${x.responseTopic}': its correlation data is not the request's.`);
    expect(d.stdout.toString()).not.toContain('re:a');
    await x.responder.close();
  });

  it('the wrong response first, then the right one: only the right one is printed', async () => {
    const x = await exchange('wrong-then-right');
    const r = await runRr(RR_BIN, [...x.args, '-m', 'a', '-W', '5', '-F', '%p|%C']);
    expect([r.code, r.stdout.toString()]).toEqual([0, 're:a|\n']);
    await x.responder.close();
  });

  it('a responder that never answers: -W 1 exits 27 with "Timed out", nothing on stdout', async () => {
    const x = await exchange('never');
    const r = await runRr(RR_BIN, [...x.args, '-m', 'a', '-W', '1']);
    expect([r.code, r.stdout.toString(), r.stderr]).toEqual([27, '', 'Timed out\n']);
    expect(r.ms).toBeLessThan(5000);
    expect(x.responder.requests).toHaveLength(1);
    await x.responder.close();
  });

  it('-C 2 with one responder answering once: the one answer is printed, and -W still exits 27', async () => {
    const x = await exchange('answer');
    const r = await runRr(RR_BIN, [...x.args, '-m', 'a', '-C', '2', '-W', '1']);
    expect([r.code, r.stdout.toString()]).toEqual([27, 're:a\n']);
    await x.responder.close();
  });

  it('a retained message waiting on the response topic is never taken for the answer', async () => {
    const x = await exchange('never');
    mosquittoPub(b.port, ['-t', x.responseTopic, '-m', 'stale', '-r']);
    const r = await runRr(RR_BIN, [...x.args, '-m', 'a', '-W', '1', '-V', '311']);
    expect([r.code, r.stdout.toString()]).toEqual([27, '']);
    await x.responder.close();
    const y = await startResponder({ port: b.port, topic: x.topic, behaviour: 'answer' });
    const ok = await runRr(RR_BIN, [...x.args, '-m', 'fresh', '-W', '5']);
    expect([ok.code, ok.stdout.toString()]).toEqual([0, 're:fresh\n']);
    mosquittoPub(b.port, ['-t', x.responseTopic, '-n', '-r']);
    await y.close();
  });

  it('-e the same as -t: our own request is not taken for its answer (MQTT 5 No Local)', async () => {
    const topic = unique('rr/same');
    const responder = await startResponder({ port: b.port, topic, behaviour: 'answer' });
    const r = await runRr(RR_BIN, [...base(), '-t', topic, '-e', topic, '-m', 'self', '-W', '5']);
    expect([r.code, r.stdout.toString()]).toEqual([0, 're:self\n']);
    await responder.close();
  });

  it('-V 311: no properties, so the first live message on the response topic is the answer', async () => {
    const topic = unique('rr/req');
    const responseTopic = unique('rr/resp');
    const responder = await startResponder({ port: b.port, topic, behaviour: 'answer', v311ResponseTopic: responseTopic });
    const r = await runRr(RR_BIN, [...base(), '-t', topic, '-e', responseTopic, '-m', 'old', '-V', '311']);
    expect([r.code, r.stdout.toString()]).toEqual([0, 're:old\n']);
    expect(responder.requests[0]!.properties).toEqual({});
    await responder.close();
  });

  it('--json prints the response as mqtt-sub does, binary-safe', async () => {
    const x = await exchange('answer');
    const r = await runRr(RR_BIN, [...x.args, '-m', '\u00e9', '--json']);
    expect(r.code).toBe(0);
    const line = JSON.parse(r.stdout.toString()) as Record<string, unknown>;
    expect(line).toMatchObject({ topic: x.responseTopic, payload: 're:\u00e9' });
    await x.responder.close();
  });

  it('-d: the response topic is subscribed (SUBACK) before the request is published', async () => {
    const x = await exchange('answer');
    const r = await runRr(RR_BIN, [...x.args, '-m', 'a', '-d']);
    const lines = r.stdout.toString().split('\n');
    const suback = lines.findIndex((l) => l.endsWith('received SUBACK'));
    const publish = lines.findIndex((l) => l.includes(`sending PUBLISH`) && l.includes(`'${x.topic}'`));
    expect(r.code).toBe(0);
    expect(suback).toBeGreaterThan(0);
    expect(publish).toBeGreaterThan(suback);
    expect(lines).toContain('re:a');
    await x.responder.close();
  });

  it('a closed standard output is not a delivered response: status 1, not 0', async () => {
    const x = await exchange('answer');
    const cmd = [process.execPath, RR_BIN, ...x.args, '-m', 'a', '-W', '5'].map((a) => `'${a}'`).join(' ');
    // Async: the responder in this process must be free to answer.
    const p = spawn('bash', ['-c', `${cmd} | true; echo "\${PIPESTATUS[0]}"`], { env: testEnv() });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => p.on('close', r));
    expect(out).toBe('1\n');
    await x.responder.close();
  });
});

describe('mqtt-rr: refusals', () => {
  it('a request the broker rejects (PUBACK 0x87) exits 40 with the reason', async () => {
    const r = await runRr(RR_BIN, [...base(), '-t', 'denied/x', '-e', unique('rr/resp'), '-m', 'a', '-q', '1', '-W', '5']);
    expect(r.code).toBe(40);
    expect(r.stderr).toBe('Error: The broker rejected the request: Not authorized.\n');
    expect(r.stdout.toString()).toBe('');
  });

  it('a refused response-topic subscription exits 42 with the reason, and sends no request', async () => {
    // Mosquitto grants every subscription (its ACL filters deliveries): a scripted broker refuses.
    const sent: string[] = [];
    const fake = await startFakeBroker((pkt, send) => {
      sent.push(pkt.type);
      if (pkt.type === 'connect') send(encodePacket({ type: 'connack', sessionPresent: false, reasonCode: 0 }, 5));
      if (pkt.type === 'subscribe') send(encodePacket({ type: 'suback', packetId: pkt.packetId, reasonCodes: [0x87] }, 5));
    }, 5);
    try {
      const r = await runRr(RR_BIN, ['-h', '127.0.0.1', '-p', String(fake.port), '-t', 'req', '-e', 'resp', '-m', 'a', '-W', '5']);
      expect(r.code).toBe(42);
      expect(r.stderr).toBe('Error: The broker refused the subscription to the response topic: Not authorized.\n');
      expect(sent).not.toContain('publish');
    } finally {
      await fake.close();
    }
  });
});
