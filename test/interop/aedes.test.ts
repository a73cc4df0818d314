// The publish/subscribe matrix against a second, independent broker (aedes,
// issue 11): MQTT 3.1 and 3.1.1 at QoS 0/1/2, retained, the Will after kill -9,
// a persistent session, authentication, a 1 MiB payload and WebSocket; MQTT 5,
// which aedes does not speak, is refused the way mosquitto_pub reports it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAedes, type AedesBroker } from '../helpers/aedes-broker.js';
import { PUB_BIN, requireBuild, run, type RunResult } from '../e2e/pub-run.js';
import { SUB_BIN } from '../e2e/sub-helpers.js';

let aedes: AedesBroker;
let secured: AedesBroker;
let tmp: string;
beforeAll(async () => {
  requireBuild();
  aedes = await startAedes();
  secured = await startAedes({ credentials: { username: 'alice', password: 's3cret' } });
  tmp = mkdtempSync(join(tmpdir(), 'interop-'));
});
afterAll(async () => {
  await aedes?.stop();
  await secured?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const at = (port: number): string[] => ['-h', '127.0.0.1', '-p', String(port)];
const pub = (args: string[], stdin?: Buffer): Promise<RunResult> => run(process.execPath, [PUB_BIN, ...args], stdin ? { stdin } : {});
let n = 0;
const unique = (what: string): string => `interop/${what}/${process.pid}-${++n}`;

interface Sub {
  kill(signal: NodeJS.Signals): void;
  done: Promise<{ status: number | null; stdout: Buffer; stderr: string }>;
}

function sub(args: string[]): Sub {
  const child = spawn(process.execPath, [SUB_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return {
    kill: (s) => child.kill(s),
    done: new Promise((resolve) =>
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout: Buffer.concat(out), stderr: err });
      }),
    ),
  };
}

describe('aedes: publish → subscribe', () => {
  for (const version of ['mqttv31', 'mqttv311']) {
    for (const qos of ['0', '1', '2']) {
      it(`${version}, QoS ${qos}`, async () => {
        const topic = unique(`${version}-q${qos}`);
        const s = sub([...at(aedes.port), '-V', version, '-q', qos, '-t', topic, '-C', '1', '-v']);
        await aedes.subscribed(topic);
        const p = await pub([...at(aedes.port), '-V', version, '-q', qos, '-t', topic, '-m', `hello ${qos}`]);
        expect(p).toMatchObject({ status: 0, stderr: '' });
        const r = await s.done;
        expect(r.stderr).toBe('');
        expect(r.stdout.toString()).toBe(`${topic} hello ${qos}\n`);
        expect(r.status).toBe(0);
      });
    }
  }

  it('MQTT 5 is refused as mosquitto_pub reports it: Unsupported Protocol Version, 132', async () => {
    const p = await pub([...at(aedes.port), '-V', '5', '-t', unique('v5'), '-m', 'x']);
    expect(p.stderr).toBe('Connection error: Unsupported Protocol Version. Try connecting to an MQTT v5 broker, or use MQTT v3.x mode.\n');
    expect(p.status).toBe(132);
    const s = await sub([...at(aedes.port), '-V', '5', '-t', unique('v5')]).done;
    expect(s.status).toBe(132);
  });

  it('retained: a later subscriber gets it, with -R it does not', async () => {
    const topic = unique('retained');
    expect((await pub([...at(aedes.port), '-t', topic, '-m', 'kept', '-r', '-q', '1'])).status).toBe(0);
    const r = await sub([...at(aedes.port), '-t', topic, '-C', '1']).done;
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(r.stdout.toString()).toBe('kept\n');
    const none = await sub([...at(aedes.port), '-t', topic, '-R', '-W', '1']).done;
    expect(none.stdout.toString()).toBe('');
    expect(none.status).toBe(27);
  });

  it('the Will is published after kill -9, not after a clean exit', async () => {
    const will = unique('will');
    const watcher = sub([...at(aedes.port), '-t', will, '-C', '1']);
    await aedes.subscribed(will);
    const clean = sub([...at(aedes.port), '-t', unique('quiet'), '--will-topic', will, '--will-payload', 'clean', '-W', '1']);
    expect((await clean.done).status).toBe(27);
    const doomedTopic = unique('doomed');
    const doomed = sub([...at(aedes.port), '-t', doomedTopic, '--will-topic', will, '--will-payload', 'killed']);
    await aedes.subscribed(doomedTopic);
    doomed.kill('SIGKILL');
    const r = await watcher.done;
    expect(r.stdout.toString()).toBe('killed\n');
    expect(r.status).toBe(0);
  });

  it('a persistent session keeps QoS 1 messages published while the subscriber was away', async () => {
    const topic = unique('session');
    const id = `interop-${process.pid}-${n}`;
    const first = await sub([...at(aedes.port), '-c', '-i', id, '-q', '1', '-t', topic, '-E']).done;
    expect(first).toMatchObject({ status: 0, stderr: '' });
    for (const m of ['one', 'two']) expect((await pub([...at(aedes.port), '-t', topic, '-m', m, '-q', '1'])).status).toBe(0);
    const back = await sub([...at(aedes.port), '-c', '-i', id, '-q', '1', '-t', topic, '-C', '2']).done;
    expect(back.stdout.toString()).toBe('one\ntwo\n');
    expect(back.status).toBe(0);
  });

  it('authentication: the right password connects; a wrong one is refused with CONNACK 5, status 5', async () => {
    const topic = unique('auth');
    const ok = await pub([...at(secured.port), '-u', 'alice', '-P', 's3cret', '-t', topic, '-m', 'x', '-q', '1']);
    expect(ok).toMatchObject({ status: 0, stderr: '' });
    const bad = await pub([...at(secured.port), '-u', 'alice', '-P', 'wrong', '-t', topic, '-m', 'x']);
    expect(bad.stderr).toBe('Connection error: Connection Refused: not authorised.\n');
    expect(bad.status).toBe(5);
    const subBad = await sub([...at(secured.port), '-u', 'alice', '-P', 'wrong', '-t', topic]).done;
    expect(subBad.status).toBe(5);
  });

  it('a 1 MiB payload arrives byte for byte (QoS 1)', async () => {
    const topic = unique('big');
    const payload = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 131) & 0xff;
    const file = join(tmp, 'big.bin');
    writeFileSync(file, payload);
    const s = sub([...at(aedes.port), '-q', '1', '-t', topic, '-C', '1', '-N']);
    await aedes.subscribed(topic);
    expect(await pub([...at(aedes.port), '-q', '1', '-t', topic, '-f', file])).toMatchObject({ status: 0, stderr: '' });
    const r = await s.done;
    expect(r.status).toBe(0);
    expect(r.stdout.equals(payload)).toBe(true);
  });

  it('WebSocket: publish and subscribe through ws://', async () => {
    const topic = unique('ws');
    const url = `ws://127.0.0.1:${aedes.wsPort}/${topic}`;
    const s = sub(['-L', url, '-C', '1', '-q', '1']);
    await aedes.subscribed(topic);
    expect(await pub(['-L', url, '-m', 'over ws', '-q', '2'])).toMatchObject({ status: 0, stderr: '' });
    const r = await s.done;
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(r.stdout.toString()).toBe('over ws\n');
  });
});
