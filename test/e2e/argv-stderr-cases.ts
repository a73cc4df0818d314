// The argv-error table for the stderr differential (argv-stderr-differential.test.ts):
// every usage error we found in mosquitto's client_shared.c, pub_client.c, sub_client.c
// and rr_client.c, as [tool, args] run against mqtt-<tool> and mosquitto_<tool> 2.0.11
// (2.1 for rows with an option only 2.1 has, ONLY_IN_21).
// A row that differs on purpose says why (DIFFERS); where we only add a line of
// our own after mosquitto's, the first line must still be mosquitto's (NOTE).

export type Tool = 'pub' | 'sub' | 'rr';
export type Case = readonly [tool: Tool, args: readonly string[]];

/** Options that take a value, each given last with none: "<opt> argument given but no ... specified." */
const COMMON_VALUE_OPTIONS = [
  '-A', '--cafile', '--capath', '--cert', '--ciphers', '-h', '--host', '-i', '--id', '-I', '--id-prefix', '-k', '--keepalive',
  '--key', '--keyform', '-L', '--url', '-p', '--port', '-P', '--pw', '--proxy', '--psk', '--psk-identity', '-q', '--qos',
  '--tls-alpn', '--tls-engine', '--tls-engine-kpass-sha1', '--tls-version', '-u', '--username', '--unix', '-V',
  '--protocol-version', '--will-payload', '--will-qos', '--will-topic', '-x', '-D', '--property', '-t', '--topic', '-o',
];
const PUB_VALUE_OPTIONS = ['-f', '--file', '-m', '--message', '-M', '--repeat', '--repeat-delay'];
const SUB_VALUE_OPTIONS = ['-C', '-F', '-T', '--filter-out', '-U', '--unsubscribe', '-W', '--random-filter', '-e'];
// -C is ours in mqtt-rr (DIFFERS); -T -U --random-filter --repeat --repeat-delay are other tools' (unknown to rr).
const RR_VALUE_OPTIONS = ['-e', '-f', '--file', '-m', '--message', '-M', '-F', '-W', '-C', '-T', '-U', '--random-filter', '--repeat', '--repeat-delay'];

/** Options only mosquitto 2.1 has: rows with one are compared against 2.1's clients. */
export const ONLY_IN_21: readonly string[] = ['-o', '--ws', '--no-tls', '--tls-keylog'];

const p = (...args: string[]): Case => ['pub', args];
const s = (...args: string[]): Case => ['sub', args];
const r = (...args: string[]): Case => ['rr', args];
/** An rr request that is complete but for what the row adds. */
const req = (...args: string[]): Case => r('-t', 'a', '-e', 'b', '-n', ...args);

// Over 65535 bytes; libmosquitto lets a string of exactly 65536 through (we refuse it too).
const LONG = 'a'.repeat(65537);

