// --help's option list and the completion script come from yargs, fed by the
// option tables: every option of every table is listed, -h stays the host,
// and completion answers come from the same tables.
import { describe, expect, it } from 'vitest';
import { PASSWD_OPTION_NAMES, tokenise } from '../../src/cli/passwd/command.js';
import { HELP_OPTIONS as PASSWD_HELP, usageText as passwdUsage } from '../../src/cli/passwd/usage.js';
import { PUB_OPTIONS } from '../../src/cli/pub/command.js';
import { usageText as pubUsage } from '../../src/cli/pub/help.js';
import { optionCompletions } from '../../src/cli/shared/completion.js';
import { parseToolArgs } from '../../src/cli/shared/tool-args.js';
import { completionScript, placeholderOf, renderOptionHelp, type HelpOption } from '../../src/cli/shared/yargs-help.js';
import { SUB_OPTIONS } from '../../src/cli/sub/command.js';
import type { OptionSpec } from '../../src/cli/shared/option-table.js';
import { renderSynopsis, synopsisTerm } from '../../src/cli/shared/synopsis.js';
import { usageText as subUsage } from '../../src/cli/sub/help.js';

const tables: [string, readonly HelpOption[]][] = [
  ['mqtt-pub', PUB_OPTIONS],
  ['mqtt-sub', SUB_OPTIONS],
  ['mqtt-passwd', PASSWD_HELP],
];
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The switch column of the line listing `name`, e.g. "-h, --host". */
const switchesOf = (help: string, name: string): string | undefined =>
  help.split('\n').find((l) => new RegExp(`^\\s+(-\\S+, )?${escape(name)}(,|\\s|$)`).test(l))?.trim().split(/\s{2,}/)[0];

describe('renderOptionHelp', () => {
  it.each(tables)('%s: every option of the table is listed, with its description and placeholder', async (tool, specs) => {
    const help = await renderOptionHelp(specs, tool);
    for (const spec of specs) {
      for (const name of spec.names) expect(switchesOf(help, name), `${tool} ${name}`).toBeDefined();
      expect(spec.describe, `${tool} ${spec.names[0]} has a description`).toBeTruthy();
      const first = (spec.describe as string).split(' ').slice(0, 3).join(' ');
      expect(help.replace(/\s+/g, ' '), `${tool} ${spec.names[0]}`).toContain(`${placeholderOf(spec)} ${first}`.trim());
    }
  });

  it.each(tables)('%s: yargs adds no help or version option of its own', async (tool, specs) => {
    const help = await renderOptionHelp(specs, tool);
    expect(help).not.toMatch(/Show help|Show version number|\[boolean\]|\[string\]/);
  });

  it('-h is shown as the host, with its value', async () => {
    for (const [tool, specs] of tables.slice(0, 2)) {
      const help = await renderOptionHelp(specs, tool);
      expect(help).toMatch(/^ {2}-h, --host +<host> +broker host/m);
      expect(switchesOf(help, '--help')).toBe('--help');
    }
  });

  it('groups options under the headings of the table, in table order', async () => {
    const help = await renderOptionHelp(PUB_OPTIONS, 'mqtt-pub');
    const headings = help.split('\n').filter((l) => /^\S.*:$/.test(l));
    expect(headings).toEqual(['Message (exactly one):', 'Publish:', 'Delivery:', 'Connection:', 'Credentials:', 'Session:', 'MQTT:', 'Will:', 'TLS:', 'Output:', 'General:']);
    expect(help.indexOf('--cafile')).toBeGreaterThan(help.indexOf('TLS:'));
  });
});

describe('usage texts', () => {
  it.each([
    ['mqtt-pub', pubUsage, /^mqtt-pub publishes messages[^]*\n {7}mqtt-pub --help\n\nMessage \(exactly one\):\n/, /see mqtt-pub\(1\)\.\n$/],
    ['mqtt-sub', subUsage, /^mqtt-sub subscribes to topics[^]*\n {7}mqtt-sub --help\n\nSubscription:\n/, /See 'man mqtt-sub' for the full reference\.\n$/],
    ['mqtt-passwd', passwdUsage, /^mqtt-passwd is a tool[^]*\n {7}mqtt-passwd \[-v\] --list passwordfile\n {7}Also: \[--force\] \[--follow-symlinks\]\nOptions:\n/, /See mqtt-passwd\(1\) for more information\.\n\n$/],
  ])('%s: mosquitto-style header, yargs option list, footer', async (_tool, usage, head, foot) => {
    const text = await usage();
    expect(text).toMatch(head);
    expect(text).toMatch(foot);
  });
});

