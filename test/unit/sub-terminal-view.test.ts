// The pieces of the terminal view, without a terminal: the escapes, the JSON
// layout, the --stats view, the connection notes and when stdout gets colour.
import { describe, expect, it } from 'vitest';
import { ByteSink } from '../../src/cli/sub/output.js';
import { jsonTerminalSafe, writeTerminalSafe } from '../../src/cli/sub/terminal-safety.js';
import { JSON_COLOURS, jsonPayloadText, layoutJson } from '../../src/cli/sub/pretty-json.js';
import { StatsView } from '../../src/cli/sub/stats-view.js';
import { stdoutColour } from '../../src/cli/sub/terminal-printer.js';
import { retryLine, targetText, withTarget } from '../../src/cli/shared/connection-notes.js';
import { MqttToolError } from '../../src/errors.js';

const safe = (s: string | Buffer, style?: { on: string; off: string }): string => {
  const sink = new ByteSink(16);
  writeTerminalSafe(sink, Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8'), style);
  return sink.take().toString('utf8');
};

describe('terminal escapes', () => {
  it('a typed backslash is doubled, so it cannot pass for an escaped byte', () => {
    expect(safe('a\\x1b b')).toBe('a\\\\x1b b');
    expect(safe(Buffer.from('a\x1bb'))).toBe('a\\x1bb');
  });

  it('escapes are wrapped in the style given (dim on a colour terminal)', () => {
    expect(safe(Buffer.from('a\x07\\'), { on: '<', off: '>' })).toBe('a<\\x07><\\\\>');
  });

  it('JSON: DEL and C1 become \\u escapes (still valid JSON), other text untouched', () => {
    const out = Buffer.from(jsonTerminalSafe(Buffer.from('{"p":"a\u0085b\u007fé😀"}', 'utf8'))).toString('utf8');
    expect(out).toBe('{"p":"a\\u0085b\\u007fé😀"}');
    expect(JSON.parse(out)).toEqual({ p: 'a\u0085b\u007fé😀' });
    const plain = Buffer.from('{"a":1}');
    expect(jsonTerminalSafe(plain)).toBe(plain);
    expect(Buffer.from(jsonTerminalSafe(Buffer.from([0x22, 0xff, 0x22]))).toString('latin1')).toBe('"\\xff"');
  });
});

describe('JSON layout', () => {
  it('keeps numbers and escapes exactly, indents, colours keys and values', () => {
    const text = '{"n": 12345678901234567890, "s": "a\\"b", "e": [], "o": {}, "l": [true, null, -1.5e3]}';
    expect(layoutJson(text)).toBe('{"n":12345678901234567890,"s":"a\\"b","e":[],"o":{},"l":[true,null,-1.5e3]}');
    expect(layoutJson('{"a":[1,{"b":2}]}', undefined, '  ')).toBe('{\n  "a": [\n    1,\n    {\n      "b": 2\n    }\n  ]\n}');
    expect(layoutJson('{"k":"v"}', JSON_COLOURS)).toBe('{\x1b[34m"k"\x1b[39m:\x1b[32m"v"\x1b[39m}');
  });

  it('only objects and arrays that parse count as JSON payloads', () => {
    expect(jsonPayloadText(Buffer.from(' {"a":1}'))).toBe(' {"a":1}');
    expect(jsonPayloadText(Buffer.from('12'))).toBeUndefined();
    expect(jsonPayloadText(Buffer.from('{"a":'))).toBeUndefined();
    expect(jsonPayloadText(Buffer.from([0x7b, 0xff, 0x7d]))).toBeUndefined();
  });
});

describe('--stats view', () => {
  it('rates over the seconds seen, busiest topics first, escaped and cut to the width', () => {
    let now = 10_000;
    const written: string[] = [];
    const view = new StatsView({ write: (t) => written.push(t), columns: 30 }, () => now);
    for (let i = 0; i < 4; i++) view.count('hot', 100);
    view.count('cold\x1b[2J', 100);
    now += 1000;
    view.count('hot', 100);
    const lines = view.lines();
    expect(lines[0]).toContain('3.0 msg/s  300 B/s  6 total');
    expect(lines[1]).toBe('     2.5/s  hot');
    expect(lines[2]).toBe('     0.5/s  cold\\x1b[2J');
    view.count('a/very/long/topic/name/that/wraps', 1);
    expect(view.lines().every((l) => l.length <= 29 || l.startsWith('\x1b'))).toBe(true);
  });

  it('redraws in place: the previous view is wiped first', () => {
    const written: string[] = [];
    const view = new StatsView({ write: (t) => written.push(t) }, () => 0);
    view.count('t', 1);
    view.draw();
    view.draw();
    expect(written[1]).toBe('\x1b[2F\x1b[J');
    view.clear();
    view.clear();
    expect(written.filter((w) => w.includes('\x1b[J'))).toHaveLength(2);
  });
});

describe('connection notes', () => {
  const refused = new MqttToolError('CONNECT_FAILED', 'connect ECONNREFUSED');
  it('the address follows the error on a terminal only', () => {
    const target = targetText({ kind: 'tcp', host: '::1', port: 1883 });
    expect(target).toBe('[::1]:1883');
    expect(withTarget('Error: Connection refused', refused, target, true)).toBe('Error: Connection refused ([::1]:1883)');
    expect(withTarget('Error: Connection refused', refused, target, false)).toBe('Error: Connection refused');
    expect(withTarget('Timed out', new MqttToolError('TIMEOUT', 'Timed out'), target, true)).toBe('Timed out');
  });

  it('names the SOCKS proxy on the way (a refused proxy is a failed connect)', () => {
    const t = targetText({ kind: 'tcp', host: 'broker', port: 1883 }, { protocol: 'socks5h', host: '::1', port: 1080 });
    expect(t).toBe('broker:1883 via socks5h proxy [::1]:1080');
  });

  it('retry lines say which attempt and how long', () => {
    expect(retryLine({ maxAttempts: 5 }, 2, 2000)).toBe('connection lost; retrying 2/5 in 2 s');
    expect(retryLine({ maxAttempts: Infinity }, 3, 1000)).toBe('connection lost; retrying (attempt 3) in 1 s');
    expect(retryLine({ maxAttempts: 3 }, 1, 500, 'Connection refused')).toBe('Connection refused; retrying 1/3 in 0.5 s');
  });
});

describe('colour on stdout', () => {
  it('only on a terminal; NO_COLOR and FORCE_COLOR=0 turn it off; FORCE_COLOR overrides TERM=dumb', () => {
    expect(stdoutColour({}, true)).toBe(true);
    expect(stdoutColour({ FORCE_COLOR: '1' }, false)).toBe(false);
    expect(stdoutColour({ NO_COLOR: '1' }, true)).toBe(false);
    expect(stdoutColour({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(stdoutColour({ TERM: 'dumb' }, true)).toBe(false);
    expect(stdoutColour({ TERM: 'dumb', FORCE_COLOR: '1' }, true)).toBe(true);
  });
});
