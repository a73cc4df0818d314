// mqtt-sub end to end against a real broker: stdout bytes, stderr and exit
// status together, for the behaviours beyond formatting (§7.1 of the
// reference, test plan L2-L4; failures are in sub-errors.test.ts). Where
// mosquitto_sub defines the behaviour it is run alongside and must agree.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../helpers/broker.js';
import {
  mosquittoPub,
  requireBuild,
  runMosquittoSub,
  runSub,
  startFakeBroker,
  SUB_BIN,
  testEnv,
  unique,
  waitForSuback,
} from './sub-helpers.js';

let broker: Broker;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker?.stop();
});

const p = (): string[] => ['-p', String(broker.port)];

describe('ending a run', () => {
  it('-W: "Timed out" on stderr, status 27, nothing on stdout (as mosquitto_sub)', async () => {
    const t = unique('w');
    const [ours, theirs] = await Promise.all([runSub([...p(), '-t', t, '-W', '1']).done, runMosquittoSub([...p(), '-t', t, '-W', '1']).done]);
    expect(ours).toMatchObject({ code: 27, stderr: 'Timed out\n' });
    expect(ours.stdout.length).toBe(0);
    expect(theirs.code).toBe(27);
    expect(theirs.stderr).toBe(ours.stderr);
  });

  it('-W expiring before CONNACK is still a timeout (27; mosquitto_sub exits 255 silently)', async () => {
    const fake = await startFakeBroker(() => {}); // never answers CONNECT
    try {
      const r = await runSub(['-p', String(fake.port), '-t', 'x', '-W', '1']).done;
      expect(r).toMatchObject({ code: 27, stderr: 'Timed out\n' });
    } finally {
      await fake.close();
    }
  });

  it('-W with --quiet: status 27, silent', async () => {
    const r = await runSub([...p(), '-t', unique('w'), '-W', '1', '--quiet']).done;
    expect(r).toMatchObject({ code: 27, stderr: '' });
  });

  it('-E exits once subscribed', async () => {
    const r = await runSub([...p(), '-t', unique('e'), '-E']).done;
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.length).toBe(0);
  });

  it('SIGINT after CONNACK exits 0 and sends the Will (DISCONNECT reason 4)', async () => {
    const will = unique('will');
    const id = unique('sig');
    const watchId = unique('watch');
    const watcher = runSub([...p(), '-t', will, '-C', '1', '-i', watchId]);
    const sub = runSub([...p(), '-t', unique('sig'), '-i', id, '-V', '5', '--will-topic', will, '--will-payload', 'gone']);
    await waitForSuback(broker, [id, watchId]);
    sub.proc.kill('SIGINT');
    const [r, w] = await Promise.all([sub.done, watcher.done]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(w.stdout.toString()).toBe('gone\n');
  });

  it('a signal before CONNACK exits 255 at once (as mosquitto_sub)', async () => {
    const fake = await startFakeBroker(() => {}); // never answers CONNECT
    try {
      const args = ['-p', String(fake.port), '-t', 'x'];
      const runs = [runSub(args), runMosquittoSub(args)];
      await new Promise((r) => setTimeout(r, 700));
      runs.forEach((r) => r.proc.kill('SIGINT'));
      const [ours, theirs] = await Promise.all(runs.map((r) => r.done));
      expect(ours).toMatchObject({ code: 255, stderr: '' });
      expect(theirs.code).toBe(255);
    } finally {
      await fake.close();
    }
  });

  it('-C N with a retained backlog prints exactly N', async () => {
    const t = unique('c');
    for (let i = 0; i < 5; i++) mosquittoPub(broker.port, ['-t', `${t}/${i}`, '-r', '-m', `m${i}`]);
    const r = await runSub([...p(), '-t', `${t}/#`, '-C', '3']).done;
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.toString().split('\n')).toHaveLength(4);
  });

  it.each([['5'], ['311']])('-C N acknowledges nothing beyond N (persistent session, -V %s)', async (v) => {
    const t = unique('ack');
    const id = unique('ackid');
    const args = [...p(), '-V', v, '-t', t, '-q', '1', '-c', '-i', id];
    // Open the session, then queue 5 QoS 1 messages while we are away.
    expect((await runSub([...args, '-E']).done).code).toBe(0);
    for (let i = 1; i <= 5; i++) mosquittoPub(broker.port, ['-t', t, '-q', '1', '-m', `m${i}`]);
    const first = await runSub([...args, '-C', '2']).done;
    expect(first.stdout.toString()).toBe('m1\nm2\n');
    // Whatever was sent but not counted must still be owed to us.
    const rest = await runSub([...args, '-C', '3', '-W', '5']).done;
    expect(rest.stdout.toString()).toBe('m3\nm4\nm5\n');
    expect(rest.code).toBe(0);
  });
});

