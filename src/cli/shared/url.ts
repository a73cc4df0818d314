// The two URL syntaxes the tools accept, parsed the way mosquitto's client
// tools do (mosquitto-clients.md §3), minus their traps:
//   -L      mqtt(s)|ws(s)://[user[:pass]@]host[:port]/topic
//   --proxy socks5h|socks5://[user[:pass]@]host[:port]
// Pure: no I/O. Errors are argument errors with mosquitto's message text. This is
// the CLI's grammar: the client takes the parsed result, never a URL.
import type { ProxyOptions } from '../../client/types.js';
import { ArgvError, optionError } from './argv-error.js';

export type UrlScheme = 'mqtt' | 'mqtts' | 'ws' | 'wss';

export interface ParsedMqttUrl {
  scheme: UrlScheme;
  /** TransportOptions kind the scheme selects. */
  kind: 'tcp' | 'tls' | 'ws' | 'wss';
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** Everything after the first '/' that follows the authority; may be empty (the tool validates it). */
  topic: string;
  /** mqtts:// and wss:// trust the OS store, as mosquitto's -L mqtts:// sets --tls-use-os-certs. */
  useOsCerts: boolean;
}

/**
 * Default ports. mqtt/mqtts as mosquitto. For ws/wss mosquitto's unreleased
 * dev line uses 1883/8883, which are not WebSocket listeners anywhere by
 * convention; we use the web's 80/443, which is what a ws:// URL means.
 */
export const DEFAULT_URL_PORTS: Readonly<Record<UrlScheme, number>> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 };
const KIND: Readonly<Record<UrlScheme, ParsedMqttUrl['kind']>> = { mqtt: 'tcp', mqtts: 'tls', ws: 'ws', wss: 'wss' };

const usage = (msg: string): ArgvError => new ArgvError(msg);

interface HostPort {
  host: string;
  port?: string;
}

/** host, host:port, [v6], [v6]:port. mosquitto has no brackets; they are an addition. */
function splitHostPort(s: string, onError: string): HostPort {
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) throw usage(onError);
    const rest = s.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) throw usage(onError);
    return { host: s.slice(1, close), ...(rest !== '' ? { port: rest.slice(1) } : {}) };
  }
  const colon = s.indexOf(':');
  return colon < 0 ? { host: s } : { host: s.slice(0, colon), port: s.slice(colon + 1) };
}

/** Strict decimal port in 1..65535 (mosquitto's atoi would take '1883abc'). */
function parsePort(s: string | undefined, fallback: number, message: (p: string) => string): number {
  if (s === undefined) return fallback;
  const n = /^\d{1,5}$/.test(s) ? Number(s) : NaN;
  if (!(n >= 1 && n <= 65535)) throw usage(message(s));
  return n;
}

/** userinfo → user, pass (split at the first ':'). */
function splitUserinfo(s: string): { username: string; password?: string } {
  const colon = s.indexOf(':');
  return colon < 0 ? { username: s } : { username: s.slice(0, colon), password: s.slice(colon + 1) };
}

/** -L / --url. */
export function parseMqttUrl(url: string): ParsedMqttUrl {
  const m = /^(mqtts?|wss?):\/\//i.exec(url);
  if (!m) throw optionError('unsupported URL scheme.');
  const scheme = (m[1] as string).toLowerCase() as UrlScheme;
  const rest = url.slice(m[0].length);
  const slash = rest.indexOf('/');
  if (slash < 0) throw usage('Invalid URL for -L argument specified - topic missing.');
  const topic = rest.slice(slash + 1);
  let authority = rest.slice(0, slash);
  // The userinfo ends at the LAST '@' (mosquitto: the first), so a password may hold '@';
  // a host never does, so URLs mosquitto accepts parse the same. No percent-decoding, as mosquitto.
  const at = authority.lastIndexOf('@');
  let user: { username: string; password?: string } | undefined;
  if (at >= 0) {
    user = splitUserinfo(authority.slice(0, at));
    authority = authority.slice(at + 1);
  }
  const hp = splitHostPort(authority, `Invalid URL for -L argument specified - bad host '${authority}'.`);
  if (hp.host === '') throw usage('Invalid URL for -L argument specified - host missing.');
  const port = parsePort(hp.port, DEFAULT_URL_PORTS[scheme], (p) => `Invalid port given: ${p}`);
  return {
    scheme,
    kind: KIND[scheme],
    host: hp.host,
    port,
    ...(user !== undefined ? { username: user.username } : {}),
    ...(user?.password !== undefined ? { password: user.password } : {}),
    topic,
    useOsCerts: scheme === 'mqtts' || scheme === 'wss',
  };
}

/**
 * Percent-decoding for proxy credentials. mosquitto decodes only %25 and %3A
 * and turns %40 into ':' (a bug in every version); we decode any %XX as
 * UTF-8, so %40 is '@'. A stray '%' is an error, as in mosquitto.
 */
export function percentDecode(s: string, what: string): string {
  if (!s.includes('%')) return s;
  if (/%(?![0-9a-fA-F]{2})/.test(s)) throw usage(`Invalid proxy URL: bad percent-encoding in ${what}.`);
  try {
    return decodeURIComponent(s);
  } catch {
    throw usage(`Invalid proxy URL: ${what} is not valid UTF-8 once decoded.`);
  }
}

export const DEFAULT_PROXY_PORT = 1080;

/** --proxy. socks5h:// (mosquitto's only form) lets the proxy resolve names; socks5:// resolves them here. */
export function parseProxyUrl(url: string): ProxyOptions {
  const m = /^(socks5h?):\/\//i.exec(url);
  if (!m) throw usage(`Unsupported proxy protocol: ${url}`);
  const protocol = (m[1] as string).toLowerCase() as ProxyOptions['protocol'];
  let authority = url.slice(m[0].length);
  if (authority.endsWith('/')) authority = authority.slice(0, -1);
  if (authority.includes('/')) throw usage(`Invalid proxy URL: ${url}`);
  const at = authority.lastIndexOf('@');
  let user: { username: string; password?: string } | undefined;
  if (at >= 0) {
    user = splitUserinfo(authority.slice(0, at));
    authority = authority.slice(at + 1);
  }
  const hp = splitHostPort(authority, `Invalid proxy URL: ${url}`);
  if (hp.host === '') throw usage('Invalid proxy.');
  const port = parsePort(hp.port, DEFAULT_PROXY_PORT, (p) => `Invalid proxy port ${p}`);
  const out: ProxyOptions = { protocol, host: hp.host, port };
  if (user !== undefined) {
    out.username = percentDecode(user.username, 'the username');
    if (user.password !== undefined) out.password = percentDecode(user.password, 'the password');
    // RFC 1929 carries each in a one-byte length.
    if (Buffer.byteLength(out.username) > 255 || Buffer.byteLength(out.password ?? '') > 255) {
      throw usage('Invalid proxy URL: username and password must be at most 255 bytes each.');
    }
  }
  return out;
}
