// The client's public contract, shared by mqtt-pub, mqtt-sub and mqtt-rr.
// Implementation lives in client.ts / connection.ts / session.ts / transports/.
import type { Properties, ProtocolVersion, QoS, Subscription, Will } from '../codec/types.js';

export interface TcpTransportOptions {
  kind: 'tcp';
  host: string;
  port: number;
  bindAddress?: string;
  noDelay?: boolean;
  /** Read through one reused buffer (net's `onread`), so that pausing really stops reading: see ClientOptions.paceReads. */
  pausableReads?: boolean;
}

export interface TlsOptions {
  caFile?: string;
  caPath?: string; // directory of PEM files
  useOsCerts?: boolean; // Node's default trust store
  certFile?: string;
  keyFile?: string;
  keyPassphrase?: string;
  alpn?: string[];
  servername?: string; // SNI; defaults to host unless host is an IP literal
  /** 'tlsv1.2' | 'tlsv1.3' (mosquitto spelling); minimum version, default tlsv1.2 */
  tlsVersion?: string;
  ciphers?: string;
  /** mosquitto 2.1's --insecure: the server certificate is not verified at all (chain nor host name). */
  insecure?: boolean;
  /** --tls-keylog: append the session keys here in NSS key log format (for Wireshark). */
  keylogFile?: string;
  psk?: string; // hex
  pskIdentity?: string;
}

export interface TlsTransportOptions extends Omit<TcpTransportOptions, 'kind'> {
  kind: 'tls';
  tls: TlsOptions;
}

export interface WebSocketTransportOptions {
  kind: 'ws' | 'wss';
  host: string;
  port: number;
  path?: string; // default '/mqtt'
  tls?: TlsOptions; // for wss
  headers?: Record<string, string>;
}

export interface UnixTransportOptions {
  kind: 'unix';
  path: string;
}

export interface ProxyOptions {
  /** socks5 (client resolves names) or socks5h (proxy resolves names) */
  protocol: 'socks5' | 'socks5h';
  host: string;
  port: number;
  username?: string;
  password?: string;
}

export type TransportOptions =
  | TcpTransportOptions
  | TlsTransportOptions
  | WebSocketTransportOptions
  | UnixTransportOptions;

export interface ReconnectOptions {
  /** first delay, ms */
  initialDelayMs: number;
  /** backoff cap, ms */
  maxDelayMs: number;
  /** give up after this many consecutive failed attempts (Infinity = never) */
  maxAttempts: number;
}

export interface ClientOptions {
  transport: TransportOptions;
  proxy?: ProxyOptions;
  protocolVersion: ProtocolVersion;
  clientId: string;
  cleanStart: boolean;
  keepalive: number; // seconds, 0 = off
  username?: string;
  password?: Uint8Array;
  will?: Will;
  /** v5 CONNECT properties (receiveMaximum, sessionExpiryInterval, maximumPacketSize, ...). */
  properties?: Properties;
  /** Tool-side cap on outgoing unacknowledged QoS>0 PUBLISH packets (default 20, like mosquitto). */
  maxInflight?: number;
  /** ms to wait for the socket + CONNACK (default 30 s) */
  connectTimeoutMs?: number;
  /** off unless given */
  reconnect?: ReconnectOptions;
  /** Called with a one-line description of every packet sent / received (for -d). */
  debug?: (line: string) => void;
  /** Called for non-fatal oddities (unknown ack ids, insecure TLS notices). */
  warn?: (line: string) => void;
  /**
   * Read a busy stream about once a millisecond (plain TCP only). For a receiver
   * of QoS 0 only: it has no acknowledgements for the broker to wait on.
   */
  paceReads?: boolean;
}

/** What the broker told us in CONNACK, with defaults filled in. */
export interface ConnackInfo {
  sessionPresent: boolean;
  reasonCode: number;
  properties: Properties;
  assignedClientId?: string;
  keepalive: number; // effective (server keep alive wins)
  maximumQoS: QoS;
  retainAvailable: boolean;
  maximumPacketSize?: number;
  receiveMaximum: number;
  topicAliasMaximum: number;
  wildcardSubscriptionAvailable: boolean;
  subscriptionIdentifierAvailable: boolean;
  sharedSubscriptionAvailable: boolean;
}

export interface OutgoingMessage {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties?: Properties; // v5 publish properties (never topicAlias/subscriptionIdentifiers; the client owns aliases)
}

export interface PublishResult {
  packetId?: number;
  /** PUBACK/PUBREC reason code (0 for QoS 0); 0x10 no-matching-subscribers is success. */
  reasonCode: number;
  properties?: Properties;
  /**
   * QoS 2 only: the broker accepted the message (PUBREC < 0x80) but the link was
   * lost before PUBCOMP and the session did not survive the reconnect, so the
   * completion was never confirmed. Counted as delivered; tools should say so.
   */
  completionUnconfirmed?: boolean;
}

export interface ReceivedMessage {
  /** Resolved topic (aliases already applied). */
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  packetId?: number;
  /** As received: topicAlias (the alias the message arrived with) and subscriptionIdentifiers kept. */
  properties: Properties;
}

export interface SubscribeResult {
  /** One per requested filter, as in SUBACK. */
  reasonCodes: number[];
  properties?: Properties;
}

/**
 * Message handler: the client sends PUBACK (QoS 1) / PUBREC (QoS 2) only after
 * the handler returns (or its promise settles), so a tool acknowledges only what
 * it has actually handled. A handler that throws ends the client with that error.
 */
export type MessageHandler = (msg: ReceivedMessage) => void | Promise<void>;

export interface ClientEvents {
  /** Link lost and a reconnect will be tried. */
  /** Before waiting `delayMs` for reconnect `attempt` (1-based). */
  reconnecting?: (attempt: number, cause: Error, delayMs: number) => void;
  /** Reconnected; resubscription is the tool's business unless autoResubscribe is on. */
  reconnected?: (connack: ConnackInfo) => void;
  /** Fatal: the client is closed and will not reconnect. */
  closed?: (error?: Error) => void;
}
