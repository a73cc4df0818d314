// Ctrl-C on a real terminal (a pty from util-linux `script`) while "Connecting…"
// spins: the ^C byte goes through the terminal's line discipline, as a user's
// would, and must stop the tool at once with 255, leaving the terminal in
// canonical mode with echo. Lines typed for -l during the spinner are echoed
// and published as typed.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { startRelay } from './capture-relay.js';
import { PUB_BIN, requireBuild } from './pub-run.js';
import { runMosquittoSub, SUB_BIN, unique, waitForSuback } from './sub-helpers.js';

let broker: Broker;
let silent: Server; // accepts connections and never answers: CONNACK never comes
let silentPort: number;
const sockets = new Set<Socket>();

beforeAll(async () => {
  requireBuild();
  requireMosquitto();
  if (spawnSync('script', ['--version']).error) throw new Error('util-linux `script` is needed for the terminal tests (apt-get install bsdutils).');
  broker = await startBroker();
  silent = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  sockets.forEach((s) => s.destroy());
  silent?.close();
  await broker?.stop();
});

interface Step {
  when: RegExp | Promise<unknown>;
  type: string;
}

/** Runs `shell` in a pty, typing each step's text once its cue shows; resolves with what the terminal showed. */
function onTerminal(shell: string, steps: Step[]): Promise<{ out: string; ms: number }> {
  return new Promise((resolve, reject) => {
    // `script -c` runs the command with $SHELL. dash (CI's /bin/sh) dies of the ^C itself before it can print the
    // status; bash waits for the foreground child, as an interactive user's shell does.
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', SHELL: '/bin/bash' };
    delete env.CI; // the spinner stays off under CI=1
    delete env.FORCE_COLOR;
    const started = Date.now();
    const p = spawn('script', ['-q', '-e', '-c', `stty cols 80; ${shell}; echo "status=$?"; stty -a`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let out = '';
    let next = 0;
    const timer = setTimeout(() => p.kill('SIGKILL'), 15_000);
    const advance = (): void => {
      const step = steps[next];
      if (!step || !(step.when instanceof RegExp) || !step.when.test(out)) return;
      next++;
      p.stdin.write(step.type);
      advance();
    };
    for (const s of steps) {
      if (s.when instanceof RegExp) continue;
      void s.when.then(() => {
        if (steps[next] === s) {
          next++;
          p.stdin.write(s.type);
          advance();
        }
      });
    }
    p.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('latin1');
      advance();
    });
    p.on('error', reject);
    p.on('close', () => {
      clearTimeout(timer);
      p.stdin.destroy();
      resolve({ out, ms: Date.now() - started });
    });
  });
}

/** The terminal is as a shell expects it: canonical mode, echo on. */
function expectSaneTerminal(out: string): void {
  expect(out).toMatch(/(^|\s)icanon(\s|$)/m);
  expect(out).toMatch(/(^|\s)echo(\s|$)/m);
  expect(out).not.toMatch(/-icanon|(^|\s)-echo(\s|$)/m);
}

const node = process.execPath;

describe('Ctrl-C while connecting', () => {
  it('mqtt-pub: a broker that never answers CONNACK', async () => {
    const { out, ms } = await onTerminal(`${node} ${PUB_BIN} -h 127.0.0.1 -p ${silentPort} -t a -m x`, [{ when: /Connecting/, type: '\u0003' }]);
    expect(out).toContain('status=255');
    expect(ms).toBeLessThan(8000);
    expectSaneTerminal(out);
  });

  it('mqtt-pub --retry 5 against a dead port', async () => {
    const dead = await freePort();
    const { out } = await onTerminal(`${node} ${PUB_BIN} -h 127.0.0.1 -p ${dead} --retry 5 -t a -m x`, [{ when: /Connecting/, type: '\u0003' }]);
    expect(out).toContain('status=255');
    expectSaneTerminal(out);
  });

  it('mqtt-sub: a broker that never answers CONNACK', async () => {
    const { out } = await onTerminal(`${node} ${SUB_BIN} -h 127.0.0.1 -p ${silentPort} -t a`, [{ when: /Connecting/, type: '\u0003' }]);
    expect(out).toContain('status=255');
    expectSaneTerminal(out);
  });
});

describe('mqtt-pub -l on a terminal', () => {
  it('lines typed while the spinner shows are echoed and published as typed', async () => {
    const topic = unique('tty-l');
    const sub = runMosquittoSub(['-p', String(broker.port), '-t', topic, '-C', '2', '-i', topic, '-W', '15']);
    await waitForSuback(broker, [topic]);
    const relay = await startRelay(broker.port, { version: 4, delayConnackMs: 1500 });
    const { out } = await onTerminal(`${node} ${PUB_BIN} -h 127.0.0.1 -p ${relay.port} -t ${topic} -l -q 1`, [
      { when: /Connecting/, type: 'early\r' },
      { when: relay.connacked.then(() => new Promise((r) => setTimeout(r, 300))), type: 'late\r\u0004' },
    ]);
    expect(out).toContain('status=0');
    expect(out).toContain('early'); // echoed
    expectSaneTerminal(out);
    expect((await sub.done).stdout.toString()).toBe('early\nlate\n');
    await relay.close();
  }, 20_000);
});
