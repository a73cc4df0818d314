// mosquitto's options file: $XDG_CONFIG_HOME/<tool>, else $HOME/.config/<tool>
// (no suffix; a missing file is fine; ours, else mosquitto's), or the file -o names. One option per line; '#' as the first
// character starts a comment; trailing CR/LF are stripped; the line splits at the
// first space into the option and ONE value (the whole rest of the line). The
// file is parsed before argv into the same state, so argv scalars override it and
// repeatable options and -D add to it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { OptionSpec } from './option-table.js';
import { ArgvError } from './argv-error.js';
import { decodeEscaped } from './argv-bytes.js';
import { readFileBounded } from '../../bounded-read.js';
import { escapeControls } from './terminal-text.js';
import { emptyArgs, parseArgs, type ParseOptions, type ParsedArgs } from './args.js';

export function configFilePath(tool: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, tool);
  if (env.HOME) return join(env.HOME, '.config', tool);
  return undefined;
}

/** One argv-like token list per meaningful line, with its line number (from 1). */
export function configLines(text: string, index: ReadonlyMap<string, OptionSpec>): { tokens: string[]; line: number }[] {
  const out: { tokens: string[]; line: number }[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n] as string;
    const push = (tokens: string[]): number => out.push({ tokens, line: n + 1 });
    if (raw.startsWith('#')) continue;
    const line = raw.replace(/[\r\n]+$/, '').replace(/^ +/, '');
    if (line === '') continue;
    const space = line.indexOf(' ');
    if (space < 0) {
      push([line]);
      continue;
    }
    const opt = line.slice(0, space);
    const value = line.slice(space + 1);
    // A -D needs 3 or 4 values; mosquitto would see one and fail. Splitting the
    // line at spaces (the last value keeps the rest) makes `-D cmd name value` work.
    if (index.get(opt)?.kind === 'property') push([opt, ...splitProperty(value)]);
    else push([opt, value]);
  }
  return out;
}

function splitProperty(value: string): string[] {
  const parts = value.split(' ');
  const n = (parts[1] ?? '').toLowerCase() === 'user-property' ? 4 : 3;
  if (parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(' ')];
}

/** Where the options file comes from: -o, else the first default name that exists. */
export interface ConfigSource {
  /** Default file names under the config directory, first found wins (e.g. ['mqtt-rr', 'mosquitto_rr']). */
  names: readonly string[];
  /** -o FILE: read this one instead, and it must exist. */
  explicit?: string;
}

/** Reads and parses the tool's options file (if any) into a fresh ParsedArgs. */
export function loadConfigArgs<K extends string>(
  source: ConfigSource,
  env: NodeJS.ProcessEnv,
  index: ReadonlyMap<string, OptionSpec<K>>,
  opts: ParseOptions<K>,
): ParsedArgs<K> {
  const args = emptyArgs<K>();
  const file = source.explicit === undefined ? readDefault(source.names, env) : readExplicit(source.explicit);
  if (file === undefined) return args;
  for (const { tokens, line } of configLines(file.text, index)) {
    try {
      parseArgs(tokens, index, opts, args);
    } catch (e) {
      throw e instanceof ArgvError ? inFile(e, file.path, line) : e;
    }
  }
  return args;
}

/** mosquitto's words for an error in the file, then ours: which file and line. */
function inFile(e: ArgvError, path: string, line: number): ArgvError {
  const where = `(in the options file ${escapeControls(path)}, line ${line})`;
  return new ArgvError(e.message, { usageHint: e.usageHint, blank: e.blank, note: e.note ? `${e.note}\n${where}` : where });
}

interface ConfigText {
  path: string;
  text: string;
}

/** Far more than any options file; /dev/zero or a FIFO that never ends stops here. */
const MAX_OPTIONS_FILE = 1024 * 1024;

/** The file's bytes as argv strings are (surrogate-escaped), so -m from a file keeps bytes that are not UTF-8. */
function readOptions(path: string): ConfigText {
  const r = readFileBounded(path, MAX_OPTIONS_FILE);
  if (!r.complete) {
    throw new ArgvError(`Options file "${escapeControls(path)}" is larger than ${MAX_OPTIONS_FILE} bytes.`, { usageHint: false });
  }
  return { path, text: decodeEscaped(r.data) };
}

function readExplicit(path: string): ConfigText {
  try {
    return readOptions(path);
  } catch (e) {
    if (e instanceof ArgvError) throw e;
    // mosquitto ignores a missing -o file; one named on purpose and not read is an error here.
    const why = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ArgvError(`Unable to open options file "${path}" (${why}).`, { usageHint: false });
  }
}

function readDefault(names: readonly string[], env: NodeJS.ProcessEnv): ConfigText | undefined {
  for (const name of names) {
    const path = configFilePath(name, env);
    if (!path) return undefined;
    // Most users have no options file: asking first spares a thrown ENOENT (its stack and message) per name.
    if (!existsSync(path)) continue;
    try {
      return readOptions(path);
    } catch (e) {
      if (e instanceof ArgvError) throw e;
      // missing or unreadable: ignored, as mosquitto does
    }
  }
  return undefined;
}
