import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { optionIndex } from '../../src/cli/shared/option-table.js';
import { configFilePath, configLines } from '../../src/cli/shared/config-file.js';
import { parseToolArgs } from '../../src/cli/shared/tool-args.js';
import { argvErrorText, type ArgvError } from '../../src/cli/shared/argv-error.js';
import { PUB_OPTIONS } from '../../src/cli/pub/command.js';
import { argBytes } from '../../src/cli/shared/argv-bytes.js';

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

  it("falls back to mosquitto's file, and ours wins when both exist", () => {
    const d = mkdtempSync(join(dir, 'fallback-'));
    const env = { XDG_CONFIG_HOME: d };
    const o = { tool: 'mqtt-pub', specs: PUB_OPTIONS, configFallbacks: ['mosquitto_pub'], env };
    writeFileSync(join(d, 'mosquitto_pub'), '-q 2\n');
    expect(parseToolArgs(['-t', 'a'], o).values.qos).toBe('2');
    writeFileSync(join(d, 'mqtt-pub'), '-q 1\n');
    expect(parseToolArgs(['-t', 'a'], o).values.qos).toBe('1');
  });

  it('an error in the file keeps mosquitto\'s line and names the file and line after it', () => {
    const d = mkdtempSync(join(dir, 'bad-'));
    writeFileSync(join(d, 'mqtt-pub'), '# comment\n-q 1\n\n--will-qos 7\n');
    const err = (() => {
      try {
        parseToolArgs(['-t', 'a'], { tool: 'mqtt-pub', specs: PUB_OPTIONS, env: { XDG_CONFIG_HOME: d } });
      } catch (e) {
        return e as ArgvError;
      }
      throw new Error('no error');
    })();
    expect(argvErrorText(err, 'mqtt-pub')).toBe(
      `Error: Invalid will QoS 7.\n(in the options file ${join(d, 'mqtt-pub')}, line 4)\n\n\nUse 'mqtt-pub --help' to see usage.`,
    );
  });

  it('-o FILE replaces the default file (which is then not read)', () => {
    const d = mkdtempSync(join(dir, 'o-'));
    writeFileSync(join(d, 'mqtt-pub'), '-q 1\n-r\n');
    writeFileSync(join(d, 'other'), '-q 2\n');
    const a = parseToolArgs(['-t', 'a', '-o', join(d, 'other')], { tool: 'mqtt-pub', specs: PUB_OPTIONS, env: { XDG_CONFIG_HOME: d } });
    expect(a.values.qos).toBe('2');
    expect(a.values.retain).toBeUndefined();
  });

  it('is read with a bound (-o /dev/zero is an error, not a hang) and as bytes (a -m that is not UTF-8 keeps them)', () => {
    expect(() => parseToolArgs(['-o', '/dev/zero'], { tool: 'mqtt-pub', specs: PUB_OPTIONS, env: {} })).toThrow(
      'Options file "/dev/zero" is larger than 1048576 bytes.',
    );
    const d = mkdtempSync(join(dir, 'b-'));
    writeFileSync(join(d, 'mqtt-pub'), Buffer.concat([Buffer.from('-m caf'), Buffer.from([0xe9, 0xff]), Buffer.from('\n')]));
    const a = parseToolArgs(['-t', 'a'], { tool: 'mqtt-pub', specs: PUB_OPTIONS, env: { XDG_CONFIG_HOME: d } });
    expect(argBytes(a.values.message as string).toString('hex')).toBe('636166e9ff');
  });
});

