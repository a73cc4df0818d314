// Reads have bounds: an endless input (/dev/zero) stops at the documented
// limit with a clear error and status 1, instead of growing until the machine
// gives out. Payloads: 268,435,455 bytes; a password: 65,535; a zone file: 1 MiB;
// an options file: 1 MiB; a certificate, key or CA file: 16 MiB.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../helpers/broker.js';
import { PUB_BIN, requireBuild } from './pub-run.js';
import { mosquittoPub, runSub, testEnv, unique, waitForSuback } from './sub-helpers.js';

let b: Broker;
beforeAll(async () => {
  requireBuild();
  b = await startBroker();
});
afterAll(async () => b?.stop());

/** mqtt-pub with stdin from `stdinPath` (or empty), killed after 30 s. */
function pubFrom(args: string[], stdinPath = '/dev/null'): Promise<{ status: number | null; stderr: string }> {
  const fd = openSync(stdinPath, 'r');
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [PUB_BIN, '-h', '127.0.0.1', '-p', String(b.port), ...args], {
      env: testEnv(),
      stdio: [fd, 'ignore', 'pipe'],
    });
    closeSync(fd);
    let stderr = '';
    p.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), 30_000);
    p.on('close', (status) => {
      clearTimeout(t);
      resolve({ status, stderr });
    });
  });
}

describe('bounded reads', () => {
  it('-f /dev/zero stops at the payload limit', async () => {
    const r = await pubFrom(['-t', 'bounds/f', '-f', '/dev/zero']);
    expect(r.stderr).toBe('Error: File must be less than 268435455 bytes.\n\nError loading input file "/dev/zero".\n');
    expect(r.status).toBe(1);
  }, 40_000);

  it('-s </dev/zero stops at the payload limit', async () => {
    const r = await pubFrom(['-t', 'bounds/s', '-s'], '/dev/zero');
    expect(r.stderr).toBe('Error: Message length must be less than 268435455 bytes.\n\nError loading input from stdin.\n');
    expect(r.status).toBe(1);
  }, 40_000);

  it('-s with empty input: mosquitto_pub\'s two lines, byte for byte, status 1', async () => {
    const args = ['-h', '127.0.0.1', '-p', String(b.port), '-t', 'bounds/empty', '-s'];
    const theirs = spawnSync('mosquitto_pub', args, { input: '', encoding: 'utf8', timeout: 10_000 });
    const r = await pubFrom(['-t', 'bounds/empty', '-s']);
    expect(r.stderr).toBe('Error: Zero length input.\nError loading input from stdin.\n');
    expect([r.stderr, r.status]).toEqual([theirs.stderr, theirs.status]);
  });

  it('-l </dev/zero: one endless line stops at the payload limit', async () => {
    const r = await pubFrom(['-t', 'bounds/l', '-l', '-q', '1'], '/dev/zero');
    expect(r.stderr).toBe('Error: Line 1 is longer than the largest MQTT payload (268435455 bytes).\n');
    expect(r.status).toBe(1);
  }, 40_000);

  it('--cafile /dev/zero and -o /dev/zero stop at their limits', async () => {
    const ca = await pubFrom(['-t', 'bounds/ca', '-m', 'x', '--cafile', '/dev/zero']);
    expect(ca.stderr).toBe("Error: Problem setting TLS options: larger than 16777216 bytes: CA file '/dev/zero'.\n");
    expect(ca.status).toBe(1);
    const o = await pubFrom(['-t', 'bounds/o', '-m', 'x', '-o', '/dev/zero']);
    expect(o.stderr).toBe('Error: Options file "/dev/zero" is larger than 1048576 bytes.\n');
    expect(o.status).toBe(1);
  });

  it('--password-file /dev/zero stops at the password limit', async () => {
    const r = await pubFrom(['-t', 'bounds/p', '-m', 'x', '-u', 'u', '--password-file', '/dev/zero']);
    expect(r.stderr).toBe('Error: Password file "/dev/zero": the password is longer than 65535 bytes.\n');
    expect(r.status).toBe(1);
  });

  it('mqtt-sub with TZ=/dev/zero still prints @Z (no zone file read for ever)', async () => {
    const topic = unique('bounds-tz');
    const sub = runSub(['-h', '127.0.0.1', '-p', String(b.port), '-t', topic, '-C', '1', '-F', '@Z|%p', '-i', topic], {
      env: testEnv({ TZ: '/dev/zero' }),
      killAfterMs: 10_000,
    });
    await waitForSuback(b, [topic], 8_000);
    mosquittoPub(b.port, ['-t', topic, '-m', 'hi']);
    const r = await sub.done;
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/\|hi\n$/);
  });
});

