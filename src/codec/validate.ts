// String and topic rules shared by encode (INVALID_ARGUMENT) and decode (the
// packet decoders choose the code). All checks are single linear scans.
import { invalidArgument } from './codec-errors.js';

/**
 * UTF-8 byte length of s, or -1 when s holds U+0000 or a lone surrogate
 * (neither can be sent as an MQTT string).
 */
export function utf8Length(s: string): number {
  let n = 0;
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0) return -1;
      n += 1;
    } else if (c < 0x800) {
      n += 2;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      if (c >= 0xdc00) return -1;
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return -1;
      i++;
      n += 4;
    } else {
      n += 3;
    }
  }
  return n;
}

/**
 * True when s holds code points the spec lets a receiver treat as malformed
 * (U+0001-U+001F, U+007F-U+009F, non-characters). The codec accepts them both
 * ways; callers that want Mosquitto's strictness (refuse on send, flag on
 * receive) use this.
 */
export function hasDiscouragedCodePoints(s: string): boolean {
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0xfdd0 && c <= 0xfdef)) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        if ((cp & 0xfffe) === 0xfffe) return true;
        i++;
      }
    } else if ((c & 0xfffe) === 0xfffe) {
      return true;
    }
  }
  return false;
}

export function isValidMqttString(s: string): boolean {
  if (typeof s !== 'string') return false;
  const n = utf8Length(s);
  return n >= 0 && n <= 0xffff;
}

/** Byte length of a string about to be encoded; throws INVALID_ARGUMENT when it cannot be sent. */
export function checkedStringLength(s: unknown, what: string): number {
  if (typeof s !== 'string') return invalidArgument(`${what} must be a string, got ${typeof s}`);
  const n = utf8Length(s);
  if (n < 0) invalidArgument(`${what} ${quote(s)} contains U+0000 or a lone surrogate`);
  if (n > 0xffff) invalidArgument(`${what} is ${n} bytes, more than 65535`);
  return n;
}

/** Why s is not a valid topic name, or undefined. Empty is reported: callers decide (v5 aliases). */
export function topicNameProblem(s: string): string | undefined {
  if (s.length === 0) return 'topic name is empty';
  if (s.indexOf('+') !== -1 || s.indexOf('#') !== -1) return `topic name ${quote(s)} contains a wildcard`;
  return undefined;
}

/** Why s is not a valid topic filter (including $share/<name>/<filter>), or undefined. */
export function topicFilterProblem(s: string): string | undefined {
  if (s.length === 0) return 'topic filter is empty';
  let filter = s;
  if (s.startsWith('$share/')) {
    const slash = s.indexOf('/', 7);
    if (slash === -1) return `shared subscription ${quote(s)} has no topic filter`;
    const name = s.slice(7, slash);
    if (name.length === 0) return `shared subscription ${quote(s)} has an empty share name`;
    if (name.indexOf('+') !== -1 || name.indexOf('#') !== -1) return `share name in ${quote(s)} contains a wildcard`;
    filter = s.slice(slash + 1);
    if (filter.length === 0) return `shared subscription ${quote(s)} has an empty topic filter`;
  }
  return wildcardProblem(filter, s);
}

function wildcardProblem(f: string, whole: string): string | undefined {
  const len = f.length;
  let levelStart = 0;
  for (let i = 0; i < len; i++) {
    const c = f.charCodeAt(i);
    if (c === 0x2f /* / */) {
      levelStart = i + 1;
    } else if (c === 0x2b /* + */) {
      if (i !== levelStart || (i + 1 < len && f.charCodeAt(i + 1) !== 0x2f)) {
        return `'+' in topic filter ${quote(whole)} must fill a whole level`;
      }
    } else if (c === 0x23 /* # */) {
      if (i !== levelStart || i !== len - 1) return `'#' in topic filter ${quote(whole)} must be the whole last level`;
    }
  }
  return undefined;
}

export function isSharedFilter(s: string): boolean {
  return s.startsWith('$share/');
}

/**
 * MQTT topic matching (mosquitto_topic_matches_sub): '+' is one level, '#' the
 * rest (including the parent level); wildcards never match a leading '$'.
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (isSharedFilter(filter)) {
    const slash = filter.indexOf('/', 7);
    filter = slash === -1 ? filter : filter.slice(slash + 1);
  }
  if ((filter[0] === '$') !== (topic[0] === '$') && (filter[0] === '+' || filter[0] === '#')) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Length of a valid UTF-8 sequence (no overlong form, surrogate or code point past U+10FFFF) starting at i (0 if invalid). */
export function utf8SequenceLength(s: Uint8Array, i: number): number {
  const b0 = s[i]!;
  const cont = (k: number): boolean => i + k < s.length && (s[i + k]! & 0xc0) === 0x80;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const b1 = s[i + 1]!;
    if (b0 === 0xe0 && b1 < 0xa0) return 0; // overlong
    if (b0 === 0xed && b1 >= 0xa0) return 0; // surrogate
    return 3;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const b1 = s[i + 1]!;
    if (b0 === 0xf0 && b1 < 0x90) return 0; // overlong
    if (b0 === 0xf4 && b1 >= 0x90) return 0; // above U+10FFFF
    return 4;
  }
  return 0;
}

/** Throws INVALID_ARGUMENT unless s is a sendable topic name. */
export function validateTopicName(s: string): void {
  checkedStringLength(s, 'topic name');
  const p = topicNameProblem(s);
  if (p) invalidArgument(p);
}

/** Throws INVALID_ARGUMENT unless s is a sendable topic filter. */
export function validateTopicFilter(s: string): void {
  checkedStringLength(s, 'topic filter');
  const p = topicFilterProblem(s);
  if (p) invalidArgument(p);
}

/** Quotes a value for an error message, shortened so a message stays one readable line. */
export function quote(s: string): string {
  const t = s.length > 60 ? s.slice(0, 57) + '...' : s;
  // Escape anything a terminal or log could take as a line break or control sequence.
  return `'${t.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))}'`;
}
