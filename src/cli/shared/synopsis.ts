// The "Usage:" synopsis of --help, generated from the option table (loaded only
// for --help). A tool writes only the combination rules mosquitto's synopsis
// shows ("-t topic | -L URL", "{-f file | -l | ...}") as forms that name options
// by key (`@host`); each option's spelling and value name come from the table,
// and `@rest` stands for every option the forms do not name, so an option added
// to a table shows up here without a second edit.
import type { OptionSpec } from './option-table.js';
import { placeholderOf } from './yargs-help.js';

const WIDTH = 100;

/** `-k seconds`, `--nodelay`, `-D command identifier value`: an option as the synopsis names it. */
export function synopsisTerm(spec: OptionSpec): string {
  const value = placeholderOf(spec).replace(/[<>]/g, '');
  return value ? `${spec.names[0]} ${value}` : (spec.names[0] as string);
}

function byKey(specs: readonly OptionSpec[]): Map<string, OptionSpec> {
  return new Map(specs.map((s) => [s.key, s]));
}

/** Options the forms leave to `@rest`: not named there, not --help & co., not unsupported. */
function restOf(specs: readonly OptionSpec[], forms: readonly string[]): OptionSpec[] {
  const named = new Set(forms.flatMap((f) => [...f.matchAll(/@(\w+)/g)].map((m) => m[1])));
  const seen = new Set<string>();
  return specs.filter((s) => {
    const keep = !named.has(s.key) && !seen.has(s.key) && (s.kind === 'flag' || s.kind === 'value') && !s.unsupported;
    seen.add(s.key);
    return keep;
  });
}

/** Words joined into lines of at most WIDTH columns after `indent`. */
function wrap(words: readonly string[], indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && indent + line.length + 1 + w.length > WIDTH) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

/** `@rest` alone on a line: one line per --help heading, in table order. */
function restLines(rest: readonly OptionSpec[], indent: number): string[] {
  const groups = new Map<string, string[]>();
  for (const s of rest) {
    const g = groups.get(s.helpGroup ?? '') ?? [];
    g.push(`[${synopsisTerm(s)}]`);
    groups.set(s.helpGroup ?? '', g);
  }
  return [...groups.values()].flatMap((words) => wrap(words, indent));
}

function expand(form: string, keys: Map<string, OptionSpec>, rest: readonly OptionSpec[]): string {
  return form.replace(/@(\w+)/g, (_, key: string) => {
    if (key === 'rest') return rest.map((s) => `[${synopsisTerm(s)}]`).join(' ');
    const spec = keys.get(key);
    if (!spec) throw new Error(`synopsis names an undeclared option key '${key}'`);
    return synopsisTerm(spec);
  });
}

/**
 * The synopsis: `lines` continues one invocation over several lines (pub, sub),
 * `invocations` starts each form with the tool's name (passwd). Ends with
 * `tool --help` unless the forms are invocations.
 */
export function renderSynopsis(
  tool: string,
  specs: readonly OptionSpec[],
  forms: readonly string[],
  layout: 'lines' | 'invocations',
): string {
  const keys = byKey(specs);
  const rest = restOf(specs, forms);
  const head = `Usage: ${tool} `;
  const pad = ' '.repeat(layout === 'lines' ? head.length : 'Usage: '.length);
  const out: string[] = [];
  for (const form of forms) {
    if (form !== '@rest') out.push((out.length === 0 ? head : layout === 'lines' ? pad : `${pad}${tool} `) + expand(form, keys, rest));
    else if (layout === 'lines') out.push(...restLines(rest, head.length).map((l) => pad + l));
    // Invocations: the options every form takes, once after them.
    else if (rest.length > 0) out.push(`${pad}Also: ${expand('@rest', keys, rest)}`);
  }
  if (layout === 'lines') out.push(`${' '.repeat('Usage: '.length)}${tool} --help`);
  return `${out.join('\n')}\n`;
}
