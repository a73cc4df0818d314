// mqtt-pub on a real terminal (a pty from util-linux `script`): --password-prompt
// reads the password without echo; stdout stays clean while colour and the
// spinner live on stderr.
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { PUB_BIN, pub, requireBuild } from './pub-run.js';
import { startRelay } from './capture-relay.js';

let broker: Broker;
let dir: string;

beforeAll(async () => {
  requireBuild();
  requireMosquitto();
  if (spawnSync('script', ['--version']).error) throw new Error('util-linux `script` is needed for the terminal tests (apt-get install bsdutils).');
  dir = mkdtempSync(join(tmpdir(), 'mqtt-pub-tty-'));
  const pw = join(dir, 'passwd');
  if (spawnSync('mosquitto_passwd', ['-b', '-c', pw, 'alice', 's3cret']).status !== 0) throw new Error('mosquitto_passwd failed');
  broker = await startBroker({ passwordFile: pw });
});
afterAll(async () => {
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `shell` in a pty, typing `answer` once `prompt` shows; resolves with what the terminal showed. */
function onTerminal(shell: string, prompt: RegExp, answer: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '' };
    delete env.CI; // the spinner stays off under CI=1
    delete env.FORCE_COLOR;
    const p = spawn('script', ['-q', '-e', '-c', shell, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let out = '';
    let answered = false;
    const timer = setTimeout(() => p.kill('SIGKILL'), 15_000);
    p.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('latin1');
      if (!answered && prompt.test(out)) {
        answered = true;
        p.stdin.write(answer);
      }
    });
    p.on('error', reject);
    p.on('close', () => {
      clearTimeout(timer);
      p.stdin.destroy();
      resolve(out);
    });
  });
}

describe('--password-prompt', () => {
  const cmd = (pw: string): string =>
    `${process.execPath} ${PUB_BIN} -h 127.0.0.1 -p ${broker.authPort} -u alice --password-prompt -t a/b -m x; echo "status=$?"`;

  it('asks on the terminal without echo and logs in', async () => {
    const out = await onTerminal(cmd('s3cret'), /Password: /, 's3cret\r');
    expect(out).toContain('status=0');
    expect(out).not.toContain('s3cret');
  });

  it('the prompt shows on the terminal even with stderr redirected', async () => {
    const out = await onTerminal(cmd('s3cret').replace('-m x;', '-m x 2>/dev/null;'), /Password: /, 's3cret\r');
    expect(out).toContain('status=0');
  });

  it('a wrong password gives the CONNACK code (5)', async () => {
    const out = await onTerminal(cmd('nope'), /Password: /, 'nope\r');
    expect(out).toContain('status=5');
    expect(out).toMatch(/Connection error: Connection Refused: not authorised\./);
  });

  it('Ctrl-C at the prompt exits 255 and leaves nothing typed on screen', async () => {
    const out = await onTerminal(cmd(''), /Password: /, 'abc\u0003');
    expect(out).toContain('status=255');
    expect(out).not.toContain('abc');
  });
});

describe('connecting spinner', () => {
  it('shows on a terminal while a slow broker answers, and never without one', async () => {
    const relay = await startRelay(broker.port, { version: 4, delayConnackMs: 1500 });
    const args = `-h 127.0.0.1 -p ${relay.port} -t a/b -m x`;
    const out = await onTerminal(`stty cols 80; ${process.execPath} ${PUB_BIN} ${args}; echo "status=$?"`, /(?!)/, '');
    expect(out).toContain('status=0');
    expect(out).toContain('Connecting');
    // The same pty with no width: no spinner at all (ora cannot draw there).
    const narrow = await onTerminal(`stty cols 0; ${process.execPath} ${PUB_BIN} ${args}; echo "status=$?"`, /(?!)/, '');
    expect(narrow).toContain('status=0');
    expect(narrow).not.toContain('Connecting');
    const piped = await pub(args.split(' '));
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout.length).toBe(0);
    await relay.close();
  }, 20_000);
});
