import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PUB_OPTIONS } from '../../src/cli/pub/command.js';
import { MissingTopicOrMessage, toPublishPlan } from '../../src/cli/pub/options.js';
import { VERSION } from '../../src/cli/shared/usage-text.js';
import { parseToolArgs } from '../../src/cli/shared/tool-args.js';
import { ArgvError } from '../../src/cli/shared/argv-error.js';

const plan = (argv: string[]) =>
  toPublishPlan(parseToolArgs(argv, { tool: 'mqtt-pub', specs: PUB_OPTIONS, noConfigFile: true }), { pid: 7 });
const fails = (argv: string[]) => {
  try {
    plan(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(ArgvError);
    return (e as Error).message;
  }
  throw new Error(`expected failure: ${argv.join(' ')}`);
};

describe('mqtt-pub argv → PublishPlan', () => {
  it('-m', () => {
    const p = plan(['-t', 'a/b', '-m', 'hé', '-q', '1', '-r']);
    expect(p).toMatchObject({ topic: 'a/b', qos: 1, retain: true, repeat: 1, repeatDelayMs: 0 });
    expect(p.source).toEqual({ kind: 'message', payload: Buffer.from('hé') });
  });

  it('values are taken verbatim, even when they look like options', () => {
    expect(plan(['-t', 't', '-m', '-5']).source).toEqual({ kind: 'message', payload: Buffer.from('-5') });
    expect(plan(['-t', '--topic', '-m', '']).topic).toBe('--topic');
  });

  it('every message mode; exactly one', () => {
    expect(plan(['-t', 't', '-f', 'x']).source).toEqual({ kind: 'file', path: 'x' });
    expect(plan(['-t', 't', '-s']).source).toEqual({ kind: 'stdin' });
    expect(plan(['-t', 't', '--stdin-line', '--repeat', '5']).source).toEqual({ kind: 'lines' });
    expect(plan(['-t', 't', '-l', '--repeat', '5']).repeat).toBe(1);
    expect(plan(['-t', 't', '-n']).source).toEqual({ kind: 'null' });
    expect(fails(['-t', 't', '-m', 'a', '-n'])).toMatch(/Only one type/);
    expect(fails(['-t', 't', '-m', 'a', '-m', 'b'])).toMatch(/Only one type/);
  });

  it('topic and message are both required', () => {
    expect(() => plan(['-t', 't'])).toThrow(MissingTopicOrMessage);
    expect(() => plan(['-m', 'x'])).toThrow(MissingTopicOrMessage);
  });

  it('topic checks', () => {
    expect(fails(['-t', 'a/+', '-m', 'x'])).toMatch(/Invalid publish topic 'a\/\+'/);
    expect(fails(['-t', '#', '-m', 'x'])).toMatch(/Invalid publish topic/);
    expect(fails(['-t', '', '-m', 'x'])).toMatch(/must not be empty/);
    expect(fails(['-t', 'a\u0000b', '-m', 'x'])).toMatch(/Malformed UTF-8/);
    // As mosquitto_pub: control characters and non-characters are refused up front
    // (a broker would drop the PUBLISH as malformed, unnoticed at QoS 0).
    for (const t of ['a\u0001b', 'a\u007fb', 'a\u0085b', 'a\ufffeb']) expect(fails(['-t', t, '-m', 'x'])).toMatch(/^Malformed UTF-8 in -t argument\.$/);
    expect(fails(['-t', 'ok', '-m', 'x', '--will-topic', 'w\u0002'])).toMatch(/Malformed UTF-8 in --will-topic argument/);
  });

  it('-L gives the topic unless a later -t overrides it', () => {
    expect(plan(['-t', 'x', '-L', 'mqtt://h/from/url', '-n']).topic).toBe('from/url');
    expect(plan(['-L', 'mqtt://h/from/url', '-t', 'x', '-n']).topic).toBe('x');
  });

  it('--repeat and --repeat-delay', () => {
    expect(plan(['-t', 't', '-n', '--repeat', '3', '--repeat-delay', '0.25'])).toMatchObject({ repeat: 3, repeatDelayMs: 250 });
    expect(fails(['-t', 't', '-n', '--repeat', '0'])).toMatch(/--repeat argument must be >0/);
    expect(fails(['-t', 't', '-n', '--repeat-delay', '-1'])).toMatch(/>=0.0/);
  });

  it('publish properties under v5 only; topic-alias is left to the client', () => {
    const p = plan(['-t', 't', '-n', '-D', 'publish', 'topic-alias', '3', '-D', 'publish', 'response-topic', 'r']);
    expect(p.properties).toEqual({ responseTopic: 'r' });
    expect(plan(['-t', 't', '-n', '-D', 'publish', 'response-topic', 'r', '-V', '311']).properties).toBeUndefined();
  });

  it('unknown options and missing values', () => {
    expect(fails(['-t', 't', '-n', '-v'])).toMatch(/Unknown option '-v'/);
    expect(fails(['-t', 't', '-n', '--topic=x'])).toMatch(/Unknown option/);
    expect(fails(['-t'])).toMatch(/-t argument given but no topic specified/);
    expect(fails(['-t', 't', '-n', '-D', 'publish', 'user-property', 'a'])).toMatch(/not enough arguments/);
  });

  it('help version equals package.json', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
