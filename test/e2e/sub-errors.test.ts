// mqtt-sub's failures end to end: one clear line on stderr, the documented
// status, nothing on stdout, no retry loop; where mosquitto_sub defines the
// behaviour it runs alongside and must agree (reference §8).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePacket } from '../../src/codec/index.js';
import { startBroker, type Broker } from '../helpers/broker.js';
import { runMosquittoSub, runSub, startFakeBroker } from './sub-helpers.js';

let broker: Broker;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker?.stop();
});

const p = (): string[] => ['-p', String(broker.port)];

describe('errors: one line on stderr, documented status, nothing on stdout', () => {
  it('connection refused (as mosquitto_sub)', async () => {
    const dead = ['-p', '1', '-t', 'x'];
    const [ours, theirs] = await Promise.all([runSub(dead).done, runMosquittoSub(dead).done]);
    expect(ours).toMatchObject({ code: 1, stderr: 'Error: Connection refused\n' });
    expect(ours.stderr).toBe(theirs.stderr);
    expect(theirs.code).toBe(1);
  });

  it('CONNACK refusal exits with the reason code (as mosquitto_sub)', async () => {
    const args = [...p(), '-t', 'x', '-V', '5', '-D', 'connect', 'authentication-method', 'nope'];
    const [ours, theirs] = await Promise.all([runSub(args).done, runMosquittoSub(args).done]);
    expect(ours).toMatchObject({ code: 140, stderr: 'Connection error: Bad authentication method\n' });
    expect(ours.stderr).toBe(theirs.stderr);
    expect(ours.code).toBe(theirs.code);
  });

  it('all subscriptions denied: message, DISCONNECT, status 0 (as mosquitto_sub)', async () => {
    const fake = await startFakeBroker((pkt, send) => {
      if (pkt.type === 'connect') send(encodePacket({ type: 'connack', sessionPresent: false, reasonCode: 0 }, 4));
      if (pkt.type === 'subscribe') {
        send(encodePacket({ type: 'suback', packetId: pkt.packetId, reasonCodes: pkt.subscriptions.map(() => 0x80) }, 4));
      }
    });
    try {
      const args = ['-p', String(fake.port), '-t', 'a', '-t', 'b', '-W', '5'];
      const [ours, theirs] = await Promise.all([runSub(args).done, runMosquittoSub(args).done]);
      expect(ours).toMatchObject({ code: 0, stderr: 'All subscription requests were denied.\n' });
      expect(ours.stderr).toBe(theirs.stderr);
      expect(ours.code).toBe(theirs.code);
    } finally {
      await fake.close();
    }
  });

  it('a refusal when reconnecting ends the run with the CONNACK code (as mosquitto_sub)', async () => {
    const run = async (start: typeof runSub): Promise<Awaited<ReturnType<typeof runSub>['done']>> => {
      let connects = 0;
      const fake = await startFakeBroker((pkt, send, drop) => {
        if (pkt.type === 'connect') {
          connects++;
          send(encodePacket({ type: 'connack', sessionPresent: false, reasonCode: connects === 1 ? 0 : 5 }, 4));
        }
        if (pkt.type === 'subscribe') {
          send(encodePacket({ type: 'suback', packetId: pkt.packetId, reasonCodes: [0] }, 4));
          setTimeout(drop, 100); // drop the link once subscribed
        }
      });
      try {
        return await start(['-p', String(fake.port), '-t', 'x', '-W', '10']).done;
      } finally {
        await fake.close();
      }
    };
    const [ours, theirs] = [await run(runSub), await run(runMosquittoSub)];
    expect(ours).toMatchObject({ code: 5, stderr: 'Connection error: Connection Refused: not authorised.\n' });
    expect(ours.stderr).toBe(theirs.stderr);
    expect(ours.code).toBe(theirs.code);
  });

  it('a protocol-violating broker ends the run: one line, status 2, no retry loop', async () => {
    const fake = await startFakeBroker((pkt, send) => {
      if (pkt.type === 'connect') send(encodePacket({ type: 'connack', sessionPresent: false, reasonCode: 0 }, 4));
      if (pkt.type === 'subscribe') send(Buffer.from([0xf0, 0x00])); // reserved packet type 15
    });
    try {
      const r = await runSub(['-p', String(fake.port), '-t', 'a', '-W', '10']).done;
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^Error: /);
      expect(r.stdout.length).toBe(0);
    } finally {
      await fake.close();
    }
  });

  it('bad arguments: mosquitto text plus the usage hint, status 1', async () => {
    const r = await runSub(['-t', 'a/#/b']).done;
    expect(r).toMatchObject({
      code: 1,
      stderr: "Error: Invalid subscription topic 'a/#/b', are all '+' and '#' wildcards correct?\n\nUse 'mqtt-sub --help' to see usage.\n",
    });
  });

  it('argument errors: the same first line and status as mosquitto_sub', async () => {
    const cases = [
      [], ['-t', 'a/#/b'], ['-t', 'a', '-T', '+x'], ['-t', 'a', '-U', '#/a'], ['-t', 'a', '-C', '0'],
      ['-t', 'a', '-W', '0'], ['-t', 'a', '-F', '%'], ['-t', 'a', '-F', '%0'], ['-t', 'a', '-F', '%.1'],
      ['-t', 'a', '-F', '%Z'], ['-t', 'a', '-F', '@'], ['-t', 'a', '-F', '\\'], ['-t', 'a', '-F', '\\Z'],
      ['-t', 'a', '--random-filter', '0'], ['-t', 'a', '-R', '--retained-only'], ['-t', 'a', '-C'],
      ['-t', 'a', '-T'], ['-t', 'a', '-F'], ['-t', 'a', '--bogus'], ['-t', 'a', '-m', 'x'], ['-t', 'a', '-q', '3'],
      ['-t', 'a', '-i', 'x', '-I', 'y'], ['-t', 'a', '-c', '-V', '311'], ['-t', 'a', '--will-payload', 'x'],
    ];
    const firstLine = (e: string): string => e.split('\n').find((l) => l !== '') ?? '';
    const results = await Promise.all(
      cases.map(async (argv) => {
        const [ours, theirs] = await Promise.all([runSub(argv).done, runMosquittoSub(argv).done]);
        return { argv: argv.join(' '), ours: [ours.code, firstLine(ours.stderr)], theirs: [theirs.code, firstLine(theirs.stderr)] };
      }),
    );
    for (const r of results) expect(r.ours, r.argv).toEqual(r.theirs);
  });

  it('--help prints usage on stdout and exits 1 (as mosquitto_sub)', async () => {
    const r = await runSub(['--help']).done;
    expect(r.code).toBe(1);
    expect(r.stdout.toString()).toMatch(/^mqtt-sub subscribes/);
  });
});