describe('synopsis', () => {
  const usageOf = { 'mqtt-pub': pubUsage, 'mqtt-sub': subUsage, 'mqtt-passwd': passwdUsage } as const;

  it.each(tables)('%s: generated from the table, so it names every option it accepts', async (tool, specs) => {
    const text = await usageOf[tool as keyof typeof usageOf]();
    const synopsis = text.slice(0, text.search(/\n\n[A-Z][a-z ()]*:\n|\nOptions:\n/));
    for (const s of specs) {
      if ((s.kind !== 'flag' && s.kind !== 'value') || ('unsupported' in s && s.unsupported)) continue;
      expect(synopsis, `${tool} ${s.names[0]}`).toMatch(new RegExp(`[[{ ]${escape(synopsisTerm(s as OptionSpec))}[\\]} |]`));
    }
  });

  it('refuses a form that names an undeclared key', () => {
    expect(() => renderSynopsis('t', PUB_OPTIONS, ['[@nope]'], 'lines')).toThrow(/undeclared option key 'nope'/);
  });
});

describe('--completion-script', () => {
  it('pub and sub parse it as a request that stops parsing', () => {
    for (const specs of [PUB_OPTIONS, SUB_OPTIONS]) {
      expect(parseToolArgs(['--completion-script', '--bogus'], { tool: 't', specs, noConfigFile: true }).request).toBe('completion');
      expect(() => parseToolArgs(['--bogus', '--completion-script'], { tool: 't', specs, noConfigFile: true })).toThrow(/Unknown option/);
    }
  });

  it('passwd takes it only where an option may stand', () => {
    expect(tokenise(['--completion-script'])).toMatchObject({ request: 'completion' });
    expect(tokenise(['-b', 'f', '--completion-script', 'pw'])).toMatchObject({ positionals: ['f', '--completion-script', 'pw'] });
    expect(tokenise(['-b', 'f', '--completion-script', 'pw']).request).toBeUndefined();
  });

  it('yargs renders a script that asks the tool itself for completions', async () => {
    const saved = process.env.SHELL;
    process.env.SHELL = '/bin/bash';
    try {
      const script = await completionScript('mqtt-sub');
      expect(script).toMatch(/^###-begin-mqtt-sub-completions-###\n/);
      expect(script).toContain('mqtt-sub --get-yargs-completions');
      expect(script).toContain('mqtt-sub --completion-script >> ~/.bashrc');
      expect(script).toMatch(/complete .* mqtt-sub\n###-end-mqtt-sub-completions-###\n$/);
    } finally {
      if (saved === undefined) delete process.env.SHELL;
      else process.env.SHELL = saved;
    }
  });
});

describe('optionCompletions (the --get-yargs-completions answer)', () => {
  const pubNames = PUB_OPTIONS.flatMap((s) => s.names);
  it('completes the option being typed from the table', () => {
    expect(optionCompletions(pubNames, ['mqtt-pub', '--ca'])).toEqual(['--cafile', '--capath']);
    expect(optionCompletions(pubNames, ['mqtt-pub', '-t', 'a', '--will-'])).toEqual(['--will-payload', '--will-qos', '--will-retain', '--will-topic']);
    expect(optionCompletions(PASSWD_OPTION_NAMES, ['mqtt-passwd', '--f'])).toEqual(['--follow-symlinks', '--force']);
    // fish passes the words without the tool name
    expect(optionCompletions(pubNames, ['--unix'])).toEqual(['--unix']);
  });

  it('offers nothing for a value or an empty word, so the shell completes file names', () => {
    expect(optionCompletions(pubNames, ['mqtt-pub', '-f', ''])).toEqual([]);
    expect(optionCompletions(pubNames, ['mqtt-pub', '-f', 'som'])).toEqual([]);
    expect(optionCompletions(pubNames, [])).toEqual([]);
  });

  it('every option name is reachable by completion', () => {
    for (const [, specs] of tables) {
      const names = specs.flatMap((s) => s.names);
      for (const n of names) expect(optionCompletions(names, ['x', n])).toContain(n);
    }
  });
});
