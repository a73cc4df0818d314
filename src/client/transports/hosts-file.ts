// A host name the system would answer from /etc/hosts (`localhost`, the default
// host) is answered from that file here, without Node's resolver: dns.lookup
// runs getaddrinfo on libuv's thread pool, and starting that pool is ~6 ms of a
// one-message publish. Only where the answer is the same: on Linux, when
// nsswitch.conf puts `files` first for hosts (or is absent, as with musl), and
// the name is in the file. Anything else goes to dns.lookup as before, so
// IPv6-only and DNS-only hosts keep working. IP literals never get here: net
// connects to those without any lookup.
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP, isIPv4, type LookupFunction } from 'node:net';
import { readFileBounded } from '../../bounded-read.js';

// Parsed by hand, not with regular expressions: compiling the three this took
// was ~0.4 ms of a one-message publish to `localhost`.

/** ASCII white space other than newline (C's isspace(); lines are split already): what separates fields in both files. */
const isBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0b || c === 0x0c;

/** The blank-separated fields of one line, up to a `#` comment. */
function fieldsOf(line: string): string[] {
  const fields: string[] = [];
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const c = i < line.length ? line.charCodeAt(i) : 0x23;
    if (c !== 0x23 && !isBlank(c)) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) fields.push(line.slice(start, i));
    start = -1;
    if (c === 0x23) break;
  }
  return fields;
}

/** Four dot-separated runs of digits: the dotted quad the hosts file uses for IPv4. */
function isDottedQuad(s: string): boolean {
  let dots = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c === 0x2e && digits > 0 && dots < 3) {
      dots++;
      digits = 0;
    } else return false;
  }
  return dots === 3 && digits > 0;
}

/** The addresses `name` has in a hosts file's text, in file order (names compare case-insensitively). */
export function addressesIn(hostsText: string, name: string): LookupAddress[] {
  const want = name.toLowerCase();
  const found: LookupAddress[] = [];
  for (const line of hostsText.split('\n')) {
    if (!line.toLowerCase().includes(want)) continue; // most lines cannot match: skip splitting them
    const fields = fieldsOf(line);
    if (fields.length < 2) continue;
    const address = fields[0] as string;
    const family = address.includes(':') ? 6 : isDottedQuad(address) ? 4 : 0;
    if (family === 0) continue;
    for (let i = 1; i < fields.length; i++) {
      if ((fields[i] as string).toLowerCase() === want) {
        if (!found.some((a) => a.address === address)) found.push({ address, family });
        break;
      }
    }
  }
  return found;
}

/** Whether the `hosts:` line of nsswitch.conf text consults `files` before anything else. */
export function filesFirst(nsswitchText: string | undefined): boolean {
  if (nsswitchText === undefined) return true; // no nsswitch.conf: glibc's default and musl both read the file first
  for (const line of nsswitchText.split('\n')) {
    const colon = line.indexOf(':');
    const database = fieldsOf(line.slice(0, Math.max(colon, 0)));
    if (colon < 0 || database.length !== 1 || database[0] !== 'hosts') continue;
    return (fieldsOf(line.slice(colon + 1))[0] ?? 'files') === 'files';
  }
  return true; // no hosts line: glibc's default, files first
}

/** Larger than any hosts file in use (ad-blocking lists run to a few MB); beyond it the resolver answers. */
const HOSTS_LIMIT = 32 * 1024 * 1024;

function read(path: string): string | undefined {
  try {
    const r = readFileBounded(path, HOSTS_LIMIT);
    return r.complete ? r.data.toString('latin1') : undefined;
  } catch {
    return undefined;
  }
}

/** The hosts-file answer for `name`, or undefined when the system's resolver must be asked. */
export function fromHostsFile(name: string, read_ = read): LookupAddress[] | undefined {
  if (process.platform !== 'linux' || !filesFirst(read_('/etc/nsswitch.conf'))) return undefined;
  const text = read_('/etc/hosts');
  const found = text === undefined ? [] : addressesIn(text, name);
  return found.length > 0 ? found : undefined;
}

/**
 * A net.connect `lookup` that gives `known` (the hosts file's answer) for its
 * host. The order is the file's; net's happy-eyeballs connect tries each address
 * in turn, so a broker listening on only one of them is still reached.
 */
export function lookupFrom(host: string, known: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const opts = options as LookupOptions;
    const found = known.filter((a) => !opts.family || a.family === opts.family);
    // net expects the answer asynchronously, as dns.lookup gives it.
    process.nextTick(() => {
      if (opts.all) (callback as (e: null, a: LookupAddress[]) => void)(null, found);
      else if (found.length > 0) callback(null, (found[0] as LookupAddress).address, (found[0] as LookupAddress).family);
      else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), '', 0);
    });
  };
}

/**
 * Whether `host` is an IP literal, without compiling Node's IPv6 regular
 * expression (~3 ms at start-up) for a name that has no ':' and so cannot be one.
 */
export function isIpLiteral(host: string): boolean {
  return host.includes(':') ? isIP(host) !== 0 : isIPv4(host);
}
