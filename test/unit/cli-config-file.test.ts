import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { optionIndex } from '../../src/cli/shared/option-table.js';
import { configFilePath, configLines } from '../../src/cli/shared/config-file.js';
import { parseToolArgs } from '../../src/cli/shared/tool-args.js';
import { PUB_OPTIONS } from '../../src/cli/pub/command.js';

const index = optionIndex(PUB_OPTIONS);
const dir = mkdtempSync(join(tmpdir(), 'mqtt-cfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('options file', () => {
  it('lives in $XDG_CONFIG_HOME/<tool>, else ~/.config/<tool>', () => {
    expect(configFilePath('mqtt-pub', { XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/mqtt-pub');
    expect(configFilePath('mqtt-sub', { HOME: '/h' })).toBe('/h/.config/mqtt-sub');
    expect(configFilePath('mqtt-pub', {})).toBeUndefined();
  });

  it('splits each line at the first space only, skips # comments and blank lines, strips CR', () => {
    const text = '# comment\n-p 18831 -C 1\r\n\n-c\n  -h host name\n -x #not a comment\n-D publish user-property k v w\n';
    expect(configLines(text, index).map((l) => l.tokens)).toEqual([
      ['-p', '18831 -C 1'],
      ['-c'],
      ['-h', 'host name'],
      ['-x', '#not a comment'],
      ['-D', 'publish', 'user-property', 'k', 'v w'],
    ]);
    expect(configLines(text, index).map((l) => l.line)).toEqual([2, 4, 5, 6, 7]);
  });

  it('is read before argv: argv scalars override, -D accumulates, message modes conflict', () => {
    writeFileSync(join(dir, 'mqtt-pub'), '-p 1999\n-q 1\n-D publish user-property from file\n-m filemsg\n');
    const env = { XDG_CONFIG_HOME: dir };
    const a = parseToolArgs(['-p', '2000', '-D', 'publish', 'content-type', 'x', '-t', 't'], {
      tool: 'mqtt-pub', specs: PUB_OPTIONS, env,
    });
    expect(a.values.port).toBe('2000');
    expect(a.values.qos).toBe('1');
    expect(a.properties.map((p) => p.name)).toEqual(['user-property', 'content-type']);
    expect(() => parseToolArgs(['-m', 'x'], { tool: 'mqtt-pub', specs: PUB_OPTIONS, env })).toThrow(/Only one type/);
  });

  it('a missing file is ignored; an unknown option in it is an error', () => {
    expect(parseToolArgs(['-t', 'a'], { tool: 'mqtt-nope', specs: PUB_OPTIONS, env: { XDG_CONFIG_HOME: dir } }).values.topic).toBe('a');
    writeFileSync(join(dir, 'mqtt-bad'), '-v\n');
    expect(() => parseToolArgs([], { tool: 'mqtt-bad', specs: PUB_OPTIONS, env: { XDG_CONFIG_HOME: dir } })).toThrow(/Unknown option '-v'/);
  });
});
