// --pretty for the default and -v forms on a terminal, and for --json lines:
// a payload that parses as JSON, indented two spaces, keys and values
// coloured when colour is on. Runs only with --pretty.
import { isUtf8 } from 'node:buffer';

/** SGR colours for the parts of a JSON value; all '' when colour is off. */
export interface JsonColours {
  key: string;
  string: string;
  number: string;
  literal: string;
  reset: string;
}

export const NO_COLOURS: JsonColours = { key: '', string: '', number: '', literal: '', reset: '' };
export const JSON_COLOURS: JsonColours = {
  key: '\x1b[34m',
  string: '\x1b[32m',
  number: '\x1b[33m',
  literal: '\x1b[35m',
  reset: '\x1b[39m',
};

// JSON allows DEL and the C1 controls raw inside strings; \u escapes keep it valid and the terminal safe.
const RAW_CONTROLS = /[\u007f-\u009f]/g;

/** The payload as JSON text when it is JSON (only objects and arrays count), else undefined. */
export function jsonPayloadText(payload: Uint8Array): string | undefined {
  const first = payload.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  if (first !== 0x7b && first !== 0x5b) return undefined;
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  if (!isUtf8(b)) return undefined;
  const text = b.toString('utf8');
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  return text;
}

// Strings (with their escapes), punctuation, or a run of anything else (numbers, literals).
const TOKEN = /"(?:[^"\\]|\\.)*"|[{}[\],:]|[^\s{}[\],:"]+/g;

/**
 * Valid JSON text re-laid out token by token, so numbers and escapes stay
 * exactly as published (JSON.parse would round big numbers): indented by
 * `indent`, or on one line when it is undefined.
 */
export function layoutJson(text: string, c: JsonColours = NO_COLOURS, indent?: string): string {
  const out: string[] = [];
  let depth = 0;
  const nl = (): void => {
    if (indent !== undefined) out.push(`\n${indent.repeat(depth)}`);
  };
  const tokens = text.match(TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (t === '{' || t === '[') {
      const empty = next === (t === '{' ? '}' : ']');
      out.push(t);
      if (empty) {
        out.push(next!);
        i++;
      } else {
        depth++;
        nl();
      }
    } else if (t === '}' || t === ']') {
      depth--;
      nl();
      out.push(t);
    } else if (t === ',') {
      out.push(',');
      nl();
    } else if (t === ':') out.push(indent === undefined ? ':' : ': ');
    else if (t.startsWith('"')) out.push(`${next === ':' ? c.key : c.string}${t.replace(RAW_CONTROLS, hexEscape)}${c.reset}`);
    else out.push(`${/^[-\d]/.test(t) ? c.number : c.literal}${t}${c.reset}`);
  }
  return out.join('');
}

const hexEscape = (ch: string): string => `\\u00${ch.charCodeAt(0).toString(16)}`;
