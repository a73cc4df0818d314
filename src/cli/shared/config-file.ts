// mosquitto's options file: $XDG_CONFIG_HOME/<tool>, else $HOME/.config/<tool>
// (no suffix; a missing file is fine), or the file -o names (mqtt-rr). One option per line; '#' as the first
// character starts a comment; trailing CR/LF are stripped; the line splits at the
// first space into the option and ONE value (the whole rest of the line). The
// file is parsed before argv into the same state, so argv scalars override it and
// repeatable options and -D add to it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OptionSpec } from './option-table.js';
import { ArgvError } from './argv-error.js';
import { emptyArgs, parseArgs, type ParseOptions, type ParsedArgs } from './args.js';

export function configFilePath(tool: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, tool);
  if (env.HOME) return join(env.HOME, '.config', tool);
  return undefined;
}

/** One argv-like token list per meaningful line. */
export function configLines(text: string, index: ReadonlyMap<string, OptionSpec>): string[][] {
  const out: string[][] = [];
  for (const raw of text.split('\n')) {
    if (raw.startsWith('#')) continue;
    const line = raw.replace(/[\r\n]+$/, '').replace(/^ +/, '');
    if (line === '') continue;
    const space = line.indexOf(' ');
    if (space < 0) {
      out.push([line]);
      continue;
    }
    const opt = line.slice(0, space);
    const value = line.slice(space + 1);
    // A -D needs 3 or 4 values; mosquitto would see one and fail. Splitting the
    // line at spaces (the last value keeps the rest) makes `-D cmd name value` work.
    if (index.get(opt)?.kind === 'property') out.push([opt, ...splitProperty(value)]);
    else out.push([opt, value]);
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
  const text = source.explicit === undefined ? readDefault(source.names, env) : readExplicit(source.explicit);
  if (text === undefined) return args;
  for (const tokens of configLines(text, index)) parseArgs(tokens, index, opts, args);
  return args;
}

function readExplicit(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    // mosquitto ignores a missing -o file; one named on purpose and not read is an error here.
    const why = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ArgvError(`Unable to open options file "${path}" (${why}).`, { usageHint: false });
  }
}

function readDefault(names: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  for (const name of names) {
    const path = configFilePath(name, env);
    if (!path) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch {
      // missing or unreadable: ignored, as mosquitto does
    }
  }
  return undefined;
}
