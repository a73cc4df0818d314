// The one table that turns errors into exit statuses. Where mosquitto's tools
// define a status we use theirs (libmosquitto error numbers, CONNACK codes,
// 27 for -W); statuses 40+ are ours and documented in the man pages.
import type { ErrorCode, MqttToolError } from '../../errors.js';

export const EXIT = {
  OK: 0,
  USAGE: 1, // also mosquitto's status for --help/--version and connect failures
  PROTOCOL: 2, // libmosquitto MOSQ_ERR_PROTOCOL: the broker broke the protocol
  CONN_LOST: 7, // MOSQ_ERR_CONN_LOST
  TLS: 8, // MOSQ_ERR_TLS
  NOT_SUPPORTED: 10, // MOSQ_ERR_NOT_SUPPORTED
  PROXY: 16, // MOSQ_ERR_PROXY
  KEEPALIVE: 19, // MOSQ_ERR_KEEPALIVE
  QOS_NOT_SUPPORTED: 24,
  OVERSIZE_PACKET: 25,
  TIMEOUT: 27, // mosquitto_sub/rr -W
  RETAIN_NOT_SUPPORTED: 28,
  TOPIC_ALIAS_INVALID: 29,
  PUBLISH_REJECTED: 40, // ours: a PUBACK/PUBREC reason >= 0x80
  PUBLISH_UNCONFIRMED: 41, // ours: link lost with messages unconfirmed
  SPOOL_DAMAGED: 42, // ours: mqtt-pub --spool journal damaged, messages unreadable
  SUBSCRIBE_REJECTED: 42, // ours: mqtt-rr's response-topic subscription refused
  INTERRUPTED: 255, // signal before CONNACK, as mosquitto_sub
} as const;

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  USAGE: EXIT.USAGE,
  IO_ERROR: EXIT.USAGE,
  INVALID_INPUT: EXIT.USAGE,
  SETUP_FAILED: EXIT.USAGE,
  INVALID_ARGUMENT: EXIT.USAGE,
  CONNECT_FAILED: EXIT.USAGE,
  CONNECT_TIMEOUT: EXIT.USAGE,
  TLS_ERROR: EXIT.TLS,
  PROXY_ERROR: EXIT.PROXY,
  CONNECTION_LOST: EXIT.CONN_LOST,
  SERVER_DISCONNECT: EXIT.CONN_LOST,
  KEEPALIVE_TIMEOUT: EXIT.KEEPALIVE,
  MALFORMED_PACKET: EXIT.PROTOCOL,
  PROTOCOL_ERROR: EXIT.PROTOCOL,
  RECEIVE_MAXIMUM_EXCEEDED: EXIT.PROTOCOL,
  TOPIC_ALIAS_INVALID: EXIT.PROTOCOL,
  PACKET_TOO_LARGE: EXIT.OVERSIZE_PACKET,
  NOT_SUPPORTED: EXIT.NOT_SUPPORTED,
  PUBLISH_REJECTED: EXIT.PUBLISH_REJECTED,
  PUBLISH_UNCONFIRMED: EXIT.PUBLISH_UNCONFIRMED,
  SPOOL_DAMAGED: EXIT.SPOOL_DAMAGED,
  SUBSCRIBE_REJECTED: EXIT.SUBSCRIBE_REJECTED,
  CLIENT_CLOSED: EXIT.CONN_LOST,
  TIMEOUT: EXIT.TIMEOUT,
  INTERRUPTED: EXIT.INTERRUPTED,
  // mqtt-passwd (mosquitto_passwd: 1 for errors, 2 for a prompt mismatch)
  PASSWORD_MISMATCH: 2,
  PASSWORD_FILE_CORRUPT: 1,
  PASSWORD_FILE_LOCKED: 1,
  USER_NOT_FOUND: 1,
  CHECK_FAILED: 1,
  UNSUPPORTED_HASH: 1,
};

export function exitCodeFor(err: MqttToolError): number {
  // CONNACK refusals exit with the broker's code, exactly as mosquitto_pub/sub.
  if (err.code === 'CONNECTION_REFUSED') return err.reasonCode && err.reasonCode > 0 ? err.reasonCode : EXIT.USAGE;
  // Locally refused requests that map to a specific libmosquitto number.
  if (err.code === 'NOT_SUPPORTED' && err.reasonCode === 0x9b) return EXIT.QOS_NOT_SUPPORTED;
  if (err.code === 'NOT_SUPPORTED' && err.reasonCode === 0x9a) return EXIT.RETAIN_NOT_SUPPORTED;
  return BY_CODE[err.code] ?? EXIT.USAGE;
}