describe('authentication', () => {
  it('refusals exit with the CONNACK code; --password-file works (as mosquitto_sub -P)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqtt-sub-auth-'));
    const pw = join(dir, 'passwords');
    writeFileSync(pw, 'alice:secret\n');
    execFileSync('mosquitto_passwd', ['-U', pw]);
    writeFileSync(join(dir, 'good'), 'secret\n');
    const b = await startBroker({ passwordFile: pw });
    try {
      const base = ['-p', String(b.authPort), '-t', 'x', '-u', 'alice'];
      for (const v of ['311', '5']) {
        const bad = [...base, '-V', v, '-P', 'wrong'];
        const [ours, theirs] = await Promise.all([runSub(bad).done, runMosquittoSub(bad).done]);
        expect(ours.code).toBe(v === '5' ? 135 : 5);
        expect([ours.code, ours.stderr]).toEqual([theirs.code, theirs.stderr]);
      }
      const ok = await runSub([...base, '--password-file', join(dir, 'good'), '-E']).done;
      expect(ok).toMatchObject({ code: 0, stderr: '' });
      // A password from a file still needs a username under MQTT 3.1.1: a usage error before connecting.
      const noUser = await runSub(['-p', String(b.authPort), '-t', 'x', '-V', '311', '--password-file', join(dir, 'good')]).done;
      expect(noUser.code).toBe(1);
    } finally {
      await b.stop();
    }
  });
});

