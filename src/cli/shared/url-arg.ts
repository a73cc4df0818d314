// The two URL-valued options with mosquitto's exact (quirky) rules: -L/--url
// expands into host, port, credentials, topic and TLS at the point it appears on
// the command line (so later options override it), and --proxy's socks5h URL.
import type { ProxyOptions } from '../../client/types.js';
import { ArgvError } from './argv-error.js';

/**
 * -L mqtt(s)://[user[:pass]@]host[:port]/topic. No percent-decoding, userinfo ends
 * at the first '@', port read like atoi, no IPv6 literals (all as mosquitto).
 */
export function expandUrlOption(url: string, set: (key: string, value: string | true) => void): void {
  const m = /^(mqtts?):\/\//i.exec(url);
  if (!m) throw new ArgvError('unsupported URL scheme.');
  const tls = (m[1] as string).toLowerCase() === 'mqtts';
  let rest = url.slice(m[0].length);
  const slash = rest.indexOf('/');
  if (slash < 0) throw new ArgvError('Invalid URL for -L argument specified - topic missing.');
  const topic = rest.slice(slash + 1);
  rest = rest.slice(0, slash);
  const at = rest.indexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      set('username', userinfo.slice(0, colon));
      set('password', userinfo.slice(colon + 1));
    } else set('username', userinfo);
  }
  const colon = rest.indexOf(':');
  set('host', colon >= 0 ? rest.slice(0, colon) : rest);
  set('port', colon >= 0 ? rest.slice(colon + 1) : tls ? '8883' : '1883');
  if (tls) set('tlsUseOsCerts', true);
  set('urlTopic', topic);
}

/** --proxy socks5h://[user[:pass]@]host[:port] (default port 1080). */
export function parseProxyUrl(url: string): ProxyOptions {
  const prefix = 'socks5h://';
  if (!url.startsWith(prefix)) throw new ArgvError(`Unsupported proxy protocol: ${url}`);
  let rest = url.slice(prefix.length);
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    username = decodeProxyPart(colon >= 0 ? userinfo.slice(0, colon) : userinfo, url);
    if (colon >= 0) password = decodeProxyPart(userinfo.slice(colon + 1), url);
  }
  let host = rest;
  let port = 1080;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    host = rest.slice(0, colon);
    const text = rest.slice(colon + 1);
    port = /^\d+$/.test(text) ? Number(text) : -1;
    if (port < 1 || port > 65535) throw new ArgvError(`Invalid proxy port ${text}`);
  }
  if (!host) throw new ArgvError(`Invalid proxy URL: ${url}`);
  const out: ProxyOptions = { protocol: 'socks5h', host, port };
  if (username !== undefined) out.username = username;
  if (password !== undefined) out.password = password;
  return out;
}

/** mosquitto decodes only %25 and %3A in proxy credentials; we also decode %40 to '@' (its bug gives ':'). */
function decodeProxyPart(text: string, url: string): string {
  return text.replace(/%(..)?/g, (_, hex: string | undefined) => {
    const h = (hex ?? '').toUpperCase();
    if (h === '25') return '%';
    if (h === '3A') return ':';
    if (h === '40') return '@';
    throw new ArgvError(`Invalid proxy URL: ${url}`);
  });
}
