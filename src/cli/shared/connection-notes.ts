// What a person at a terminal is told about the connection, beyond mosquitto's
// words: the broker's address after a connection error, and a line for a lost
// link and each retry. Only when stderr is a terminal (the retry lines also go
// among the -d lines on stdout): a script reading stderr through a pipe gets
// mosquitto's exact text.
import type { ProxyOptions, ReconnectOptions, TransportOptions } from '../../client/types.js';
import { isToolError } from '../../errors.js';
import { stderrIsTerminal } from './std-streams.js';

/** host:port ([v6]:port), the socket path, or the WebSocket URL; and the SOCKS proxy on the way, if any. */
export function targetText(t: TransportOptions, proxy?: ProxyOptions): string {
  if (t.kind === 'unix') return t.path;
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  const broker = t.kind === 'ws' || t.kind === 'wss' ? `${t.kind}://${host}:${t.port}${t.path ?? '/mqtt'}` : `${host}:${t.port}`;
  if (!proxy) return broker;
  const p = proxy.host.includes(':') ? `[${proxy.host}]` : proxy.host;
  return `${broker} via ${proxy.protocol} proxy ${p}:${proxy.port}`;
}

/**
 * Where a lost-link or retry line goes: stderr when it is a terminal, else among
 * the -d lines (stdout), else nowhere, so a script reading stderr gets mosquitto's bytes.
 */
export function noteSink(stderr: (line: string) => void, debugLine: ((line: string) => void) | undefined): (line: string) => void {
  return (line) => {
    if (stderrIsTerminal()) stderr(line);
    else debugLine?.(line);
  };
}

// Failures where knowing which broker was tried is the whole point.
const NAMES_TARGET = new Set(['CONNECT_FAILED', 'CONNECTION_LOST', 'TLS_ERROR']);

/**
 * `text` (describeError's lines) with ` (host:port)` after its first line,
 * when stderr is a terminal and the error is about reaching the broker.
 */
export function withTarget(text: string, err: Error, target: string | undefined, isTTY = process.stderr.isTTY === true): string {
  if (!isTTY || !target || !text || !isToolError(err) || !NAMES_TARGET.has(err.code)) return text;
  const nl = text.indexOf('\n');
  return nl < 0 ? `${text} (${target})` : `${text.slice(0, nl)} (${target})${text.slice(nl)}`;
}

/**
 * `connection lost; retrying 2/5 in 1 s`, or `retrying (attempt 2) in 1 s` when retries
 * never stop; `why` says what failed instead (a first connection: `Connection refused`).
 */
export function retryLine(r: Pick<ReconnectOptions, 'maxAttempts'>, attempt: number, delayMs: number, why = 'connection lost'): string {
  const which = Number.isFinite(r.maxAttempts) ? `${attempt}/${r.maxAttempts}` : `(attempt ${attempt})`;
  const s = delayMs / 1000;
  return `${why}; retrying ${which} in ${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
