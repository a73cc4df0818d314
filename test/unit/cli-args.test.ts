import { describe, expect, it } from 'vitest';
import { atof, atoi, emptyArgs, latest, parseArgs } from '../../src/cli/shared/args.js';
import { optionIndex, type OptionSpec } from '../../src/cli/shared/option-table.js';

const specs: OptionSpec[] = [
  { names: ['-a', '--aa'], key: 'a', kind: 'value', what: 'thing' },
  { names: ['-f'], key: 'f', kind: 'flag' },
  { names: ['-T'], key: 'T', kind: 'value', repeatable: true },
  { names: ['-m'], key: 'm', kind: 'value', group: 'mode', groupError: 'one mode' },
  { names: ['-n'], key: 'n', kind: 'flag', group: 'mode', groupError: 'one mode' },
  { names: ['-X'], key: 'X', kind: 'value', unsupported: 'no X here' },
  { names: ['--help'], key: 'help', kind: 'help' },
];
const index = optionIndex(specs);
const parse = (argv: string[]) => parseArgs(argv, index);

describe('argv grammar', () => {
  it('exact spellings, verbatim values, last scalar wins, repeatables accumulate', () => {
    const a = parse(['-a', '1', '--aa', '-2', '-f', '-T', 'x', '-T', 'y']);
    expect(a.values).toMatchObject({ a: '-2', f: true });
    expect(a.lists.T).toEqual(['x', 'y']);
  });

  it('errors: unknown, missing value, exclusive group; an unsupported option is read (its tool refuses it later)', () => {
    expect(() => parse(['-af'])).toThrow("Unknown option '-af'.");
    expect(() => parse(['--a'])).toThrow(/Unknown option/);
    expect(() => parse(['-a'])).toThrow('-a argument given but no thing specified.');
    expect(() => parse(['-m', 'x', '-n'])).toThrow('one mode');
    expect(parse(['-X', '1']).values).toMatchObject({ X: '1' });
  });

  it('--help stops parsing (later errors are not reported)', () => {
    expect(parse(['--help', '--bogus']).request).toBe('help');
    expect(() => parse(['--bogus', '--help'])).toThrow(/Unknown option/);
  });

  it('latest() tells which of some keys was set last', () => {
    const a = parseArgs(['-a', '1', '-T', 'x'], index, {}, emptyArgs());
    expect(latest(a, 'a', 'T')).toBe('T');
    expect(latest(a, 'a', 'nope')).toBe('a');
    expect(latest(a, 'f', 'a', 'T')).toBe('T');
    expect(latest(a, 'x', 'y')).toBeUndefined();
  });

  it('write positions belong to one parse: nothing is shared between parses', () => {
    const first = parse(['-a', '1', '-f']);
    const second = parse(['-f']);
    expect(first.seq).toEqual({ a: 1, f: 2 });
    expect(second.seq).toEqual({ f: 1 });
  });

  it('the positional grammar (mqtt-passwd): options end at the first non-option', () => {
    const p = (argv: string[]) => parseArgs(argv, index, { positionals: true });
    expect(p(['-f', 'file', '-a', 'x'])).toMatchObject({ values: { f: true }, positionals: ['file', '-a', 'x'] });
    expect(p(['-f', '-', 'x']).positionals).toEqual(['-', 'x']);
    expect(p(['-f', '--bogus', 'x'])).toMatchObject({ request: 'help', positionals: [] });
  });

  it('atoi/atof read leading numbers like C, but need at least one digit', () => {
    expect(atoi('1883abc', 'Port')).toBe(1883);
    expect(atoi('  -5', 'Port')).toBe(-5);
    expect(() => atoi('abc', 'Port')).toThrow(/not a number/);
    expect(() => atoi('', 'Port')).toThrow(/not a number/);
    expect(atof('0.25s', 'Delay')).toBe(0.25);
    expect(atof('.5', 'Delay')).toBe(0.5);
    expect(atof('1e3', 'Delay')).toBe(1000);
    expect(() => atof('x', 'Delay')).toThrow(/not a number/);
  });
});
