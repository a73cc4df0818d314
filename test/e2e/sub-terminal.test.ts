// mqtt-sub on a real terminal (a tmux pane): colour for structure, dim escapes,
// the backslash escaped, --pretty, --timestamp, --stats, C1 controls in JSON,
// the broker's address after a connection error and the retry lines (mqtt-pub's
// too). Beside
// each, the same run through a pipe keeps mosquitto_sub's bytes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireMosquitto, startBroker, freePort, type Broker } from '../helpers/broker.js';
import { requireTmux, TmuxScreen } from '../helpers/tmux-screen.js';
import { join } from 'node:path';
import { mosquittoPub, requireBuild, ROOT, runMosquittoSub, runSub, SUB_BIN, unique, waitForSuback } from './sub-helpers.js';

let broker: Broker;
const screens: TmuxScreen[] = [];

beforeAll(async () => {
  requireBuild();
  requireMosquitto();
  requireTmux();
  broker = await startBroker();
});
afterAll(async () => broker?.stop());
afterEach(() => {
  for (const s of screens.splice(0)) s.kill();
});

const ESC_TEXT = 'literal \\x1b[2J text'; // a publisher typed backslash, x, 1, b
const ESC_BYTE = Buffer.from('byte \x1b[2J here');

/** mqtt-sub in a pane, subscribed (SUBACK seen) before it returns. */
async function subOnScreen(args: string, env: Record<string, string | undefined> = {}): Promise<TmuxScreen> {
  const id = unique('tty');
  const s = TmuxScreen.start(`${process.execPath} ${SUB_BIN} -p ${broker.port} -i ${id} ${args}`, {
    env: { XDG_CONFIG_HOME: '/nonexistent-mqtt-sub-test', TZ: 'UTC', ...env },
  });
  screens.push(s);
  await waitForSuback(broker, [id]);
  return s;
}

