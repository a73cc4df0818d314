// -L/--url and --proxy on the command line. The URL grammar lives in
// client/url.ts; here -L is expanded into the options it stands for at the
// point it appears, so options given after it override it (as in mosquitto),
// and URL errors become argument errors (with the --help hint).
import type { ProxyOptions } from '../../client/types.js';
import { parseMqttUrl, parseProxyUrl as parseProxy } from '../../client/url.js';
import { isToolError } from '../../errors.js';
import { ArgvError } from './argv-error.js';

function asArgvError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isToolError(e) && e.code === 'USAGE') throw new ArgvError(e.message);
    throw e;
  }
}

/** -L mqtt(s)|ws(s)://[user[:pass]@]host[:port]/topic → host, port, credentials, TLS, urlTopic. */
export function expandUrlOption(url: string, set: (key: string, value: string | true) => void): void {
  const u = asArgvError(() => parseMqttUrl(url));
  if (u.username !== undefined) set('username', u.username);
  if (u.password !== undefined) set('password', u.password);
  set('host', u.host);
  set('port', String(u.port));
  if (u.useOsCerts) set('tlsUseOsCerts', true);
  if (u.kind === 'ws' || u.kind === 'wss') set('websocket', u.kind);
  set('urlTopic', u.topic);
}

/** --proxy socks5h://[user[:pass]@]host[:port] (also socks5://). */
export function parseProxyUrl(url: string): ProxyOptions {
  return asArgvError(() => parseProxy(url));
}
