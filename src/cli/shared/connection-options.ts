// Option declarations shared by mqtt-pub, mqtt-sub (and later mqtt-rr): the
// connection, authentication, will, TLS and general options of mosquitto's
// clients, as data. The argv parser (args.ts) reads these tables; tools append
// their own (pub: -t -m -f -s -l -n -r --repeat ...; sub: -t -T -C -W -F ...).
//
// Why not yargs at run time: mosquitto's grammar is exact-match, one value per
// option taken verbatim from the next argv element (even "-5" or "--x"), no
// `--opt=value`, no bundled `-dv`, no abbreviations, and `-D` takes 3 or 4 values.
// yargs would need a wall of configuration to unlearn all of that, and merely
// loading it (string-width, cliui, y18n) costs more than the whole one-shot
// publish. These tables are the single declaration; help text is a lazily
// imported module per tool.

export type OptionKind = 'flag' | 'value' | 'property' | 'help' | 'version';

export interface OptionSpec {
  /** Every exact spelling, e.g. ['-h', '--host']. */
  readonly names: readonly string[];
  /** Key under which ParsedArgs stores it. */
  readonly key: string;
  readonly kind: OptionKind;
  /** Noun for "Error: -p argument given but no <what> specified." */
  readonly what?: string;
  /** Values accumulate in ParsedArgs.lists instead of the last one winning. */
  readonly repeatable?: boolean;
  /** Mutually exclusive group (pub's message modes); a second member is `groupError`. */
  readonly group?: string;
  readonly groupError?: string;
  /** Selecting this option also selects MQTT v5 (mosquitto: -D; dev/2.1: -x). */
  readonly impliesV5?: boolean;
  /** Accepted by mosquitto but impossible in Node.js: parse fails with this text. */
  readonly unsupported?: string;
}

const v = (names: string[], key: string, what: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({
  names,
  key,
  kind: 'value',
  what,
  ...extra,
});
const f = (names: string[], key: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({ names, key, kind: 'flag', ...extra });

const ENGINE = 'OpenSSL engines are not available to Node.js; use --key with a PEM key instead.';

/** Options every tool accepts (mosquitto's client_shared.c set). */
export const CONNECTION_OPTIONS: readonly OptionSpec[] = [
  v(['-h', '--host'], 'host', 'host'),
  v(['-p', '--port'], 'port', 'port'),
  v(['--unix'], 'unix', 'unix socket path'),
  v(['-L', '--url'], 'url', 'URL'),
  v(['-u', '--username'], 'username', 'username'),
  v(['-P', '--pw'], 'password', 'password'),
  // Ours: keep the password off argv (visible in ps and shell history).
  v(['--password-file'], 'passwordFile', 'file'),
  f(['--password-prompt'], 'passwordPrompt'),
  v(['-i', '--id'], 'id', 'id'),
  v(['-I', '--id-prefix'], 'idPrefix', 'id prefix'),
  v(['-k', '--keepalive'], 'keepalive', 'keepalive'),
  v(['-V', '--protocol-version'], 'protocolVersion', 'protocol version'),
  f(['-c', '--disable-clean-session'], 'disableCleanSession'),
  v(['-x'], 'sessionExpiry', 'session expiry interval', { impliesV5: true }),
  v(['-q', '--qos'], 'qos', 'QoS'),
  v(['-A'], 'bindAddress', 'bind address'),
  v(['-M'], 'maxInflight', 'max inflight messages'),
  f(['--nodelay'], 'nodelay'),
  f(['-d', '--debug'], 'debug'),
  f(['--quiet'], 'quiet'),
  { names: ['-D', '--property'], key: 'property', kind: 'property', impliesV5: true },
  v(['--will-topic'], 'willTopic', 'will topic'),
  v(['--will-payload'], 'willPayload', 'will payload'),
  v(['--will-qos'], 'willQos', 'will QoS'),
  f(['--will-retain'], 'willRetain'),
  v(['--proxy'], 'proxy', 'proxy URL'),
  // TLS
  v(['--cafile'], 'cafile', 'certificate'),
  v(['--capath'], 'capath', 'certificate directory'),
  v(['--cert'], 'cert', 'certificate'),
  v(['--key'], 'key', 'key'),
  v(['--keyform'], 'keyform', 'keyform'),
  v(['--ciphers'], 'ciphers', 'ciphers'),
  v(['--tls-version'], 'tlsVersion', 'version'),
  v(['--tls-alpn'], 'tlsAlpn', 'protocol'),
  f(['--tls-use-os-certs'], 'tlsUseOsCerts'),
  f(['--insecure'], 'insecure'),
  v(['--psk'], 'psk', 'key'),
  v(['--psk-identity'], 'pskIdentity', 'identity'),
  v(['--tls-engine'], 'tlsEngine', 'TLS engine', { unsupported: `--tls-engine is not supported: ${ENGINE}` }),
  v(['--tls-engine-kpass-sha1'], 'tlsEngineKpass', 'kpass sha1', {
    unsupported: `--tls-engine-kpass-sha1 is not supported: ${ENGINE}`,
  }),
  { names: ['--help'], key: 'help', kind: 'help' },
  { names: ['--version'], key: 'version', kind: 'version' },
];
