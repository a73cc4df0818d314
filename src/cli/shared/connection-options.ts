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

import { flagOption, requestOption, underHeading, valueOption, type OptionKey, type OptionSpec } from './option-table.js';

const v = valueOption;
const f = flagOption;
const ENGINE_HELP = 'not supported (no OpenSSL engines in Node.js).';
const ENGINES = 'no OpenSSL engines in Node.js';

/** Options every tool accepts (mosquitto's client_shared.c set). */
export const CONNECTION_OPTIONS = [
  ...underHeading('Connection:', [
    v(['-h', '--host'], 'host', 'host', 'broker host. Default: localhost.'),
    v(['-p', '--port'], 'port', 'port', 'broker port. Default: 1883, or 8883 with TLS (port 8883 turns TLS on).'),
    v(['--unix'], 'unix', 'socket path', 'connect through the Unix domain socket at this path.', { placeholder: 'path' }),
    v(['-L', '--url'], 'url', 'URL', 'mqtt(s)://[username[:password]@]host[:port]/topic in one argument (also ws, wss).'),
    v(['-A'], 'bindAddress', 'address', 'bind the outgoing socket to this local address.', { placeholder: 'address' }),
    f(['--nodelay'], 'nodelay', "turn off Nagle's algorithm."),
    f(['--ws'], 'ws', 'connect over WebSocket (wss with TLS options), to the HTTP path /mqtt (see --ws-path).'),
    // Ours: RabbitMQ's web-MQTT plugin listens on /ws, which mosquitto's clients cannot reach.
    v(['--ws-path'], 'wsPath', 'path', 'the HTTP path of the WebSocket (--ws, -L ws:// or wss://). Default /mqtt.'),
    v(['--proxy'], 'proxy', 'proxy url', 'SOCKS5 proxy: socks5h://[username[:password]@]host[:port].', { placeholder: 'socks-url' }),
  ]),
  ...underHeading('Credentials:', [
    v(['-u', '--username'], 'username', 'username', 'username. Without a password, $MQTT_PASSWORD is used when set.'),
    v(['-P', '--pw'], 'password', 'password', 'password (visible to other users of this machine: prefer the next two).'),
    // Ours: keep the password off argv (visible in ps and shell history).
    v(['--password-file'], 'passwordFile', 'file', 'read the password from the first line of this file.'),
    f(['--password-prompt'], 'passwordPrompt', 'ask for the password on the terminal, without echo.'),
  ]),
  ...underHeading('Session:', [
    v(['-i', '--id'], 'id', 'id', 'client id. Default: none (the broker assigns one).'),
    v(['-I', '--id-prefix'], 'idPrefix', 'id prefix', 'client id = this prefix followed by the process id.', { placeholder: 'prefix' }),
    v(['-k', '--keepalive'], 'keepalive', 'keepalive', 'keepalive in seconds, 5-65535 (0: none). Default 60.', { placeholder: 'seconds' }),
    f(['-c', '--disable-clean-session'], 'disableCleanSession', 'keep the session after disconnecting (needs a client id).'),
    v(['-x'], 'sessionExpiry', 'session expiry interval', 'session expiry interval in seconds (-1 or ∞: never). Implies -V 5.', {
      impliesV5: true,
      placeholder: 'seconds',
    }),
  ]),
  ...underHeading('MQTT:', [
    v(['-V', '--protocol-version'], 'protocolVersion', 'protocol version', '5 (mqttv5), 311 (mqttv311) or 31 (mqttv31). Default 311.', {
      placeholder: 'version',
      missing: '--protocol-version argument given but no version specified.',
    }),
    v(['-q', '--qos'], 'qos', 'QoS', 'quality of service: 0, 1 or 2. Default 0.', { placeholder: 'qos' }),
    v(['-M'], 'maxInflight', 'max inflight messages', 'most QoS 1/2 messages awaiting acknowledgement at once. Default 20.', {
      placeholder: 'count',
      missing: '-M argument given but max_inflight not specified.',
    }),
    {
      names: ['-D', '--property'],
      key: 'property',
      kind: 'property',
      impliesV5: true,
      describe: 'an MQTT v5 property, e.g. -D publish user-property name value (implies -V 5; see the man page).',
    } satisfies OptionSpec<'property'>,
  ]),
  ...underHeading('Will:', [
    v(['--will-topic'], 'willTopic', 'will topic', 'topic of the message the broker sends if this client vanishes.', { placeholder: 'topic' }),
    v(['--will-payload'], 'willPayload', 'will payload', 'payload of the will message.', { placeholder: 'payload' }),
    v(['--will-qos'], 'willQos', 'will QoS', 'QoS of the will message.', { placeholder: 'qos' }),
    f(['--will-retain'], 'willRetain', 'retain the will message.'),
  ]),
  ...underHeading('TLS:', [
    v(['--cafile'], 'cafile', 'file', 'CA certificates to trust, PEM (turns TLS on).', { placeholder: 'file' }),
    v(['--capath'], 'capath', 'directory', 'directory of CA certificates to trust (turns TLS on).', { placeholder: 'dir' }),
    v(['--cert'], 'cert', 'file', 'client certificate, PEM (needs --key).', { placeholder: 'file' }),
    v(['--key'], 'key', 'file', 'client private key, PEM.', { placeholder: 'file' }),
    v(['--keyform'], 'keyform', 'keyform', 'key format: pem.'),
    v(['--ciphers'], 'ciphers', 'ciphers', 'TLS 1.2 cipher list (OpenSSL syntax).'),
    v(['--tls-version'], 'tlsVersion', 'version', 'minimum TLS version: tlsv1.3, tlsv1.2 or tlsv1.1.'),
    v(['--tls-alpn'], 'tlsAlpn', 'protocol', 'ALPN protocol to offer.'),
    f(['--tls-use-os-certs'], 'tlsUseOsCerts', "trust the system's CA certificates (turns TLS on)."),
    f(['--insecure'], 'insecure', 'do not verify the server certificate at all (as mosquitto 2.1); warns on stderr.'),
    f(['--no-tls'], 'noTls', 'no TLS, whatever the other options (or the options file, or port 8883) say.'),
    v(['--tls-keylog'], 'tlsKeylog', 'file', 'append the TLS session keys to this file (NSS key log format, for Wireshark).'),
    v(['--psk'], 'psk', 'key', 'TLS-PSK key, in hex.', { placeholder: 'hex-key' }),
    v(['--psk-identity'], 'pskIdentity', 'identity', 'TLS-PSK identity.'),
    // Read as mosquitto reads them; refused where mosquitto fails to set them up (client-options.ts).
    v(['--tls-engine'], 'tlsEngine', 'engine_id', ENGINE_HELP, { placeholder: 'engine', unsupported: ENGINES }),
    v(['--tls-engine-kpass-sha1'], 'tlsEngineKpass', 'kpass sha1', ENGINE_HELP, { placeholder: 'sha1', unsupported: ENGINES }),
  ]),
  ...underHeading('Output:', [
    f(['-d', '--debug'], 'debug', 'print every packet sent and received (to stdout).'),
    f(['--quiet'], 'quiet', 'do not print errors that happen after the command line is read.'),
  ]),
  ...underHeading('General:', [
    requestOption(['--help'], 'help', 'help', 'print this help on stdout and exit 1 (as mosquitto).'),
    requestOption(['--version'], 'version', 'version', 'print the version on stdout and exit 1 (as mosquitto).'),
    // mosquitto 2.1's -o; the key is tool-args.ts's OPTIONS_FILE_KEY (repeatable, so a second -o is seen and refused).
    v(['-o'], 'optionsFile', 'options file', "read options from this file instead of ~/.config/<tool> (or mosquitto's).", {
      placeholder: 'file',
      repeatable: true,
    }),
    requestOption(['--completion-script'], 'completionScript', 'completion', 'print a shell completion script (bash; zsh or fish per $SHELL) and exit 0.'),
  ]),
] as const satisfies readonly OptionSpec[];

export type ConnectionKey = OptionKey<typeof CONNECTION_OPTIONS>;
