// Reason codes as data. v5: code → id, Mosquitto's display name, and the packet
// types that may carry it. v3: CONNACK return codes with Mosquitto's texts.
import type { PacketType } from './types.js';

export interface ReasonCodeInfo {
  code: number;
  /** Stable identifier, e.g. 'NOT_AUTHORIZED'. */
  id: string;
  /** Mosquitto's mosquitto_reason_string() text, e.g. 'Not authorized'. */
  name: string;
  packets: readonly PacketType[];
}

const CONNACK = 'connack', PUBACK = 'puback', PUBREC = 'pubrec', PUBREL = 'pubrel', PUBCOMP = 'pubcomp';
const SUBACK = 'suback', UNSUBACK = 'unsuback', DISCONNECT = 'disconnect', AUTH = 'auth';
const ACKS = [PUBACK, PUBREC] as const;
const FAIL_ALL = [CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT] as const;

function rc(code: number, id: string, name: string, packets: readonly PacketType[]): ReasonCodeInfo {
  return { code, id, name, packets };
}

/** The v5 table, and what is derived from it: built on first use, since a v3 run never needs it (~0.15 ms of a start). */
interface ReasonTables {
  list: readonly ReasonCodeInfo[];
  byCode: (ReasonCodeInfo | undefined)[];
  /** Per packet type, a 256-entry lookup: is this code allowed there? */
  allowed: Map<PacketType, Uint8Array>;
}
let tables: ReasonTables | undefined;

function reasonTables(): ReasonTables {
  return (tables ??= buildTables());
}

function reasonList(): readonly ReasonCodeInfo[] {
  return [
    rc(0x00, 'SUCCESS', 'Success', [CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH]),
    rc(0x01, 'GRANTED_QOS_1', 'Granted QoS 1', [SUBACK]),
    rc(0x02, 'GRANTED_QOS_2', 'Granted QoS 2', [SUBACK]),
    rc(0x04, 'DISCONNECT_WITH_WILL_MESSAGE', 'Disconnect with Will Message', [DISCONNECT]),
    rc(0x10, 'NO_MATCHING_SUBSCRIBERS', 'No matching subscribers', ACKS),
    rc(0x11, 'NO_SUBSCRIPTION_EXISTED', 'No subscription existed', [UNSUBACK]),
    rc(0x18, 'CONTINUE_AUTHENTICATION', 'Continue authentication', [AUTH]),
    rc(0x19, 'RE_AUTHENTICATE', 'Re-authenticate', [AUTH]),
    rc(0x80, 'UNSPECIFIED_ERROR', 'Unspecified error', FAIL_ALL),
    rc(0x81, 'MALFORMED_PACKET', 'Malformed Packet', [CONNACK, DISCONNECT]),
    rc(0x82, 'PROTOCOL_ERROR', 'Protocol Error', [CONNACK, DISCONNECT]),
    rc(0x83, 'IMPLEMENTATION_SPECIFIC_ERROR', 'Implementation specific error', FAIL_ALL),
    rc(0x84, 'UNSUPPORTED_PROTOCOL_VERSION', 'Unsupported Protocol Version', [CONNACK]),
    rc(0x85, 'CLIENT_IDENTIFIER_NOT_VALID', 'Client Identifier not valid', [CONNACK]),
    rc(0x86, 'BAD_USER_NAME_OR_PASSWORD', 'Bad User Name or Password', [CONNACK]),
    rc(0x87, 'NOT_AUTHORIZED', 'Not authorized', FAIL_ALL),
    rc(0x88, 'SERVER_UNAVAILABLE', 'Server unavailable', [CONNACK]),
    rc(0x89, 'SERVER_BUSY', 'Server busy', [CONNACK, DISCONNECT]),
    rc(0x8a, 'BANNED', 'Banned', [CONNACK]),
    rc(0x8b, 'SERVER_SHUTTING_DOWN', 'Server shutting down', [DISCONNECT]),
    rc(0x8c, 'BAD_AUTHENTICATION_METHOD', 'Bad authentication method', [CONNACK, DISCONNECT]),
    rc(0x8d, 'KEEP_ALIVE_TIMEOUT', 'Keep Alive timeout', [DISCONNECT]),
    rc(0x8e, 'SESSION_TAKEN_OVER', 'Session taken over', [DISCONNECT]),
    rc(0x8f, 'TOPIC_FILTER_INVALID', 'Topic Filter invalid', [SUBACK, UNSUBACK, DISCONNECT]),
    rc(0x90, 'TOPIC_NAME_INVALID', 'Topic Name invalid', [CONNACK, PUBACK, PUBREC, DISCONNECT]),
    rc(0x91, 'PACKET_IDENTIFIER_IN_USE', 'Packet Identifier in use', [PUBACK, PUBREC, SUBACK, UNSUBACK]),
    rc(0x92, 'PACKET_IDENTIFIER_NOT_FOUND', 'Packet Identifier not found', [PUBREL, PUBCOMP]),
    rc(0x93, 'RECEIVE_MAXIMUM_EXCEEDED', 'Receive Maximum exceeded', [DISCONNECT]),
    rc(0x94, 'TOPIC_ALIAS_INVALID', 'Topic Alias invalid', [DISCONNECT]),
    rc(0x95, 'PACKET_TOO_LARGE', 'Packet too large', [CONNACK, DISCONNECT]),
    rc(0x96, 'MESSAGE_RATE_TOO_HIGH', 'Message rate too high', [DISCONNECT]),
    rc(0x97, 'QUOTA_EXCEEDED', 'Quota exceeded', [CONNACK, PUBACK, PUBREC, SUBACK, DISCONNECT]),
    rc(0x98, 'ADMINISTRATIVE_ACTION', 'Administrative action', [DISCONNECT]),
    rc(0x99, 'PAYLOAD_FORMAT_INVALID', 'Payload format invalid', [CONNACK, PUBACK, PUBREC, DISCONNECT]),
    rc(0x9a, 'RETAIN_NOT_SUPPORTED', 'Retain not supported', [CONNACK, DISCONNECT]),
    rc(0x9b, 'QOS_NOT_SUPPORTED', 'QoS not supported', [CONNACK, DISCONNECT]),
    rc(0x9c, 'USE_ANOTHER_SERVER', 'Use another server', [CONNACK, DISCONNECT]),
    rc(0x9d, 'SERVER_MOVED', 'Server moved', [CONNACK, DISCONNECT]),
    rc(0x9e, 'SHARED_SUBSCRIPTIONS_NOT_SUPPORTED', 'Shared Subscriptions not supported', [SUBACK, DISCONNECT]),
    rc(0x9f, 'CONNECTION_RATE_EXCEEDED', 'Connection rate exceeded', [CONNACK, DISCONNECT]),
    rc(0xa0, 'MAXIMUM_CONNECT_TIME', 'Maximum connect time', [DISCONNECT]),
    rc(0xa1, 'SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED', 'Subscription identifiers not supported', [SUBACK, DISCONNECT]),
    rc(0xa2, 'WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED', 'Wildcard Subscriptions not supported', [SUBACK, DISCONNECT]),
  ];
}

