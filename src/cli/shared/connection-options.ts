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
// publish. These tables are the single declaration: the parser reads them, and
// --help renders them through yargs (shared/yargs-help.ts, loaded only then).

export type OptionKind = 'flag' | 'value' | 'property' | 'help' | 'version' | 'completion';

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
  /** --help: one short line (facts from the man page). */
  readonly describe?: string;
  /** --help: the heading this option is listed under. */
  readonly helpGroup?: string;
  /** --help: the value's name when `what` reads badly as one, e.g. 'file' for --cafile. */
  readonly placeholder?: string;
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

/** Gives each spec its --help heading (tables read top to bottom, a heading per block). */
export const underHeading = (helpGroup: string, specs: OptionSpec[]): OptionSpec[] => specs.map((s) => ({ ...s, helpGroup }));
const d = (describe: string, extra: Partial<OptionSpec> = {}): Partial<OptionSpec> => ({ describe, ...extra });

/** Options every tool accepts (mosquitto's client_shared.c set). */
export const CONNECTION_OPTIONS: readonly OptionSpec[] = [
  ...underHeading('Connection:', [
    v(['-h', '--host'], 'host', 'host', d('broker host. Default: localhost.')),
    v(['-p', '--port'], 'port', 'port', d('broker port. Default: 1883, or 8883 with TLS (port 8883 turns TLS on).')),
    v(['--unix'], 'unix', 'unix socket path', d('connect through the Unix domain socket at this path.', { placeholder: 'path' })),
    v(['-L', '--url'], 'url', 'URL', d('mqtt(s)://[username[:password]@]host[:port]/topic in one argument (also ws, wss).')),
    v(['-A'], 'bindAddress', 'bind address', d('bind the outgoing socket to this local address.', { placeholder: 'address' })),
    f(['--nodelay'], 'nodelay', d("turn off Nagle's algorithm.")),
    v(['--proxy'], 'proxy', 'proxy URL', d('SOCKS5 proxy: socks5h://[username[:password]@]host[:port].', { placeholder: 'socks-url' })),
  ]),
  ...underHeading('Credentials:', [
    v(['-u', '--username'], 'username', 'username', d('username. Without a password, $MQTT_PASSWORD is used when set.')),
    v(['-P', '--pw'], 'password', 'password', d('password (visible to other users of this machine: prefer the next two).')),
    // Ours: keep the password off argv (visible in ps and shell history).
    v(['--password-file'], 'passwordFile', 'file', d('read the password from the first line of this file.')),
    f(['--password-prompt'], 'passwordPrompt', d('ask for the password on the terminal, without echo.')),
  ]),
  ...underHeading('Session:', [
    v(['-i', '--id'], 'id', 'id', d('client id. Default: none (the broker assigns one).')),
    v(['-I', '--id-prefix'], 'idPrefix', 'id prefix', d('client id = this prefix followed by the process id.', { placeholder: 'prefix' })),
    v(['-k', '--keepalive'], 'keepalive', 'keepalive', d('keepalive in seconds, 5-65535 (0: none). Default 60.', { placeholder: 'seconds' })),
    f(['-c', '--disable-clean-session'], 'disableCleanSession', d('keep the session after disconnecting (needs a client id).')),
    v(['-x'], 'sessionExpiry', 'session expiry interval', {
      impliesV5: true,
      ...d('session expiry interval in seconds (-1 or ∞: never). Implies -V 5.', { placeholder: 'seconds' }),
    }),
  ]),
  ...underHeading('MQTT:', [
    v(['-V', '--protocol-version'], 'protocolVersion', 'protocol version',
      d('5 (mqttv5), 311 (mqttv311) or 31 (mqttv31). Default 311.', { placeholder: 'version' }),
    ),
    v(['-q', '--qos'], 'qos', 'QoS', d('quality of service: 0, 1 or 2. Default 0.', { placeholder: 'qos' })),
    v(['-M'], 'maxInflight', 'max inflight messages',
      d('most QoS 1/2 messages awaiting acknowledgement at once. Default 20.', { placeholder: 'count' }),
    ),
    {
      names: ['-D', '--property'],
      key: 'property',
      kind: 'property',
      impliesV5: true,
      ...d('an MQTT v5 property, e.g. -D publish user-property name value (implies -V 5; see the man page).'),
    },
  ]),
  ...underHeading('Will:', [
    v(['--will-topic'], 'willTopic', 'will topic', d('topic of the message the broker sends if this client vanishes.', { placeholder: 'topic' })),
    v(['--will-payload'], 'willPayload', 'will payload', d('payload of the will message.', { placeholder: 'payload' })),
    v(['--will-qos'], 'willQos', 'will QoS', d('QoS of the will message.', { placeholder: 'qos' })),
    f(['--will-retain'], 'willRetain', d('retain the will message.')),
  ]),
  ...underHeading('TLS:', [
    v(['--cafile'], 'cafile', 'certificate', d('CA certificates to trust, PEM (turns TLS on).', { placeholder: 'file' })),
    v(['--capath'], 'capath', 'certificate directory', d('directory of CA certificates to trust (turns TLS on).', { placeholder: 'dir' })),
    v(['--cert'], 'cert', 'certificate', d('client certificate, PEM (needs --key).', { placeholder: 'file' })),
    v(['--key'], 'key', 'key', d('client private key, PEM.', { placeholder: 'file' })),
    v(['--keyform'], 'keyform', 'keyform', d('key format: pem.')),
    v(['--ciphers'], 'ciphers', 'ciphers', d('TLS 1.2 cipher list (OpenSSL syntax).')),
    v(['--tls-version'], 'tlsVersion', 'version', d('minimum TLS version: tlsv1.3, tlsv1.2 or tlsv1.1.')),
    v(['--tls-alpn'], 'tlsAlpn', 'protocol', d('ALPN protocol to offer.')),
    f(['--tls-use-os-certs'], 'tlsUseOsCerts', d("trust the system's CA certificates (turns TLS on).")),
    f(['--insecure'], 'insecure', d('do not check that the server certificate matches the host name.')),
    v(['--psk'], 'psk', 'key', d('TLS-PSK key, in hex.', { placeholder: 'hex-key' })),
    v(['--psk-identity'], 'pskIdentity', 'identity', d('TLS-PSK identity.')),
    v(['--tls-engine'], 'tlsEngine', 'TLS engine', {
      unsupported: `--tls-engine is not supported: ${ENGINE}`,
      ...d('not supported (no OpenSSL engines in Node.js).', { placeholder: 'engine' }),
    }),
    v(['--tls-engine-kpass-sha1'], 'tlsEngineKpass', 'kpass sha1', {
      unsupported: `--tls-engine-kpass-sha1 is not supported: ${ENGINE}`,
      ...d('not supported (no OpenSSL engines in Node.js).', { placeholder: 'sha1' }),
    }),
  ]),
  ...underHeading('Output:', [
    f(['-d', '--debug'], 'debug', d('print every packet sent and received (to stdout).')),
    f(['--quiet'], 'quiet', d('do not print errors that happen after the command line is read.')),
  ]),
  ...underHeading('General:', [
    { names: ['--help'], key: 'help', kind: 'help', describe: 'print this help on stdout and exit 1 (as mosquitto).' },
    { names: ['--version'], key: 'version', kind: 'version', describe: 'print the version on stdout and exit 1 (as mosquitto).' },
    {
      names: ['--completion-script'],
      key: 'completionScript',
      kind: 'completion',
      describe: 'print a shell completion script (bash; zsh or fish per $SHELL) and exit 0.',
    },
  ]),
];
