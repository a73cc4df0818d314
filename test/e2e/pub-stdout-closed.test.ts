// mqtt-pub's stdout carries only -d lines: a reader that goes away (`| head -1`,
// `| true`) must not end the publishing, and the status is the publishing's.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../helpers/broker.js';
import { PUB_BIN, requireBuild } from './pub-run.js';
import { runMosquittoSub, testEnv, unique, waitForSuback } from './sub-helpers.js';

let b: Broker;
beforeAll(async () => {
  requireBuild();
  b = await startBroker();
});
afterAll(async () => b?.stop());

/** mqtt-pub with its stdout closed before it writes anything. */
function pubStdoutClosed(args: string[], stdin: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [PUB_BIN, ...args], { env: testEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    p.stdout.destroy();
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), 15_000);
    p.on('close', (status) => {
      clearTimeout(t);
      resolve({ status, stderr });
    });
    p.stdin.on('error', () => {});
    p.stdin.end(stdin);
  });
}

describe('mqtt-pub -d with stdout closed', () => {
  it('-l: every line is published, status 0', async () => {
    const topic = unique('closed-l');
    const sub = runMosquittoSub(['-p', String(b.port), '-t', topic, '-C', '300', '-q', '1', '-i', topic, '-W', '15']);
    await waitForSuback(b, [topic]);
    const lines = Array.from({ length: 300 }, (_, i) => `m${i}`).join('\n') + '\n';
    const r = await pubStdoutClosed(['-p', String(b.port), '-t', topic, '-l', '-q', '1', '-d'], lines);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const got = await sub.done;
    expect(got.stdout.toString().split('\n').filter(Boolean)).toHaveLength(300);
  });

  it('-m: the message is published; a failure still exits non-zero', async () => {
    const topic = unique('closed-m');
    const sub = runMosquittoSub(['-p', String(b.port), '-t', topic, '-C', '1', '-i', topic, '-W', '15']);
    await waitForSuback(b, [topic]);
    const r = await pubStdoutClosed(['-p', String(b.port), '-t', topic, '-m', 'hello', '-q', '1', '-d'], '');
    expect(r.status).toBe(0);
    expect((await sub.done).stdout.toString()).toBe('hello\n');
    const refused = await pubStdoutClosed(['-p', '1', '-t', topic, '-m', 'x', '-d'], '');
    expect(refused.status).toBe(1);
  });
});