export const CASES: readonly Case[] = [
  ...[...COMMON_VALUE_OPTIONS, ...PUB_VALUE_OPTIONS].map((o) => p('-t', 'a', '-n', o)),
  ...[...COMMON_VALUE_OPTIONS, ...SUB_VALUE_OPTIONS].map((o) => s('-t', 'a', o)),
  // mosquitto_pub
  p(), p('-t', 'a'), p('-m', 'x'), p('--nope'), p('-t', 'a', '-n', '--nope'), p('-t', 'a', '--message=x'), p('-t', 'a', '-m', 'x', '-dr'),
  p('-t', 'a', '-n', '-k', '4'), p('-t', 'a', '-n', '-k', '65536'), p('-t', 'a', '-n', '-k', '0'),
  p('-t', 'a', '-n', '-p', '70000'), p('-t', 'a', '-n', '-p', '-1'), p('-t', 'a', '-n', '-p', '0'),
  p('-t', 'a', '-n', '-q', '3'), p('-t', 'a', '-n', '-q', '-1'),
  p('-t', 'a', '-n', '--will-topic', 'w', '--will-qos', '3'), p('-t', 'a', '-n', '--will-qos', '3'),
  p('-t', 'a', '-n', '-V', '4'), p('-t', 'a', '-n', '-V', 'mqttv2'),
  p('-t', 'a/+/b', '-n'), p('-t', 'a/#', '-n'), p('-t', 'a', '-n', '--will-topic', 'w/#'),
  p('-t', 'a', '-n', '--will-payload', 'x'), p('-t', 'a', '-n', '--will-retain'),
  p('-t', 'a', '-n', '-i', 'a', '-I', 'b'), p('-t', 'a', '-n', '-I', 'b', '-i', 'a'),
  p('-t', 'a', '-n', '-c'), p('-t', 'a', '-n', '-c', '-I', 'p'), p('-t', 'a', '-n', '-c', '-V', '5'),
  p('-t', 'a', '-n', '-V', '5', '-x', '-1'), p('-t', 'a', '-n', '-V', '5', '-x', '1x'), p('-t', 'a', '-n', '-V', '5', '-x', '4294967296'),
  p('-t', 'a', '-m', 'x', '-n'), p('-t', 'a', '-m', 'x', '-m', 'y'), p('-t', 'a', '-n', '-l'), p('-t', 'a', '-n', '-s'),
  p('-t', 'a', '-n', '-f', 'x'), p('-t', 'a', '-l', '-s'),
  p('-t', 'a', '-n', '--repeat', '0'), p('-t', 'a', '-n', '--repeat', '2', '--repeat-delay', '-1'), p('-t', 'a', '-n', '--repeat-delay', '-1'),
  p('-t', 'a', '-n', '-M', '0'),
  p('-t', 'a', '-n', '--cert', 'c.pem'), p('-t', 'a', '-n', '--key', 'k.pem'), p('-t', 'a', '-n', '--keyform', 'pem'),
  p('-t', 'a', '-n', '--psk', '00'), p('-t', 'a', '-n', '--psk', '00', '--psk-identity', 'i', '--cafile', 'x'),
  p('-n', '-L', 'http://h/t'), p('-n', '-L', 'mqtt://h'), p('-n', '-L', 'mqtt://h/'),
  p('-t', 'a', '-n', '--proxy', 'http://p'), p('-t', 'a', '-n', '--proxy', 'socks5h://'),
  p('-t', 'a', '-f', '/nonexistent/file'), p('-t', 'a', '-n', '-P', 'pw'),
  p('-t', 'a', '-n', '-D', 'publish', 'content-type'), p('-t', 'a', '-n', '-D', 'publish', 'user-property', 'k'),
  p('-t', 'a', '-n', '-D', 'suback', 'reason-string', 'x'), p('-t', 'a', '-n', '-D', 'publish', 'nope', 'x'),
  p('-t', 'a', '-n', '-D', 'publish', 'receive-maximum', '1'), p('-t', 'a', '-n', '-D', 'publish', 'payload-format-indicator', '256'),
  p('-t', 'a', '-n', '-D', 'connect', 'session-expiry-interval', 'x'), p('-t', 'a', '-n', '-D', 'publish', 'topic-alias', '0'),
  p('-t', 'a', '-n', '-D', 'connect', 'topic-alias-maximum', '70000'),
  p('-t', 'a', '-n', '--tls-version', 'x'), p('-t', 'a', '-n', '--keyform', 'x', '--key', 'k', '--cert', 'c'),
  p('-t', 'a', '-n', '-T', 'x'), p('-t', 'a', '-n', '-C', '1'), p('-t', 'a', '-n', '-v'),
  p('-t', 'a', '-n', '-V', '5', '-D', 'publish', 'response-topic', 'a/+'),
  // mosquitto_sub
  s(), s('-v'), s('--nope'), s('-t', 'a', '--nope'), s('-t', 'a/#/b'), s('-t', 'a+'),
  s('-t', 'a', '-C', '0'), s('-t', 'a', '-C', '-1'), s('-t', 'a', '-W', '0'), s('-t', 'a', '-W', '-5'), s('-t', 'a', '-q', '3'),
  s('-t', 'a', '-T', 'a/#/b'), s('-t', 'a', '-U', 'a/#/b'), s('-U', 'a'),
  s('-t', 'a', '-F', '%'), s('-F', '%'), s('-t', 'a', '-F', '%z'), s('-t', 'a', '-F', '\\'), s('-t', 'a', '-F', '\\z'),
  s('-t', 'a', '-F', '%.'), s('-t', 'a', '-F', '%-'), s('-t', 'a', '-F', '%1'), s('-t', 'a', '-F', '%08'), s('-t', 'a', '-F', '%.3'),
  s('-t', 'a', '-F', '%5.'),
  s('-t', 'a', '--random-filter', '0'), s('-t', 'a', '--random-filter', '101'), s('-t', 'a', '--random-filter', 'x'),
  s('-t', 'a', '-c'), s('-t', 'a', '-c', '-V', '5'), s('-t', 'a', '-k', '3'),
  s('-t', 'a', '-V', '5', '-D', 'subscribe', 'user-property', 'a'), s('-t', 'a', '-D', 'connect', 'nope', '1'),
  s('-t', 'a', '-m', 'x'), s('-t', 'a', '-n'), s('-t', 'a', '-r'), s('-t', 'a', '-f', 'x'), s('-t', 'a', '-l'),
  s('-t', 'a', '--retain-as-published'), s('-t', 'a', '--will-payload', 'x'), s('-t', 'a', '-i', 'x', '-I', 'y'),
  s('-t', 'a', '-x', '1x', '-V', '5'), s('-t', 'a', '-e', 'r'), s('-t', 'a', '-V', '4'), s('-t', 'a', '-L', 'mqtt://h'),
  s('-L', 'mqtt://h/a/#/x'), s('-t', 'a', '-L', 'mqtts://h/t', '-p', '1'), s('-t', 'a', '--proxy', 'socks5h://u:p@h:x'),
  s('-t', 'a', '-W', '1x'), s('-t', 'a', '-C', 'x'), s('-t', 'a', '--unix'), s('-t', 'a', '-R', '-C', '0'),
  s('-t', 'a', '--will-qos', '3', '-C', '0'), s('-t', 'a', '-C', '0', '-W', '0'), s('-t', 'a/+', '-C', '0'),
  p('-t', 'a/+', '-n', '--repeat-delay', '-1'),
  // The -D lists, checked once the command line is read (values, then duplicates; CONNECT first).
  ...[
    ['connect', 'receive-maximum', '0'], ['connect', 'maximum-packet-size', '0'], ['connect', 'request-problem-information', '2'],
    ['connect', 'request-response-information', '2'], ['connect', 'topic-alias-maximum', '0'],
  ].map((d) => p('-t', 'a', '-n', '-D', ...d)),
  p('-t', 'a', '-n', '-x', '5', '-D', 'connect', 'session-expiry-interval', '6'),
  p('-t', 'a', '-n', '-x', '0', '-D', 'connect', 'session-expiry-interval', '6'),
  p('-t', 'a', '-n', '-c', '-i', 'x', '-V', '5', '-D', 'connect', 'session-expiry-interval', '5'),
  p('-t', 'a', '-n', '-c', '-V', '5', '-D', 'connect', 'receive-maximum', '0'),
  p('-t', 'a', '-n', '-D', 'publish', 'content-type', 'a', '-D', 'publish', 'content-type', 'b', '-D', 'connect', 'receive-maximum', '0'),
  p('-t', 'a', '-n', '-D', 'connect', 'receive-maximum', '5', '-D', 'connect', 'receive-maximum', '0'),
  p('-t', 'a', '-n', '-D', 'will', 'content-type', 'a', '-D', 'will', 'content-type', 'b'),
  p('-t', 'a', '-n', '-D', 'disconnect', 'reason-string', 'a', '-D', 'disconnect', 'reason-string', 'b'),
  p('-t', 'a', '-n', '-D', 'unsubscribe', 'user-property', 'a', 'b', '-D', 'unsubscribe', 'user-property', 'a', 'b'),
  p('-n', '-D', 'connect', 'receive-maximum', '0'), p('-t', 'a', '-n', '-D', 'connect', 'receive-maximum', '0', '-V', '311'),
  p('-t', 'a', '-n', '--will-payload', 'p', '-D', 'connect', 'receive-maximum', '0'),
  s('-t', 'a', '-D', 'subscribe', 'subscription-identifier', '1', '-D', 'subscribe', 'subscription-identifier', '2'),
  s('-D', 'connect', 'receive-maximum', '0'), s('-t', 'a', '-D', 'connect', 'receive-maximum', '0'),
  // --tls-engine is refused only where mosquitto fails to set it up: after every other check, --quiet hides it.
  p('-t', 'a', '-n', '--tls-engine-kpass-sha1', 'x', '--tls-engine', 'e'), p('-t', 'a', '-n', '--tls-engine', 'e', '-q', '3'),
  p('-t', 'a', '-n', '-D', 'connect', 'session-expiry-interval', '5', '-V', '311'), s('-t', 'a', '-D', 'will', 'content-type', 'x', '-V', '31'), s('-t', 'a', '--will-topic', 'w', '-D', 'will', 'content-type', 'x', '-V', '31'),
  p('-t', 'a', '-n', '--will-topic', 'w', '-D', 'will', 'content-type', 'x', '-V', '311', '--tls-engine', 'e'),
  p('-t', 'a', '-n', '--tls-engine', 'e', '--quiet'),
  // The rest of mosquitto's set-up, in its order (will, credentials, TLS files, engine, key form, version); --quiet hides it.
  p('-t', 'a', '-n', '--cafile', '/nonexistent/ca', '--tls-version', 'tlsv9'), p('-t', 'a', '-n', '--tls-version', 'x', '--quiet'),
  p('-t', 'a', '-n', '--keyform', 'x', '--key', 'k', '--cert', 'c', '--quiet'), p('-t', 'a', '-n', '-P', 'pw', '--quiet'),
  s('-t', 'a', '--cafile', '/nonexistent/ca', '--no-tls'), s('-t', 'a', '--capath', '/nonexistent', '--cert', '/nonexistent/c', '--key', 'k'), p('-t', 'a', '-n', '--tls-engine', 'e', '--tls-engine-kpass-sha1', 'x', '--keyform', 'engine', '--key', 'k', '--cert', 'c'),
  ...['0', '-5', '268435456', '4294967296'].map((v) => s('-t', 'a', '-D', 'subscribe', 'subscription-identifier', v)),
  // MQTT strings and binary data: at most 65535 bytes (not UTF-8: argv-bytes.test.ts).
  p('-t', 'a', '-n', '-D', 'publish', 'correlation-data', LONG), p('-t', 'a', '-n', '-D', 'publish', 'content-type', LONG),
  p('-t', 'a', '-n', '-D', 'publish', 'user-property', LONG, 'v'), p('-t', 'a', '-n', '-D', 'publish', 'user-property', 'k', LONG),
  // mosquitto prints the -D list errors through err_printf: --quiet leaves only the --help line.
  p('--quiet', '-t', 'a', '-n', '-D', 'connect', 'receive-maximum', '0'), s('-t', 'a', '-D', 'will', 'content-type', 'a', '-D', 'will', 'content-type', 'b', '--quiet'),
  // -o is 2.1's: these rows are compared against mosquitto 2.1's clients.
  p('-t', 'a', '-n', '-o', '/nonexistent/options'), p('-t', 'a', '-n', '-o', 'x', '-o', 'y'), s('-t', 'a', '-o', 'x', '-o', 'y'), p('-t', 'a', '-n', '-q', '3', '-k', '1'),
  // mosquitto_rr (MQTT 5 by default; -t, -e and a message are all required)
  ...RR_VALUE_OPTIONS.map((o) => r('-t', 'a', '-e', 'b', o)),
  r(), r('-t', 'a'), r('-e', 'b'), r('-m', 'x'), r('-t', 'a', '-e', 'b'), r('-e', 'b', '-n'), r('-t', 'a', '-n'), r('-L', 'mqtt://h/t', '-n'),
  r('--nope'), req('--nope'), r('-t', 'a', '-e', 'b', '--message=x'), r('-t', 'a', '-e', 'b', '-m', 'x', '-dr'),
  req('-l'), req('--stdin-line'), req('-r'), req('--retain'), req('-C', '2'), req('-C', '0'), req('-E'), req('-T', 'x'), req('-U', 'x'),
  req('--random-filter', '10'), req('--remove-retained'), req('--retained-only'), req('--repeat', '2'), req('--repeat-delay', '1'), req('-S'),
  req('-R'), req('-N'), req('-v'), req('--pretty'), req('--retain-as-published'), req('-F', '%t'), req('--insecure'), req('--nodelay'), req('--quiet'),
  req('-k', '4'), req('-k', '65536'), req('-k', '0'), req('-p', '70000'), req('-p', '-1'), req('-q', '3'), req('-q', '-1'),
  req('--will-topic', 'w', '--will-qos', '3'), req('--will-qos', '3'), req('-V', '4'), req('-V', 'mqttv2'), req('-V', '311'), req('-V', 'mqttv31'),
  req('-W', '0'), req('-W', '-5'), req('-W', 'x'), req('-W', '1x'), req('-M', '0'),
  req('-F', '%'), req('-F', '%z'), req('-F', '\\'), req('-F', '\\z'), req('-F', '%5.'),
  req('-x', '1x'), req('-x', '4294967296'), req('-x', '-1'), req('-x', '-1', '-i', 'id'),
  r('-t', 'a/+', '-e', 'b', '-n'), r('-t', 'a/#', '-e', 'b', '-n'), r('-t', 'a', '-e', 'b/+', '-n'), r('-t', 'a', '-e', 'b/#', '-n'),
  r('-e', 'b/#', '-t', 'a/+', '-n'), r('-t', 'a', '-e', 'b/#', '-q', '3'), req('-W', '0', '-q', '3'), req('-F', '%z', '-q', '3'), req('-q', '3', '-W', '0'),
  req('--will-topic', 'w/#'), req('--will-payload', 'x'), req('--will-retain'), req('-i', 'a', '-I', 'b'), req('-I', 'b', '-i', 'a'),
  req('-c'), req('-c', '-I', 'p'), req('-c', '-V', '311'), req('-c', '-i', 'id'), req('-c', '-V', '311', '-i', 'id'),
  req('-m', 'x'), r('-t', 'a', '-e', 'b', '-m', 'x', '-m', 'y'), req('-s'), req('-f', 'x'), r('-t', 'a', '-e', 'b', '-s', '-n'),
  r('-t', 'a', '-e', 'b', '-f', '/nonexistent/file'),
  req('--cert', 'c.pem'), req('--key', 'k.pem'), req('--keyform', 'pem'), req('--psk', '00'), req('--psk', '00', '--psk-identity', 'i', '--cafile', 'x'),
  r('-e', 'b', '-n', '-L', 'http://h/t'), r('-e', 'b', '-n', '-L', 'mqtt://h'), r('-e', 'b', '-n', '-L', 'mqtt://h/'),
  r('-e', 'b', '-n', '-L', 'mqtt://h/a/+'), r('-e', 'b', '-n', '-L', 'mqtt://h/a/#'), req('-L', 'mqtts://h/t', '-p', '1'),
  req('--proxy', 'http://p'), req('--proxy', 'socks5h://'), req('--proxy', 'socks5h://u:p@h:x'), req('-P', 'pw'), req('-V', '311', '-P', 'pw'),
  req('-D', 'publish', 'response-topic', 'x'), req('-D', 'publish', 'response-topic', 'x', '--quiet'), req('-V', '311', '-D', 'publish', 'response-topic', 'x'),
  req('-D', 'publish', 'response-topic', 'x', '-V', '311'), req('-D', 'publish', 'response-topic', 'a/+'),
  req('-D', 'publish', 'correlation-data', 'x'), req('-D', 'publish', 'content-type'), req('-D', 'publish', 'user-property', 'k'),
  req('-D', 'suback', 'reason-string', 'x'), req('-D', 'publish', 'nope', 'x'), req('-D', 'publish', 'receive-maximum', '1'),
  req('-D', 'connect', 'session-expiry-interval', 'x'), req('-D', 'publish', 'topic-alias', '0'), req('-D', 'publish', 'topic-alias', '1'),
  req('-D', 'connect', 'topic-alias-maximum', '70000'), req('-D', 'subscribe', 'user-property', 'a', 'b'), req('--tls-version', 'x'),
  req('-D', 'publish', 'content-type', 'a', '-D', 'publish', 'content-type', 'b'), req('-x', '5', '-D', 'connect', 'session-expiry-interval', '1'),
  req('-D', 'publish', 'response-topic', 'x', '-D', 'publish', 'response-topic', 'y'), r('-t', 'a', '-e', 'b', '-D', 'connect', 'receive-maximum', '0'),
  req('-w'), req('--watch'), r('-t', 'a\u0001', '-e', 'b', '-n'), r('-t', 'a', '-e', 'b\u0001', '-n'), req('--will-topic', 'w\u0001'),
  r('-t', 'a/+', '-t', 'a', '-e', 'b', '-n'), req('--proxy', 'socks5h://[::1'), req('--tls-engine', 'x'), req('--tls-engine-kpass-sha1', 'x'),
  // 2.1's options (ONLY_IN_21): these rows are compared against mosquitto_rr 2.1.
  req('-o', '/nonexistent/options'), req('-o', 'x', '-o', 'y'), req('--ws'), req('--no-tls'),
];

