// Parsed argv → ClientOptions plus the per-command -D properties, with every check
// mosquitto's client_opts_check/client_config_line make (same wording). Pure: the
// password (file, prompt, env) is resolved beforehand by password.ts.
import type { ClientOptions, TlsOptions, TransportOptions } from '../../client/types.js';
import type { Properties, ProtocolVersion, QoS, Will } from '../../codec/types.js';
import { argBytes, hasEscapedBytes } from './argv-bytes.js';
import { accessSync, constants } from 'node:fs';
import { MqttToolError } from '../../errors.js';
import { strerror } from '../../strerror.js';
import { ArgvError, optionError } from './argv-error.js';
import { atoi, flag, intAtLeast, latest, str, type ParsedArgs } from './args.js';
import type { ConnectionKey } from './connection-options.js';
import { propertiesFor } from './properties-arg.js';
import { checkPropertyLists } from './property-checks.js';
import { checkPublishTopic } from './topic-arg.js';
import { parseProxyUrl } from './url.js';
import { urlOf, urlOrOption } from './url-arg.js';

/** What the connection mapper reads: the shared options' keys. */
type Args = ParsedArgs<ConnectionKey>;

export interface ConnectionPlan {
  client: ClientOptions;
  debug: boolean;
  quiet: boolean;
  /** QoS from -q (pub: publish QoS; sub: subscription QoS). */
  qos: QoS;
  /** Topic from the last -L (pub: it or -t, whichever came later; sub: one more filter). */
  urlTopic?: string;
  /** -D properties for the packets the tool sends itself (connect and will are already in `client`). */
  publishProperties?: Properties;
  subscribeProperties?: Properties;
  unsubscribeProperties?: Properties;
  disconnectProperties?: Properties;
}

export interface MapContext {
  /** Default protocol version (pub/sub 4 = 3.1.1; rr 5). */
  defaultVersion?: ProtocolVersion;
  pid: number;
  /** Password resolved by password.ts (wins over -P/-L when given). */
  password?: Uint8Array;
  /** 18 random alphanumerics, for MQTT 3.1's generated client id. */
  randomId?: () => string;
}

const VERSIONS: Record<string, ProtocolVersion> = { '31': 3, mqttv31: 3, '311': 4, mqttv311: 4, '5': 5, mqttv5: 5 };
const INFINITE = 0xffffffff;
export const MAX_INFLIGHT = 'Maximum inflight messages';

export function toConnectionPlan(args: Args, ctx: MapContext): ConnectionPlan {
  const v = str(args, 'protocolVersion');
  const version = v === undefined ? (ctx.defaultVersion ?? 4) : protocolVersionOf(v);
  const transport = transportFrom(args);
  const client: ClientOptions = {
    transport,
    protocolVersion: version,
    clientId: '',
    cleanStart: !flag(args, 'disableCleanSession'),
    keepalive: keepaliveFrom(args),
    maxInflight: maxInflightFrom(args),
  };
  const proxy = str(args, 'proxy');
  if (proxy !== undefined) client.proxy = parseProxyUrl(proxy);
  applyCredentials(client, args, ctx);
  applySession(client, args, ctx, version);
  const will = willFrom(args, version);
  if (will) client.will = will;
  const plan: ConnectionPlan = {
    client,
    debug: flag(args, 'debug'),
    quiet: flag(args, 'quiet'),
    qos: qosFrom(str(args, 'qos'), 'Invalid QoS given: %s'),
  };
  const urlTopic = urlOf(args)?.topic;
  if (urlTopic !== undefined) plan.urlTopic = urlTopic;
  if (version === 5) {
    const [pub, sub, unsub, disc] = (['publish', 'subscribe', 'unsubscribe', 'disconnect'] as const).map((c) =>
      propertiesFor(args.properties, c),
    );
    if (pub) plan.publishProperties = pub;
    if (sub) plan.subscribeProperties = sub;
    if (unsub) plan.unsubscribeProperties = unsub;
    if (disc) plan.disconnectProperties = disc;
  }
  return plan;
}

const MAX_RECEIVE = 65535;

/**
 * Under MQTT 5, for a tool that stops after `count` messages (mqtt-sub -C,
 * mqtt-rr's responses): let the broker have at most that many in flight to us,
 * so nothing beyond the last is sent and left unacknowledged (mosquitto #2134).
 */
export function capReceiveMaximum(connection: ConnectionPlan, count: number): void {
  if (count >= MAX_RECEIVE) return;
  const props = (connection.client.properties ??= {});
  props.receiveMaximum = Math.min(props.receiveMaximum ?? MAX_RECEIVE, count);
}

/** -V's value as a protocol level. */
export function protocolVersionOf(text: string): ProtocolVersion {
  const version = VERSIONS[text];
  if (version === undefined) throw optionError('Invalid protocol version argument given.');
  return version;
}

