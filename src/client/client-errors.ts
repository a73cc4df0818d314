// Error constructors for the client, so every failure carries a stable code,
// the MQTT reason code and the broker's reason string in one place.
import { MqttToolError } from '../errors.js';
import { connackV3Text, reasonName } from '../codec/reason-codes.js';
import type { ConnackPacket, DisconnectPacket, ProtocolVersion } from '../codec/types.js';

function withReason(text: string, reasonString: string | undefined): string {
  return reasonString ? `${text}: ${reasonString}` : text;
}

export function connectionRefused(p: ConnackPacket, version: ProtocolVersion): MqttToolError {
  const reasonString = p.properties?.reasonString;
  const text = version === 5 ? reasonName(p.reasonCode) : connackV3Text(p.reasonCode);
  return new MqttToolError('CONNECTION_REFUSED', withReason(text, reasonString), {
    reasonCode: p.reasonCode,
    ...(reasonString !== undefined ? { reasonString } : {}),
  });
}

export function serverDisconnect(p: DisconnectPacket): MqttToolError {
  const reasonString = p.properties?.reasonString;
  return new MqttToolError('SERVER_DISCONNECT', withReason(`broker sent DISCONNECT: ${reasonName(p.reasonCode)}`, reasonString), {
    reasonCode: p.reasonCode,
    ...(reasonString !== undefined ? { reasonString } : {}),
  });
}

export function protocolViolation(detail: string, reasonCode = 0x82): MqttToolError {
  return new MqttToolError('PROTOCOL_ERROR', `protocol error: ${detail}`, { reasonCode });
}

/** The peer's first bytes are not a CONNACK: say what they look like instead. */
export function notMqtt(chunk: Uint8Array): MqttToolError {
  const head = Buffer.from(chunk.subarray(0, 8));
  const looksLike = head.toString('latin1').startsWith('HTTP/')
    ? ' (an HTTP response: is this a WebSocket or web port?)'
    : head[0] === 0x15 || head[0] === 0x16
      ? ' (a TLS record: does this port need TLS?)'
      : '';
  return new MqttToolError('PROTOCOL_ERROR', `protocol error: the server did not answer with CONNACK but with bytes ${head.toString('hex')}${looksLike}`, {
    reasonCode: 0x82,
  });
}

export function notSupported(detail: string, reasonCode: number): MqttToolError {
  return new MqttToolError('NOT_SUPPORTED', detail, { reasonCode });
}

export function tooLarge(what: string, size: number, limit: number): MqttToolError {
  return new MqttToolError('PACKET_TOO_LARGE', `${what} of ${size} bytes exceeds the broker's maximum packet size (${limit})`, {
    reasonCode: 0x95,
  });
}

export function connectionLost(detail: string, cause?: unknown): MqttToolError {
  return new MqttToolError('CONNECTION_LOST', `connection lost: ${detail}`, cause === undefined ? {} : { cause });
}

export function unconfirmed(count: number, cause: Error | undefined): MqttToolError {
  const why = cause ? ` (${cause.message})` : '';
  return new MqttToolError('PUBLISH_UNCONFIRMED', `${count} message(s) not confirmed by the broker${why}`, {
    count,
    ...(cause ? { cause } : {}),
  });
}

export function clientClosed(cause?: Error): MqttToolError {
  return new MqttToolError('CLIENT_CLOSED', cause ? `client is closed: ${cause.message}` : 'client is closed', cause ? { cause } : {});
}

/** Anything thrown at us (codec, handler, stream) as a MqttToolError, keeping tool errors as they are. */
export function asToolError(e: unknown): MqttToolError {
  if (e instanceof MqttToolError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  return new MqttToolError('INVALID_ARGUMENT', err.message, { cause: err });
}

/** Errors after which reconnecting cannot help (the broker or we broke the protocol, or it refused us for good). */
const PERMANENT_REFUSALS = new Set([1, 2, 4, 5, 0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c]);
const RETRYABLE_DISCONNECTS = new Set([0x80, 0x89, 0x8b, 0x8d, 0x97, 0x98, 0x9c, 0x9d, 0x9f]);

export function isRetryable(e: Error): boolean {
  if (!(e instanceof MqttToolError)) return false;
  switch (e.code) {
    case 'CONNECT_FAILED':
    case 'CONNECT_TIMEOUT':
    case 'CONNECTION_LOST':
    case 'KEEPALIVE_TIMEOUT':
    case 'PROXY_ERROR':
      return true;
    case 'CONNECTION_REFUSED':
      return !PERMANENT_REFUSALS.has(e.reasonCode ?? 0);
    case 'SERVER_DISCONNECT':
      return RETRYABLE_DISCONNECTS.has(e.reasonCode ?? 0);
    default:
      return false;
  }
}

/** Errors that mean the broker broke the protocol: under v5 we say so in a DISCONNECT first. */
const PROTOCOL_CODES = new Set(['MALFORMED_PACKET', 'PROTOCOL_ERROR', 'TOPIC_ALIAS_INVALID', 'RECEIVE_MAXIMUM_EXCEEDED', 'PACKET_TOO_LARGE']);

/** The DISCONNECT reason to send before closing over `err`, if any. */
export function protocolReason(err: MqttToolError): number | undefined {
  return PROTOCOL_CODES.has(err.code) ? err.reasonCode : undefined;
}