describe('output', () => {
  it('piped into head -1: clean exit 0, no trace', async () => {
    const t = unique('head');
    const script = `node ${JSON.stringify(SUB_BIN)} -p ${broker.port} -t ${t} -v -W 30 | head -1; echo "status=\${PIPESTATUS[0]}" >&2`;
    const proc = spawn('bash', ['-c', script], { env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const closed = new Promise<number | null>((r) => proc.on('close', r));
    let ended = false;
    void closed.then(() => (ended = true));
    // Keep publishing until the pipeline has ended (the first message may precede the SUBSCRIBE).
    for (let i = 0; i < 200 && !ended; i++) {
      mosquittoPub(broker.port, ['-t', t, '-m', `line ${i} ${'x'.repeat(2000)}`]);
      await new Promise((r) => setTimeout(r, 20));
    }
    await closed;
    expect(out).toMatch(new RegExp(`^${t} line \\d+ x+\\n$`));
    expect(err).toBe('status=0\n');
  });

  it('--json: one valid JSON object per line, binary payloads as base64', async () => {
    const t = unique('json');
    const sub = runSub([...p(), '-t', t, '-C', '2', '--json', '-i', `${t}-id`]);
    await waitForSuback(broker, [`${t}-id`]);
    mosquittoPub(broker.port, ['-t', t, '-m', 'héllo']);
    mosquittoPub(broker.port, ['-t', t, '-s'], Buffer.from([0, 0xff, 0x1b]));
    const r = await sub.done;
    const lines = r.stdout.toString().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.payload, l.encoding])).toEqual([
      ['héllo', 'utf8'],
      ['AP8b', 'base64'],
    ]);
  });

  it('--subscription-identifier comes back on each message (%S, --json)', async () => {
    const t = unique('sid');
    mosquittoPub(broker.port, ['-t', t, '-r', '-m', 'x']);
    const f = await runSub([...p(), '-t', t, '-C', '1', '--subscription-identifier', '7', '-F', '%S|%p']).done;
    expect(f.stdout.toString()).toBe('7|x\n');
    const j = await runSub([...p(), '-t', t, '-C', '1', '--subscription-identifier', '9', '--json']).done;
    expect(JSON.parse(j.stdout.toString())).toMatchObject({ properties: { 'subscription-identifiers': [9] } });
  });

  it('--output hex in -v form', async () => {
    const t = unique('hex');
    mosquittoPub(broker.port, ['-t', t, '-r', '-s'], Buffer.from([0xde, 0xad, 0x00]));
    const r = await runSub([...p(), '-t', t, '-C', '1', '-v', '--output', 'hex']).done;
    expect(r.stdout.toString()).toBe(`${t} dead00\n`);
  });

  it('escapes control characters when stdout is a terminal, not with --raw', async () => {
    const t = unique('tty');
    mosquittoPub(broker.port, ['-t', t, '-r', '-s'], Buffer.from('a\x1b]0;pwned\x07b'));
    const inPty = async (extra: string): Promise<string> => {
      const cmd = `node ${JSON.stringify(SUB_BIN)} -p ${broker.port} -t ${t} -C 1 ${extra}`;
      const proc = spawn('script', ['-qec', cmd, '/dev/null'], { env: testEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      proc.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
      await new Promise((r) => proc.on('close', r));
      return out;
    };
    requireBuild();
    const escaped = await inPty('');
    expect(escaped, escaped).toContain('a\\x1b]0;pwned\\x07b');
    const raw = await inPty('--raw');
    expect(raw, JSON.stringify(raw)).toContain('a\x1b]0;pwned\x07b');
  });

  it('-d prints the protocol log on stdout', async () => {
    const t = unique('dbg');
    mosquittoPub(broker.port, ['-t', t, '-r', '-m', 'x']);
    const r = await runSub([...p(), '-t', t, '-C', '1', '-d']).done;
    const out = r.stdout.toString();
    expect(out).toMatch(/sending CONNECT/);
    expect(out).toMatch(/received SUBACK/);
    expect(out).toMatch(/\nx\n/);
  });
});

describe('-U', () => {
  it('ends a subscription held by a persistent session', async () => {
    const id = unique('uid');
    const [a, b] = [unique('ua'), unique('ub')];
    const base = [...p(), '-c', '-i', id, '-q', '1'];
    expect((await runSub([...base, '-t', a, '-t', b, '-E']).done).code).toBe(0);
    expect((await runSub([...base, '-t', b, '-U', a, '-E']).done).code).toBe(0);
    mosquittoPub(broker.port, ['-t', a, '-q', '1', '-m', 'dropped']);
    mosquittoPub(broker.port, ['-t', b, '-q', '1', '-m', 'kept']);
    const r = await runSub([...base, '-t', b, '-C', '1', '-v', '-W', '5']).done;
    expect(r.stdout.toString()).toBe(`${b} kept\n`);
  });
});

describe('retained messages', () => {
  it('--remove-retained clears what it prints', async () => {
    const t = unique('rr');
    mosquittoPub(broker.port, ['-t', `${t}/a`, '-r', '-m', 'old']);
    const r = await runSub([...p(), '-t', `${t}/#`, '-C', '1', '--remove-retained', '-v']).done;
    expect(r.stdout.toString()).toBe(`${t}/a old\n`);
    const after = await runSub([...p(), '-t', `${t}/#`, '-W', '1']).done;
    expect(after.code).toBe(27);
    expect(after.stdout.length).toBe(0);
  });
});

describe('transports and options file', () => {
  it('TLS with --cafile', async () => {
    const b = await startBroker({ tls: true });
    try {
      const t = unique('tls');
      mosquittoPub(b.port, ['-t', t, '-r', '-m', 'secret']);
      const r = await runSub(['-h', 'localhost', '-p', String(b.tlsPort), '--cafile', b.certs.ca, '-t', t, '-C', '1', '-v']).done;
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout.toString()).toBe(`${t} secret\n`);
    } finally {
      await b.stop();
    }
  });

  it('-L subscribes to the URL topic, plus any -t', async () => {
    const t = unique('url');
    mosquittoPub(broker.port, ['-t', `${t}/a`, '-r', '-m', 'A']);
    mosquittoPub(broker.port, ['-t', `${t}/b`, '-r', '-m', 'B']);
    const r = await runSub(['-L', `mqtt://127.0.0.1:${broker.port}/${t}/a`, '-t', `${t}/b`, '-C', '2', '-v']).done;
    expect(r.code).toBe(0);
    expect(r.stdout.toString().split('\n').sort()).toEqual(['', `${t}/a A`, `${t}/b B`]);
  });

  it('reads $XDG_CONFIG_HOME/mqtt-sub before the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqtt-sub-xdg-'));
    const t = unique('xdg');
    writeFileSync(join(dir, 'mqtt-sub'), `# defaults\n-v\n-p ${broker.port}\n-t ${t}/file\n`);
    mosquittoPub(broker.port, ['-t', `${t}/file`, '-r', '-m', 'from file topic']);
    mosquittoPub(broker.port, ['-t', `${t}/cli`, '-r', '-m', 'from cli topic']);
    const r = await runSub(['-t', `${t}/cli`, '-C', '2'], { env: testEnv({ XDG_CONFIG_HOME: dir }) }).done;
    expect(r.code).toBe(0);
    expect(r.stdout.toString().split('\n').sort()).toEqual(['', `${t}/cli from cli topic`, `${t}/file from file topic`]);
  });
});

describe('reconnection', () => {
  it('reconnects silently after a broker restart and resubscribes', async () => {
    const b = await startBroker();
    try {
      const t = unique('re');
      const id = unique('reid');
      const sub = runSub(['-p', String(b.port), '-t', t, '-C', '1', '-i', id]);
      await waitForSuback(b, [id]);
      await b.restart();
      const deadline = Date.now() + 10_000;
      let done = false;
      void sub.done.then(() => (done = true));
      while (!done && Date.now() < deadline) {
        try {
          mosquittoPub(b.port, ['-t', t, '-m', 'back']);
        } catch {
          // broker still starting
        }
        await new Promise((r) => setTimeout(r, 300));
      }
      const r = await sub.done;
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout.toString()).toBe('back\n');
    } finally {
      await b.stop();
    }
  });
});