/** `message` with %s for the number; `blank` when mosquitto ends it with a blank line (--will-qos). */
export function qosFrom(text: string | undefined, message: string, fallback: QoS = 0, blank = false): QoS {
  if (text === undefined) return fallback;
  const q = atoi(text, 'QoS');
  if (q < 0 || q > 2) throw new ArgvError(message.replace('%s', String(q)), { blank });
  return q as QoS;
}

export const willQosOf = (text: string | undefined): QoS => qosFrom(text, 'Invalid will QoS %s.', 0, true);

export function keepaliveOf(text: string): number {
  const k = atoi(text, 'Keepalive');
  // 0 (keepalive off) is our extension; mosquitto accepts only 5..65535.
  if (k !== 0 && (k < 5 || k > 65535)) {
    throw optionError('Invalid keepalive given, it must be between 5 and 65535 inclusive.', {
      note: '(0 is also accepted here: no keepalive.)',
    });
  }
  return k;
}

function keepaliveFrom(args: Args): number {
  const text = str(args, 'keepalive');
  return text === undefined ? 60 : keepaliveOf(text);
}

function maxInflightFrom(args: Args): number {
  const what = MAX_INFLIGHT;
  return intAtLeast(args, 'maxInflight', { min: 1, fallback: 20, what, error: () => `${what} must be greater than 0.` });
}

function transportFrom(args: Args): TransportOptions {
  const unix = str(args, 'unix');
  const url = urlOf(args);
  const { tls, on } = tlsFrom(args, url?.useOsCerts === true);
  const portText = urlOrOption(args, 'port');
  let port = tls.caFile || tls.caPath || tls.psk ? 8883 : 1883;
  if (portText !== undefined) {
    port = atoi(portText, 'Port');
    if (port < 1 || port > 65535) throw new ArgvError(`Invalid port given: ${port}`);
  }
  if (unix !== undefined && latest(args, 'unix', 'host', 'url') === 'unix') return { kind: 'unix', path: unix };
  const host = urlOrOption(args, 'host') ?? 'localhost';
  const tcp = { host, port } as { host: string; port: number; bindAddress?: string; noDelay?: boolean };
  const bind = str(args, 'bindAddress');
  if (bind !== undefined) tcp.bindAddress = bind;
  if (flag(args, 'nodelay')) tcp.noDelay = true;
  const noTls = flag(args, 'noTls');
  // -L ws(s):// (when -L is the latest say on the host) or --ws.
  const urlWs = url?.kind === 'ws' || url?.kind === 'wss' ? url.kind : undefined;
  if (urlWs !== undefined || flag(args, 'ws')) {
    const secure = !noTls && (urlWs === 'wss' || (urlWs === undefined && (on || port === 8883)));
    const path = str(args, 'wsPath');
    const ws = { host, port, ...(path !== undefined ? { path } : {}) };
    if (!secure) return { kind: 'ws', ...ws };
    if (!tls.caFile && !tls.caPath && !tls.psk) tls.useOsCerts = true;
    return { kind: 'wss', ...ws, tls };
  }
  // Port 8883 with no CA given means TLS against the OS trust store (mosquitto 2.0+); --no-tls: never.
  if (!noTls && (on || port === 8883)) {
    if (!tls.caFile && !tls.caPath && !tls.psk) tls.useOsCerts = true;
    return { kind: 'tls', ...tcp, tls };
  }
  return { kind: 'tcp', ...tcp };
}

const TLS_VERSIONS = ['tlsv1.3', 'tlsv1.2', 'tlsv1.1'];

