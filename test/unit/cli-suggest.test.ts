// "Did you mean" for unknown options, and the -D property lists: our lines after mosquitto's.
import { describe, expect, it } from 'vitest';
import { nearestOption } from '../../src/cli/shared/suggest.js';
import { optionNames } from '../../src/cli/shared/option-table.js';
import { SUB_OPTIONS } from '../../src/cli/sub/command.js';
import { parseToolArgs } from '../../src/cli/shared/tool-args.js';
import { argvErrorText, type ArgvError } from '../../src/cli/shared/argv-error.js';

const names = optionNames(SUB_OPTIONS);

function errorOf(argv: string[]): string {
  try {
    parseToolArgs(argv, { tool: 'mqtt-sub', specs: SUB_OPTIONS, noConfigFile: true });
  } catch (e) {
    return argvErrorText(e as ArgvError, 'mqtt-sub');
  }
  throw new Error('no error');
}

describe('nearest option', () => {
  it.each([
    ['--topc', '--topic'],
    ['--verbos', '--verbose'],
    ['--retained-onyl', '--retained-only'],
    ['--cafil', '--cafile'],
  ])('%s → %s', (typo, near) => expect(nearestOption(typo, names)).toBe(near));

  it.each(['--xyzzy', '--', '-z', '--tpoic-filter-everything'])('%s: no guess', (typo) =>
    expect(nearestOption(typo, names)).toBeUndefined(),
  );

  it("keeps mosquitto's line first", () => {
    expect(errorOf(['--topc', 'a'])).toBe("Error: Unknown option '--topc'.\nDid you mean '--topic'?\n\nUse 'mqtt-sub --help' to see usage.");
  });
});

describe('-D property names', () => {
  it('a bad name is named, and the valid ones for the packet listed', () => {
    const text = errorOf(['-t', 'a', '-D', 'subscribe', 'nope\u001b', '1']);
    expect(text.split('\n')[0]).toBe('Error: Invalid property name given in --property argument.');
    expect(text.split('\n')[1]).toBe("'nope\\x1b' is not a property name; -D subscribe takes: subscription-identifier, user-property.");
  });

  it('a property the packet does not take lists those it does', () => {
    const text = errorOf(['-t', 'a', '-D', 'connect', 'content-type', 'x']);
    expect(text.split('\n')[1]).toMatch(/^-D connect takes: session-expiry-interval, .*user-property/);
  });
});
