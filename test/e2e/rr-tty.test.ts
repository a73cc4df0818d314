// mqtt-rr on a real terminal (a pty from util-linux `script`): -d adds the
// round-trip time, and a response's control characters are escaped. Neither
// happens when standard output is a pipe (rr-cli.test.ts checks the pipe).
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../helpers/broker.js';
import { RR_BIN, requireRrBuild, runRr, startResponder } from './rr-helpers.js';
import { unique } from './sub-helpers.js';

let b: Broker;
beforeAll(async () => {
  requireRrBuild();
  if (spawnSync('script', ['--version']).error) throw new Error('util-linux `script` is needed for the terminal tests (apt-get install bsdutils).');
  b = await startBroker();
});
afterAll(async () => b?.stop());

/** What the terminal showed for one mqtt-rr run, and its status. */
function onTerminal(args: string[]): Promise<{ code: number | null; shown: string }> {
  const quoted = [process.execPath, RR_BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: '/nonexistent-mqtt-rr-test' };
  const p = spawn('script', ['-q', '-e', '-c', quoted, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let shown = '';
  p.stdout.on('data', (d: Buffer) => (shown += d.toString('latin1')));
  const timer = setTimeout(() => p.kill('SIGKILL'), 15_000);
  return new Promise((resolve) => p.on('close', (code) => (clearTimeout(timer), resolve({ code, shown }))));
}

describe('mqtt-rr on a terminal', () => {
  it('-d shows the round-trip time; a pipe does not get it', async () => {
    const topic = unique('rr/tty');
    const responder = await startResponder({ port: b.port, topic, behaviour: 'answer' });
    const args = ['-h', '127.0.0.1', '-p', String(b.port), '-t', topic, '-e', `${topic}/r`, '-m', 'x', '-d', '-W', '5'];
    const tty = await onTerminal(args);
    expect(tty.code).toBe(0);
    expect(tty.shown).toMatch(/Round trip: \d+\.\d ms from request to response\.\r?\n/);
    const piped = await runRr(RR_BIN, args);
    expect(piped.code).toBe(0);
    expect(piped.stdout.toString()).not.toContain('Round trip');
    await responder.close();
  });

  it('escapes control characters in the response, unless --raw', async () => {
    const topic = unique('rr/tty');
    const responder = await startResponder({ port: b.port, topic, behaviour: 'answer', reply: () => Buffer.from('a\x1b]0;pwned\x07b') });
    const args = ['-h', '127.0.0.1', '-p', String(b.port), '-t', topic, '-e', `${topic}/r`, '-m', 'x', '-W', '5'];
    expect((await onTerminal(args)).shown).toContain('a\\x1b]0;pwned\\x07b');
    expect((await onTerminal([...args, '--raw'])).shown).toContain('a\x1b]0;pwned\x07b');
    await responder.close();
  });
});