/** TLS settings, and whether any of them turns TLS on (the rest are inert unless port 8883 does). */
function tlsFrom(args: Args, urlOsCerts: boolean): { tls: TlsOptions; on: boolean } {
  const t: TlsOptions = {};
  const cafile = str(args, 'cafile');
  const capath = str(args, 'capath');
  const cert = str(args, 'cert');
  const key = str(args, 'key');
  const keyform = str(args, 'keyform');
  const psk = str(args, 'psk');
  const pskIdentity = str(args, 'pskIdentity');
  if ((cert === undefined) !== (key === undefined)) {
    throw new ArgvError('Both certfile and keyfile must be provided if one of them is set.');
  }
  if (keyform !== undefined && key === undefined) throw new ArgvError('If keyform is set, keyfile must be also specified.');
  if (str(args, 'tlsEngineKpass') !== undefined && (keyform === undefined || str(args, 'tlsEngine') === undefined)) {
    throw new ArgvError('when using tls-engine-kpass-sha1, both tls-engine and keyform must also be provided.');
  }
  if (keyform !== undefined) {
    const kf = keyform.toLowerCase();
    // With --tls-engine, the engine is refused instead, later (setupChecks), as mosquitto fails there.
    if (kf === 'engine' && str(args, 'tlsEngine') === undefined) {
      throw new ArgvError('--keyform engine is not supported: OpenSSL engines are not available to Node.js.');
    }
  }
  if (psk !== undefined) {
    if (cafile !== undefined || capath !== undefined) {
      throw new ArgvError('Only one of --psk or --cafile/--capath may be used at once.');
    }
    if (pskIdentity === undefined) throw new ArgvError('--psk-identity required if --psk used.');
    if (!/^[0-9a-fA-F]+$/.test(psk)) throw new ArgvError('--psk must be hexadecimal digits (no leading 0x).');
    t.psk = psk;
    t.pskIdentity = pskIdentity;
  }
  if (cafile !== undefined) t.caFile = cafile;
  if (capath !== undefined) t.caPath = capath;
  if (cert !== undefined) t.certFile = cert;
  if (key !== undefined) t.keyFile = key;
  // mqtts:// and wss:// in -L stand for --tls-use-os-certs.
  if (flag(args, 'tlsUseOsCerts') || urlOsCerts) t.useOsCerts = true;
  const on = cafile !== undefined || capath !== undefined || psk !== undefined || t.useOsCerts === true;
  const version = str(args, 'tlsVersion');
  if (version !== undefined) t.tlsVersion = version.toLowerCase(); // checked by setupChecks
  const ciphers = str(args, 'ciphers');
  if (ciphers !== undefined) t.ciphers = ciphers;
  const alpn = str(args, 'tlsAlpn');
  if (alpn !== undefined) t.alpn = [alpn];
  if (flag(args, 'insecure')) t.insecure = true;
  const keylog = str(args, 'tlsKeylog');
  if (keylog !== undefined) t.keylogFile = keylog;
  return { tls: t, on };
}

function applyCredentials(client: ClientOptions, args: Args, ctx: MapContext): void {
  const username = urlOrOption(args, 'username');
  if (username !== undefined) client.username = utf8Text(username, '-u');
  const pw = urlOrOption(args, 'password');
  if (ctx.password !== undefined) client.password = ctx.password;
  else if (pw !== undefined) client.password = argBytes(pw); // binary in MQTT: the exact bytes
}

/**
 * MQTT 3.1/3.1.1 carry a password only after a username (mosquitto_pub: "Problem
 * setting username and/or password."). Call again after setting a password from
 * --password-file/--password-prompt.
 */
export function checkCredentials(client: ClientOptions): void {
  if (client.protocolVersion !== 5 && client.password !== undefined && client.username === undefined) {
    throw new MqttToolError('SETUP_FAILED', 'Error: Problem setting username and/or password.', {
      lines: ['(A password needs a username (-u) with MQTT 3.1/3.1.1: give -u, or use -V 5.)'],
    });
  }
}

function applySession(client: ClientOptions, args: Args, ctx: MapContext, version: ProtocolVersion): void {
  const id = str(args, 'id');
  const prefix = str(args, 'idPrefix');
  if (id !== undefined && prefix !== undefined) throw optionError(ID_CONFLICT);
  if (id !== undefined) client.clientId = utf8Text(id, '-i');
  else if (prefix !== undefined) client.clientId = `${prefix}${ctx.pid}`;
  else if (version === 3) client.clientId = `mosq-${(ctx.randomId ?? randomAlnum)()}`;
  const fixedId = id !== undefined;
  if (version !== 5) {
    if (!client.cleanStart && !fixedId) {
      throw new ArgvError('You must provide a client id if you are using the -c option.');
    }
    return;
  }
  const connectProps = propertiesFor(args.properties, 'connect') ?? {};
  const own = ownSessionExpiry(args, client.cleanStart);
  if (own === INFINITE && !fixedId) {
    throw new ArgvError('You must provide a client id if you are using an infinite session expiry interval.');
  }
  // -x (or -c) is sent when above 0; otherwise a -D connect session-expiry-interval.
  const expiry = own !== undefined && own > 0 ? own : connectProps.sessionExpiryInterval;
  if (expiry !== undefined && expiry > 0) connectProps.sessionExpiryInterval = expiry;
  else delete connectProps.sessionExpiryInterval;
  if (Object.keys(connectProps).length > 0) client.properties = connectProps;
}

/** MQTT 5: the interval mosquitto adds itself, -x, or "never" for -c without -x. */
function ownSessionExpiry(args: Args, cleanStart: boolean): number | undefined {
  return sessionExpiryFrom(args) ?? (cleanStart ? undefined : INFINITE);
}

/**
 * mosquitto's last check on the command line (the end of its client_config_load):
 * the -D lists, values and duplicates. Each tool calls it where mosquitto makes it,
 * after its own checks of that stage (mqtt-sub: a topic is required).
 */