function buildTables(): ReasonTables {
  const list = reasonList();
  const byCode: (ReasonCodeInfo | undefined)[] = [];
  const allowed = new Map<PacketType, Uint8Array>();
  for (const r of list) {
    byCode[r.code] = r;
    for (const p of r.packets) {
      let t = allowed.get(p);
      if (!t) allowed.set(p, (t = new Uint8Array(256)));
      t[r.code] = 1;
    }
  }
  return { list, byCode, allowed };
}

/** Every v5 reason code, in code order. */
export function v5ReasonCodes(): readonly ReasonCodeInfo[] {
  return reasonTables().list;
}

export function reasonInfo(code: number): ReasonCodeInfo | undefined {
  return reasonTables().byCode[code];
}

/** Mosquitto's text for a v5 reason code ('Unknown reason' when not defined). */
export function reasonName(code: number): string {
  return reasonTables().byCode[code]?.name ?? 'Unknown reason';
}

/** Whether a v5 packet of this type may carry this reason code. */
export function isReasonCodeAllowed(packet: PacketType, code: number): boolean {
  return reasonTables().allowed.get(packet)?.[code] === 1;
}

/** v3.1/v3.1.1 CONNACK return codes with Mosquitto's mosquitto_connack_string() texts. */
export const V3_CONNACK_CODES: readonly { code: number; text: string }[] = [
  { code: 0, text: 'Connection Accepted.' },
  { code: 1, text: 'Connection Refused: unacceptable protocol version.' },
  { code: 2, text: 'Connection Refused: identifier rejected.' },
  { code: 3, text: 'Connection Refused: broker unavailable.' },
  { code: 4, text: 'Connection Refused: bad user name or password.' },
  { code: 5, text: 'Connection Refused: not authorised.' },
];

export function connackV3Text(code: number): string {
  return V3_CONNACK_CODES[code]?.text ?? 'Connection Refused: unknown reason.';
}

/** v3 SUBACK return codes: granted QoS 0-2 or 0x80 failure. */
export function isV3SubackCode(code: number): boolean {
  return code <= 2 || code === 0x80;
}