/** Rows where the whole stderr differs on purpose, keyed by `tool args...` (see man pages, DIFFERENCES FROM MOSQUITTO). */
export const DIFFERS: Readonly<Record<string, string>> = {
  'pub -t a -n -k 0': 'keepalive 0 (none) is accepted',
  'pub -t a -n -p 0': "2.0.11 prints 'No such file or directory' after trying port 0; we refuse it as an invalid port",
  'pub -n -L mqtt://h/': 'an empty topic is refused before connecting',
  [`pub -t a -n -D publish user-property k ${LONG}`]: 'refused: 2.0.11 takes a user property value over 65535 bytes and sends a malformed packet',
  'pub -t a -n -D connect session-expiry-interval x': 'mosquitto reads x as 0; we refuse a property value that is not a number',
  'sub -t a -D subscribe subscription-identifier 0': 'refused before connecting; mosquitto sends it and the broker takes it as a protocol error',
  'sub -t a --random-filter 101': '2.0.11 scales the chance by 10 (101 passes); we mean percent, as 2.1 does',
  'sub -t a --proxy socks5h://u:p@h:x': 'we quote the port as given; mosquitto prints its atoi (0)',
  'pub -t a -n -o /nonexistent/options': '2.1 ignores an -o file it cannot open; we refuse it (man page, -o)',
  'rr -t a -e b -C': '-C is ours (responses to wait for); mosquitto_rr does not know it',
  'rr -t a -e b -n -C 2': '-C is ours (responses to wait for); mosquitto_rr does not know it',
  'rr -t a -e b -n -C 0': '-C is ours, so its value is checked; mosquitto_rr does not know -C',
  'rr -t a -e b -n -r': '-r is ours (retain the request); mosquitto_rr does not know it',
  'rr -t a -e b -n --retain': '--retain is ours (retain the request); mosquitto_rr does not know it',
  'rr -t a -e b -n -k 0': 'keepalive 0 (none) is accepted',
  'rr -t a -e b -f /nonexistent/file': '2.0.11 sends an empty request when the file cannot be read; we refuse it as 2.1 does, and say why',
  'rr -e b -n -L mqtt://h/': 'an empty topic is refused before connecting',
  'rr -t a -e b -n --proxy socks5h://u:p@h:x': 'we quote the port as given; mosquitto prints its atoi (0)',
  'rr -t a -e b -n -D connect session-expiry-interval x': 'mosquitto reads x as 0; we refuse a property value that is not a number',
  'rr -t a -e b -n --proxy socks5h://[::1': 'mosquitto prints no reason, only the --help line; we say the proxy URL is invalid',
  'rr -t a -e b -n -o /nonexistent/options': '2.1 ignores an -o file it cannot open; we refuse it (man page, -o)',
};