describe('-v on a terminal', () => {
  it('colours the topic and markers, dims escapes, and escapes the backslash', async () => {
    const t = unique('v');
    mosquittoPub(broker.port, ['-t', `${t}/text`, '-m', ESC_TEXT, '-q', '1', '-r']); // retained: it arrives with retain set
    const s = await subOnScreen(`-q 1 -v -t '${t}/#'`);
    mosquittoPub(broker.port, ['-t', `${t}/bytes`, '-s'], ESC_BYTE);
    const text = await s.waitFor(/bytes .*here/);
    // What a person reads: the typed backslash doubled, the ESC byte as \x1b; QoS/retain markers.
    expect(text).toContain(`${t}/text q1 r literal \\\\x1b[2J text`);
    expect(text).toContain(`${t}/bytes byte \\x1b[2J here`);
    const sgr = s.text(true);
    expect(sgr).toMatch(new RegExp(`\\x1b\\[[0-9;]*36m[^\\n]*${t}/text`)); // cyan topic
    expect(sgr).toMatch(/\x1b\[2m\\x1b/); // the escape is dim
  });

  it('NO_COLOR: no colour and no markers, escapes still shown', async () => {
    const t = unique('nocolor');
    const s = await subOnScreen(`-q 1 -v -t '${t}'`, { NO_COLOR: '1' });
    mosquittoPub(broker.port, ['-t', t, '-s', '-q', '1'], ESC_BYTE);
    const text = await s.waitFor(/here/);
    expect(text).toContain(`${t} byte \\x1b[2J here`);
    expect(s.text(true)).not.toMatch(/\x1b\[[0-9;]*3\dm/);
  });

  it('--timestamp prefixes the local time; --pretty lays out a JSON payload', async () => {
    const t = unique('pretty');
    const s = await subOnScreen(`-v --timestamp --pretty -t '${t}'`);
    mosquittoPub(broker.port, ['-t', t, '-m', '{"n":12345678901234567890,"a":[1,{"b":"\u0085"}]}']);
    const text = await s.waitFor(/^}/m);
    expect(text).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${t} \\{\\n  "n": 12345678901234567890,\\n  "a": \\[\\n    1,`, 'm'));
    expect(text).toContain('"b": "\\u0085"');
  });
});

describe('JSON on a terminal', () => {
  it('--json escapes C1 controls as \\u00XX; a pipe gets them raw', async () => {
    const t = unique('c1');
    const s = await subOnScreen(`--json -t '${t}'`);
    const piped = runSub(['-p', String(broker.port), '-t', t, '--json', '-C', '1']);
    await new Promise((r) => setTimeout(r, 300));
    mosquittoPub(broker.port, ['-t', t, '-m', 'a\u0085b\u009bc']);
    const text = await s.waitFor(/"payload"/);
    expect(text).toContain('"payload":"a\\u0085b\\u009bc"');
    const out = (await piped.done).stdout.toString('utf8');
    expect(out).toContain('"payload":"a\u0085b\u009bc"');
  });

  it('-F %j escapes C1 controls on a terminal', async () => {
    const t = unique('c1j');
    const s = await subOnScreen(`-F '%t %j' -t '${t}'`);
    mosquittoPub(broker.port, ['-t', t, '-m', 'x\u0090y']);
    const text = await s.waitFor(/"payload"/);
    expect(text).toContain('"payload":"x\\u0090y"');
  });

  it('--json --pretty lays the line out on a terminal', async () => {
    const t = unique('jp');
    const s = await subOnScreen(`--json --pretty -t '${t}'`);
    mosquittoPub(broker.port, ['-t', t, '-m', '{"a": [1, 2]}']);
    const text = await s.waitFor(/"encoding": "json"/);
    expect(text).toMatch(/"payload": \{\n {4}"a": \[\n {6}1,\n {6}2\n {4}\]\n {2}\},/);
  });
});

describe('--stats', () => {
  it('draws one live view on stderr, redrawn in place, never in stdout', async () => {
    const t = unique('stats');
    const s = await subOnScreen(`-t '${t}/#' --stats > /dev/null`);
    for (let i = 0; i < 12; i++) mosquittoPub(broker.port, ['-t', `${t}/${i % 3 === 0 ? 'hot' : 'cold'}`, '-m', 'x']);
    // Robust under load: wait for the count, not for a rate.
    const text = await s.waitFor(/12 total/);
    expect(text.match(/msg\/s/g)).toHaveLength(1);
    expect(text).toMatch(new RegExp(`/s  ${t}/cold\\n.*/s  ${t}/hot`));
  });

  it('stats are not in stdout when stdout is the screen', async () => {
    const t = unique('stats2');
    const s = await subOnScreen(`-t '${t}' --stats 2>/dev/null`);
    mosquittoPub(broker.port, ['-t', t, '-m', 'one']);
    await s.waitFor(/one/);
    await new Promise((r) => setTimeout(r, 1200));
    expect(s.text()).not.toContain('msg/s');
  });
});

describe('connection notes', () => {
  it('a refused connection names host and port on a terminal only', async () => {
    const port = await freePort();
    const s = TmuxScreen.start(`${process.execPath} ${SUB_BIN} -h 127.0.0.1 -p ${port} -t x`, { env: { XDG_CONFIG_HOME: '/nonexistent' } });
    screens.push(s);
    const text = await s.waitFor(/\[exit \d+\]/);
    expect(text).toContain(`Error: Connection refused (127.0.0.1:${port})`);
    const piped = await runSub(['-h', '127.0.0.1', '-p', String(port), '-t', 'x']).done;
    const theirs = await runMosquittoSub(['-h', '127.0.0.1', '-p', String(port), '-t', 'x']).done;
    expect(piped.stderr).toBe('Error: Connection refused\n');
    expect(piped.stderr).toBe(theirs.stderr);
    expect(piped.code).toBe(theirs.code);
  });

  it('a lost connection and each retry show on the terminal', async () => {
    const own = await startBroker();
    try {
      const id = unique('retry');
      const s = TmuxScreen.start(`${process.execPath} ${SUB_BIN} -p ${own.port} -i ${id} -t x`, { env: { XDG_CONFIG_HOME: '/nonexistent' } });
      screens.push(s);
      await waitForSuback(own, [id]);
      await own.restart();
      await s.waitFor(/connection lost; retrying \(attempt 1\) in 1 s/);
      await s.waitFor(new RegExp(`reconnected \\(localhost:${own.port}\\)`));
    } finally {
      await own.stop();
    }
  });
});

describe('mqtt-pub on a terminal', () => {
  it('--retry: a lost link and the retry show on stderr, counted against --retry', async () => {
    const own = await startBroker();
    try {
      const pub = join(ROOT, 'bin', 'mqtt-pub.js');
      const s = TmuxScreen.start(`(sleep 1.5; echo one) | ${process.execPath} ${pub} -p ${own.port} -t x -l -q 1 --retry 5; echo "status=$?"`, {
        env: { XDG_CONFIG_HOME: '/nonexistent' },
      });
      screens.push(s);
      await new Promise((r) => setTimeout(r, 700));
      await own.restart();
      const text = await s.waitFor(/status=\d+/);
      expect(text).toMatch(/connection lost; retrying 1\/5 in 0\.5 s\nreconnected \(localhost:\d+\)\nstatus=0/);
    } finally {
      await own.stop();
    }
  });
});

describe('mqtt-pub --retry on the first connection, on a terminal', () => {
  it('the spinner says what failed and when the next attempt comes', async () => {
    const port = await freePort();
    const pub = join(ROOT, 'bin', 'mqtt-pub.js');
    const s = TmuxScreen.start(`${process.execPath} ${pub} -p ${port} -t x -m x --retry 2; echo "status=$?"`, {
      env: { XDG_CONFIG_HOME: '/nonexistent' },
    });
    screens.push(s);
    await s.waitFor(/Connection refused; retrying 2\/2 in 1 s/);
    const text = await s.waitFor(/status=\d+/);
    expect(text).toMatch(/Error: Connection refused \(localhost:\d+\)\nstatus=1/);
  });
});

describe('pipes keep mosquitto_sub bytes', () => {
  it('-v --pretty, backslashes, ESC and C1 bytes are identical to mosquitto_sub, even with FORCE_COLOR', async () => {
    const t = unique('pipe');
    const env = { ...process.env, XDG_CONFIG_HOME: '/nonexistent', FORCE_COLOR: '1', NO_COLOR: '' };
    const ours = runSub(['-p', String(broker.port), '-t', t, '-v', '--pretty', '-C', '4'], { env });
    const theirs = runMosquittoSub(['-p', String(broker.port), '-t', t, '-v', '--pretty', '-C', '4'], { env });
    await new Promise((r) => setTimeout(r, 500));
    mosquittoPub(broker.port, ['-t', t, '-m', ESC_TEXT]);
    mosquittoPub(broker.port, ['-t', t, '-s'], ESC_BYTE);
    mosquittoPub(broker.port, ['-t', t, '-m', '{"a": [1,\n2], "c": "\u0085"}']);
    mosquittoPub(broker.port, ['-t', t, '-n']);
    const [a, b] = await Promise.all([ours.done, theirs.done]);
    expect(a.code).toBe(0);
    expect(a.stdout.equals(b.stdout)).toBe(true);
    expect(a.stdout.toString('latin1')).toContain('\x1b[2J');
  });
});
