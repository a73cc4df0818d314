// The kind of run the code cache records (src/cli/shared/run-kind.ts): our option
// names, and only the QoS and MQTT version among the values.
import { describe, expect, it } from 'vitest';
import { argsKind } from '../../src/cli/shared/run-kind.js';
import { parseToolArgs } from '../../src/cli/shared/tool-args.js';
import { PUB_OPTIONS, TOOL } from '../../src/cli/pub/command.js';

const kind = (argv: string[]): string => argsKind(parseToolArgs(argv, { tool: TOOL, specs: PUB_OPTIONS, noConfigFile: true }));

describe('argsKind', () => {
  it('is the option keys given, sorted, whatever their order, spelling or repetition', () => {
    expect(kind(['-t', 'a/b', '-m', 'hello', '-p', '1883'])).toBe('message port topic');
    expect(kind(['--port', '1', '--message', 'x', '--topic', 'a', '-t', 'b'])).toBe('message port topic');
  });

  it('keeps the values that choose other code: the QoS and the MQTT version', () => {
    expect(kind(['-t', 'a', '-l', '-q', '2', '-V', 'mqttv5'])).toBe('protocolVersion=mqttv5 qos=2 stdinLine topic');
    expect(kind(['-t', 'a', '-m', 'x', '-q', '1'])).not.toBe(kind(['-t', 'a', '-m', 'x', '-q', '2']));
  });

  it('never holds what the user typed otherwise: payloads, topics, passwords', () => {
    const k = kind(['-t', 'secret-topic', '-m', '-secret', '-u', 'me', '-P', 'hunter2', '-D', 'publish', 'user-property', 'a', 'b']);
    expect(k).toBe('message password property protocolVersion=5 topic username'); // -D implies MQTT 5
    expect(k).not.toMatch(/secret|hunter2|\bme\b/);
  });
});