/** Rows where mosquitto's first line is kept and ours follows it (a suggestion, a reason). */
export const NOTE: Readonly<Record<string, string>> = {
  'pub -t a --message=x': "did you mean '--message'?",
  'pub -t a -n -k 4': 'keepalive 0 is also accepted',
  'pub -t a -n -k 65536': 'keepalive 0 is also accepted',
  'sub -t a -k 3': 'keepalive 0 is also accepted',
  'pub -t a -n -D publish nope x': 'names the bad property and lists the ones -D publish takes',
  'pub -t a -n -D publish receive-maximum 1': 'lists the properties -D publish takes',
  'sub -t a -D connect nope 1': 'names the bad property and lists the ones -D connect takes',
  'pub -t a -n -P pw': 'says why: a password needs a username before MQTT 5',
  'rr -t a -e b -n --tls-engine x': 'says why no engine can be set up (Node.js has no OpenSSL engines)',
  'pub -t a -n --cafile /nonexistent/ca --tls-version tlsv9': 'says which file and why',
  'sub -t a --capath /nonexistent --cert /nonexistent/c --key k': 'says which file and why',
  'pub -t a -n -D connect session-expiry-interval 5 -V 311': 'says why: -D connect needs MQTT v5, and a later -V chose 3.1.1',
  'sub -t a --will-topic w -D will content-type x -V 31': 'says why: -D will needs MQTT v5, and a later -V chose 3.1',
  'pub -t a -n --will-topic w -D will content-type x -V 311 --tls-engine e': 'says why: -D will needs MQTT v5 (the will is set up before the engine)',
  'pub -t a -n --tls-engine e --tls-engine-kpass-sha1 x --keyform engine --key k --cert c': 'says why no engine can be set up (Node.js has no OpenSSL engines)',
  [`pub -t a -n -D publish content-type ${LONG}`]: 'says which rule the value breaks (longer than 65535 bytes)',
  [`pub -t a -n -D publish user-property ${LONG} v`]: 'says which rule the name breaks (longer than 65535 bytes)',
  'pub -t a -f /nonexistent/file': 'says why the file could not be read',
  'sub -t a --random-filter x': 'says the value is not a number (mosquitto reads it as 0)',
  'sub -t a -C x': 'says the value is not a number (mosquitto reads it as 0)',
  'rr -t a -e b --message=x': "did you mean '--message'?",
  'rr -t a -e b -n --stdin-line': "did you mean '--stdin-file'? (mqtt-rr has no -l, as mosquitto_rr)",
  'rr -t a -e b -n -k 4': 'keepalive 0 is also accepted',
  'rr -t a -e b -n -k 65536': 'keepalive 0 is also accepted',
  'rr -t a -e b -n -W x': 'says the value is not a number (mosquitto reads it as 0)',
  'rr -t a -e b -n -V 311 -P pw': 'says why: a password needs a username before MQTT 5',
  'rr -t a -e b -n -D publish nope x': 'names the bad property and lists the ones -D publish takes',
  'rr -t a -e b -n -D publish receive-maximum 1': 'lists the properties -D publish takes',
};

export const caseKey = ([tool, args]: Case): string => [tool, ...args].join(' ');
