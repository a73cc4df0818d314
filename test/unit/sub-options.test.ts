// argv → SubscribePlan: mosquitto_sub's checks and texts, our extra options,
// and the options file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUB_OPTIONS, TOOL } from '../../src/cli/sub/command.js';
import { toSubscribePlan, type SubscribePlan } from '../../src/cli/sub/options.js';
import { ArgvError } from '../../src/cli/shared/argv-error.js';
import { parseToolArgs } from '../../src/cli/shared/tool-args.js';

function plan(argv: string[], env?: NodeJS.ProcessEnv): SubscribePlan {
  const args = env
    ? parseToolArgs(argv, { tool: TOOL, specs: SUB_OPTIONS, env })
    : parseToolArgs(argv, { tool: TOOL, specs: SUB_OPTIONS, noConfigFile: true });
  return toSubscribePlan(args, { pid: 4242 });
}

/** The usage error argv gets; anything else (no error, another error) fails the test. */
function thrown(argv: string[]): ArgvError {
  try {
    plan(argv);
  } catch (e) {
    if (e instanceof ArgvError) return e;
    throw e;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

const error = (argv: string[]): string => thrown(argv).message;

describe('mosquitto_sub checks', () => {
  it.each([
    [[], 'You must specify a topic to subscribe to.'],
    [['-U', 'a'], 'You must specify a topic to subscribe to.'],
    [['-t', 'a', '-C', '0'], 'Invalid message count "0".'],
    [['-t', 'a', '-C', '-3'], 'Invalid message count "-3".'],
    [['-t', 'a', '-W', '0'], 'Invalid timeout "0".'],
    [['-t', 'a', '--random-filter', '0.01'], '--random-filter chance must be between 0.1-100.0'],
    [['-t', 'a', '--random-filter', '100.1'], '--random-filter chance must be between 0.1-100.0'],
    [['-t', 'a/#/b'], "Invalid subscription topic 'a/#/b', are all '+' and '#' wildcards correct?"],
    [['-t', 'a+'], "Invalid subscription topic 'a+', are all '+' and '#' wildcards correct?"],
    // mosquitto's UTF-8 check also refuses control characters and non-characters.
    [['-t', 'a\u0001b'], 'Malformed UTF-8 in -t argument.'],
    [['-t', 'a\u0085/#'], 'Malformed UTF-8 in -t argument.'],
    [['-t', 'a', '-T', 'x\uffffy'], 'Malformed UTF-8 in -T argument.'],
    [['-t', 'a', '-T', 'a/#/b'], "Invalid filter topic 'a/#/b', are all '+' and '#' wildcards correct?"],
    [['-t', 'a', '-U', '+a'], "Invalid unsubscribe topic '+a', are all '+' and '#' wildcards correct?"],
    [['-t', 'a', '-F', '%Z'], "Invalid format specifier 'Z'."],
    [['-t', 'a', '-F', '%'], 'Incomplete format specifier.'],
    [['-t', 'a', '-R', '--retained-only'], "Combining '-R' and '--retained-only' makes no sense."],
    [['-t', 'a', '-C'], '-C argument given but no count specified.'],
    [['-t', 'a', '-q', '3'], 'Invalid QoS given: 3'],
    [['-t', 'a', '-m', 'x'], "Unknown option '-m'."],
    [['-t', 'a', '-r'], "Unknown option '-r'."],
  ])('%j → %s', (argv, message) => {
    expect(error(argv as string[])).toBe(message);
  });

  it('-R/--retained-only has no usage hint (as mosquitto), other checks have one', () => {
    expect(thrown(['-t', 'a', '-R', '--retained-only']).usageHint).toBe(false);
    expect(thrown(['-t', 'a', '-C', '0']).usageHint).toBe(true);
  });
});

describe('plan', () => {
  it('defaults: one QoS 0 subscription per -t in one SUBSCRIBE, payload-only output', () => {
    const p = plan(['-t', 'a', '-t', 'b/+', '-q', '1']);
    expect(p.subscriptions).toEqual([
      { topicFilter: 'a', qos: 1 },
      { topicFilter: 'b/+', qos: 1 },
    ]);
    expect(p.output).toMatchObject({ mode: 'default', eol: true, pretty: false, encoding: 'raw', raw: false });
    expect(p.randomFilter).toBe(10000);
    expect(p.count).toBeUndefined();
    expect(p.connection.client.protocolVersion).toBe(4);
  });

  it('-L adds its topic as another subscription', () => {
    const p = plan(['-t', 'a', '-L', 'mqtt://localhost:1999/x/y']);
    expect(p.subscriptions.map((s) => s.topicFilter)).toEqual(['a', 'x/y']);
  });

  it('-v, -N, -F, --pretty, --json, --output', () => {
    expect(plan(['-t', 'a', '-v']).output.mode).toBe('verbose');
    expect(plan(['-t', 'a', '-v', '-F', '%t']).output.mode).toBe('format');
    expect(plan(['-t', 'a', '-N']).output.eol).toBe(false);
    expect(plan(['-t', 'a', '--json']).output.mode).toBe('json');
    expect(plan(['-t', 'a', '--output', 'base64']).output.encoding).toBe('base64');
    expect(error(['-t', 'a', '--output', 'octal'])).toBe("Invalid output encoding 'octal', it must be hex, base64 or raw.");
    expect(error(['-t', 'a', '--json', '-F', '%t'])).toBe('Only one of -F and --json may be given.');
  });

  it('-C caps the v5 receive maximum at N (mosquitto #2134)', () => {
    expect(plan(['-t', 'a', '-C', '3', '-V', '5']).connection.client.properties?.receiveMaximum).toBe(3);
    expect(plan(['-t', 'a', '-C', '300', '-V', '5']).connection.client.properties?.receiveMaximum).toBe(300);
    expect(plan(['-t', 'a', '-C', '3']).connection.client.properties?.receiveMaximum).toBeUndefined();
    const p = plan(['-t', 'a', '-C', '10', '-D', 'connect', 'receive-maximum', '4']);
    expect(p.connection.client.properties?.receiveMaximum).toBe(4);
  });

  it('-W in ms, --random-filter out of 10000', () => {
    const p = plan(['-t', 'a', '-W', '2', '--random-filter', '12.5']);
    expect(p.timeoutMs).toBe(2000);
    expect(p.randomFilter).toBe(1250);
  });

  it('v5 subscription options: -R sets retain handling 2; ours select v5', () => {
    expect(plan(['-t', 'a', '-R', '-V', '5']).subscriptions[0]).toEqual({ topicFilter: 'a', qos: 0, retainHandling: 2 });
    expect(plan(['-t', 'a', '-R']).subscriptions[0]).toEqual({ topicFilter: 'a', qos: 0 });
    const p = plan(['-t', 'a', '--no-local', '--retain-as-published', '--retain-handling', '1']);
    expect(p.connection.client.protocolVersion).toBe(5);
    expect(p.subscriptions[0]).toEqual({ topicFilter: 'a', qos: 0, noLocal: true, retainAsPublished: true, retainHandling: 1 });
    expect(error(['-t', 'a', '--retain-handling', '3'])).toBe("Invalid retain handling '3', it must be 0, 1 or 2.");
  });

  it('subscription identifier from our option or -D subscribe', () => {
    expect(plan(['-t', 'a', '--subscription-identifier', '7']).subscribeProperties).toEqual({ subscriptionIdentifiers: [7] });
    expect(plan(['-t', 'a', '-D', 'subscribe', 'subscription-identifier', '9']).subscribeProperties).toEqual({
      subscriptionIdentifiers: [9],
    });
    expect(error(['-t', 'a', '--subscription-identifier', '0'])).toBe(
      "Invalid subscription identifier '0', it must be between 1 and 268435455.",
    );
  });

  it('reads $XDG_CONFIG_HOME/mqtt-sub first; -t there adds to argv', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqtt-sub-conf-'));
    writeFileSync(join(dir, TOOL), '# comment\n-t from/file\n-v\n-p 18831 -C 1\n');
    const p = plan(['-t', 'cli', '-p', '1999'], { XDG_CONFIG_HOME: dir });
    expect(p.subscriptions.map((s) => s.topicFilter)).toEqual(['from/file', 'cli']);
    expect(p.output.mode).toBe('verbose');
    expect(p.connection.client.transport).toMatchObject({ port: 1999 });
  });
});