export function checkProperties(args: Args, plan: ConnectionPlan): void {
  const v5 = plan.client.protocolVersion === 5;
  checkPropertyLists(args.properties, v5 ? ownSessionExpiry(args, plan.client.cleanStart) : undefined);
}

/**
 * What mosquitto finds only once it sets the client up and connects, after every
 * check of the command line: so reported last, in its words, not as usage errors
 * (no --help line; --quiet hides them), each with our line saying why.
 */
export function setupChecks(args: Args, plan: ConnectionPlan): void {
  const v5 = plan.client.protocolVersion === 5;
  const why = '-D connect/will properties need MQTT v5 (a later -V chose an older version).';
  if (!v5 && plan.client.will && args.properties.some((p) => p.command === 'will')) {
    throw setupFailed('Error: Problem setting will.', why);
  }
  checkCredentials(plan.client);
  if (!flag(args, 'noTls')) tlsSetupChecks(args);
  if (!v5 && args.properties.some((p) => p.command === 'connect')) {
    throw setupFailed('Unable to connect (This feature is not supported.).', why);
  }
}

const setupFailed = (line: string, why?: string): MqttToolError =>
  new MqttToolError('SETUP_FAILED', line, why === undefined ? {} : { lines: [why] });

/** mosquitto's TLS set-up, in its order: the files (with --cafile/--capath), the engine, the key form, the version. */
function tlsSetupChecks(args: Args): void {
  if (str(args, 'cafile') !== undefined || str(args, 'capath') !== undefined) {
    for (const [key, what] of [['cafile', 'CA file'], ['cert', 'certificate file'], ['key', 'key file']] as const) {
      const path = str(args, key);
      if (path === undefined) continue;
      try {
        accessSync(path, constants.R_OK);
      } catch (e) {
        throw setupFailed('Error: Problem setting TLS options: File not found.', `${what} '${path}': ${strerror(e)}.`);
      }
    }
  }
  // Node.js has no OpenSSL engines, so every engine is one mosquitto could not set up either.
  const engine = str(args, 'tlsEngine');
  if (engine !== undefined) {
    throw setupFailed(`Error: Problem setting TLS engine, is ${engine} a valid engine?`, 'OpenSSL engines are not available to Node.js; use --key with a PEM key instead.');
  }
  const keyform = str(args, 'keyform')?.toLowerCase();
  if (keyform !== undefined && keyform !== 'pem' && keyform !== 'engine') {
    throw setupFailed("Error: Problem setting key form, it must be one of 'pem' or 'engine'.");
  }
  const version = str(args, 'tlsVersion');
  if (version !== undefined && !TLS_VERSIONS.includes(version.toLowerCase())) {
    throw setupFailed('Error: Problem setting TLS options, check the options are valid.');
  }
}

/** -x: strict number; -1, 4294967295 and '∞' mean never expires. */
function sessionExpiryFrom(args: Args): number | undefined {
  const text = str(args, 'sessionExpiry');
  return text === undefined ? undefined : sessionExpiryOf(text);
}

export const ID_CONFLICT = '-i and -I argument cannot be used together.';

export function sessionExpiryOf(text: string): number {
  if (text === '∞' || text === '-1') return INFINITE;
  if (!/^[+-]?\d+$/.test(text.trim())) throw optionError('session-expiry-interval not a number.');
  const n = Number(text);
  if (n < 0 || n > INFINITE) throw optionError('session-expiry-interval out of range.');
  return n;
}

function willFrom(args: Args, version: ProtocolVersion): Will | undefined {
  const topic = str(args, 'willTopic');
  const payload = str(args, 'willPayload');
  if (topic === undefined) {
    if (payload !== undefined) throw new ArgvError('Will payload given, but no will topic given.');
    if (flag(args, 'willRetain')) throw new ArgvError('Will retain given, but no will topic given.');
    return undefined;
  }
  checkPublishTopic(topic, `Invalid will topic '${topic}', does it contain '+' or '#'?`, '--will-topic');
  const will: Will = {
    topic,
    payload: argBytes(payload ?? ''),
    qos: willQosOf(str(args, 'willQos')),
    retain: flag(args, 'willRetain'),
  };
  const props = version === 5 ? propertiesFor(args.properties, 'will') : undefined;
  if (props) will.properties = props;
  return will;
}

function randomAlnum(): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = '';
  for (let i = 0; i < 18; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

/** An MQTT string from argv: bytes that were not UTF-8 cannot be sent as one (MQTT requires UTF-8). */
function utf8Text(s: string, option: string): string {
  if (hasEscapedBytes(s)) throw new ArgvError(`Malformed UTF-8 in ${option} argument.`);
  return s;
}
