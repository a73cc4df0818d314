// Every failure in the suite is one of these: a stable string `code` that tests
// and the exit-code table key on, plus the MQTT reason code it implies (if any).
// Only src/cli/shared/exit-codes.ts turns them into process exit statuses.

export type ErrorCode =
  // codec
  | 'MALFORMED_PACKET' // 0x81
  | 'PROTOCOL_ERROR' // 0x82
  | 'PACKET_TOO_LARGE' // 0x95
  | 'TOPIC_ALIAS_INVALID' // 0x94
  | 'RECEIVE_MAXIMUM_EXCEEDED' // 0x93
  | 'INVALID_ARGUMENT' // an encode-side value the spec forbids (bad topic, QoS 3, ...)
  // client
  | 'CONNECT_FAILED' // socket could not be opened (refused, DNS, unreachable)
  | 'TLS_ERROR' // handshake / certificate / hostname failure
  | 'PROXY_ERROR' // SOCKS5 proxy failure
  | 'CONNECTION_REFUSED' // CONNACK with a refusal (reasonCode = v3 return code or v5 reason code)
  | 'CONNECTION_LOST' // link closed while we still needed it
  | 'SERVER_DISCONNECT' // broker sent DISCONNECT (reasonCode set)
  | 'KEEPALIVE_TIMEOUT' // no PINGRESP in time
  | 'CONNECT_TIMEOUT' // no CONNACK in time
  | 'NOT_SUPPORTED' // request breaks a limit the broker announced (QoS, retain, wildcard, ...)
  | 'PUBLISH_REJECTED' // PUBACK/PUBREC reason >= 0x80
  | 'PUBLISH_UNCONFIRMED' // lost link; message may or may not have arrived
  | 'SUBSCRIBE_REJECTED' // SUBACK reason >= 0x80 (mqtt-rr's response topic)
  | 'CLIENT_CLOSED' // operation on a client that was closed
  // cli
  | 'USAGE' // bad arguments
  | 'IO_ERROR' // reading a file / stdin / writing output
  | 'INVALID_INPUT' // input that is not what --input says (bad hex / base64)
  | 'SETUP_FAILED' // found once the command line passed, where mosquitto sets the client up (mqtt-rr's duplicate response topic, a TLS engine, connect properties under v3): the message is mosquitto's whole line
  | 'TIMEOUT' // -W expired
  | 'INTERRUPTED' // signal before CONNACK
  | 'SPOOL_DAMAGED' // mqtt-pub --spool: journal records that could not be read
  // passwd
  | 'PASSWORD_MISMATCH'
  | 'PASSWORD_FILE_CORRUPT'
  | 'PASSWORD_FILE_LOCKED'
  | 'USER_NOT_FOUND'
  | 'CHECK_FAILED'
  | 'UNSUPPORTED_HASH';

export interface MqttToolErrorOptions {
  reasonCode?: number;
  reasonString?: string;
  cause?: unknown;
  /** Extra numbers a tool may report (e.g. count of unconfirmed messages). */
  count?: number;
  /** Further lines mosquitto prints after the message ('' a blank one); each is escaped on its own. */
  lines?: readonly string[];
}

export class MqttToolError extends Error {
  readonly code: ErrorCode;
  readonly reasonCode?: number;
  readonly reasonString?: string;
  readonly count?: number;
  readonly lines?: readonly string[];

  constructor(code: ErrorCode, message: string, opts: MqttToolErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'MqttToolError';
    this.code = code;
    if (opts.reasonCode !== undefined) this.reasonCode = opts.reasonCode;
    if (opts.reasonString !== undefined) this.reasonString = opts.reasonString;
    if (opts.count !== undefined) this.count = opts.count;
    if (opts.lines !== undefined) this.lines = opts.lines;
  }
}

/** Raised by the codec: malformed bytes, protocol violations, oversize packets. */
export class CodecError extends MqttToolError {
  constructor(
    code: 'MALFORMED_PACKET' | 'PROTOCOL_ERROR' | 'PACKET_TOO_LARGE' | 'TOPIC_ALIAS_INVALID' | 'RECEIVE_MAXIMUM_EXCEEDED' | 'INVALID_ARGUMENT',
    message: string,
    opts: MqttToolErrorOptions = {},
  ) {
    super(code, message, { reasonCode: opts.reasonCode ?? defaultReason(code), ...opts });
    this.name = 'CodecError';
  }
}

function defaultReason(code: string): number | undefined {
  switch (code) {
    case 'MALFORMED_PACKET':
      return 0x81;
    case 'PROTOCOL_ERROR':
      return 0x82;
    case 'RECEIVE_MAXIMUM_EXCEEDED':
      return 0x93;
    case 'TOPIC_ALIAS_INVALID':
      return 0x94;
    case 'PACKET_TOO_LARGE':
      return 0x95;
    default:
      return undefined;
  }
}

export function isToolError(e: unknown): e is MqttToolError {
  return e instanceof MqttToolError;
}
