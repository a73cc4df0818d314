// The packet union every layer speaks. Pure data: no methods, no I/O.
// Byte fields are Uint8Array (Buffer at run time); text fields are strings.

export type ProtocolVersion = 3 | 4 | 5; // 3 = MQTT 3.1 (MQIsdp), 4 = 3.1.1, 5 = 5.0
export type QoS = 0 | 1 | 2;

export type UserProperty = [name: string, value: string];

/** MQTT 5 properties, by camel-case name. Absent means not present on the wire. */
export interface Properties {
  payloadFormatIndicator?: number; // 0x01 byte
  messageExpiryInterval?: number; // 0x02 u32
  contentType?: string; // 0x03
  responseTopic?: string; // 0x08
  correlationData?: Uint8Array; // 0x09
  /** 0x0B varint; PUBLISH (server to client) may carry several, SUBSCRIBE at most one. */
  subscriptionIdentifiers?: number[];
  sessionExpiryInterval?: number; // 0x11 u32
  assignedClientIdentifier?: string; // 0x12
  serverKeepAlive?: number; // 0x13 u16
  authenticationMethod?: string; // 0x15
  authenticationData?: Uint8Array; // 0x16
  requestProblemInformation?: number; // 0x17 byte
  willDelayInterval?: number; // 0x18 u32
  requestResponseInformation?: number; // 0x19 byte
  responseInformation?: string; // 0x1A
  serverReference?: string; // 0x1C
  reasonString?: string; // 0x1F
  receiveMaximum?: number; // 0x21 u16
  topicAliasMaximum?: number; // 0x22 u16
  topicAlias?: number; // 0x23 u16
  maximumQoS?: number; // 0x24 byte
  retainAvailable?: number; // 0x25 byte
  userProperties?: UserProperty[]; // 0x26, order kept
  maximumPacketSize?: number; // 0x27 u32
  wildcardSubscriptionAvailable?: number; // 0x28 byte
  subscriptionIdentifierAvailable?: number; // 0x29 byte
  sharedSubscriptionAvailable?: number; // 0x2A byte
}

export interface Will {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties?: Properties; // v5 will properties
}

export interface ConnectPacket {
  type: 'connect';
  protocolVersion: ProtocolVersion;
  clientId: string;
  /** Clean session (v3) / clean start (v5). */
  cleanStart: boolean;
  keepalive: number;
  username?: string;
  password?: Uint8Array;
  will?: Will;
  properties?: Properties;
}

export interface ConnackPacket {
  type: 'connack';
  sessionPresent: boolean;
  /** v3 return code (0-5) or v5 reason code. */
  reasonCode: number;
  properties?: Properties;
}

export interface PublishPacket {
  type: 'publish';
  /** May be '' under v5 when properties.topicAlias names an established alias. */
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  /** Present iff qos > 0. */
  packetId?: number;
  properties?: Properties;
}

export type AckType = 'puback' | 'pubrec' | 'pubrel' | 'pubcomp';

export interface AckPacket<T extends AckType = AckType> {
  type: T;
  packetId: number;
  /** v5 only; 0 (success) when absent on the wire and always 0 under v3. */
  reasonCode: number;
  properties?: Properties;
}
export type PubackPacket = AckPacket<'puback'>;
export type PubrecPacket = AckPacket<'pubrec'>;
export type PubrelPacket = AckPacket<'pubrel'>;
export type PubcompPacket = AckPacket<'pubcomp'>;

export interface Subscription {
  topicFilter: string;
  qos: QoS;
  // v5 subscription options; false/0 when absent
  noLocal?: boolean;
  retainAsPublished?: boolean;
  retainHandling?: 0 | 1 | 2;
}

export interface SubscribePacket {
  type: 'subscribe';
  packetId: number;
  subscriptions: Subscription[];
  properties?: Properties;
}

export interface SubackPacket {
  type: 'suback';
  packetId: number;
  /** Granted QoS (0-2) or failure (0x80, or a v5 reason code >= 0x80), one per filter. */
  reasonCodes: number[];
  properties?: Properties;
}

export interface UnsubscribePacket {
  type: 'unsubscribe';
  packetId: number;
  topicFilters: string[];
  properties?: Properties;
}

export interface UnsubackPacket {
  type: 'unsuback';
  packetId: number;
  /** v5 only (one per filter); [] under v3. */
  reasonCodes: number[];
  properties?: Properties;
}

export interface PingreqPacket {
  type: 'pingreq';
}
export interface PingrespPacket {
  type: 'pingresp';
}

export interface DisconnectPacket {
  type: 'disconnect';
  /** v5 reason code; 0 when absent and always 0 under v3. */
  reasonCode: number;
  properties?: Properties;
}

export interface AuthPacket {
  type: 'auth';
  reasonCode: number;
  properties?: Properties;
}

export type Packet =
  | ConnectPacket
  | ConnackPacket
  | PublishPacket
  | PubackPacket
  | PubrecPacket
  | PubrelPacket
  | PubcompPacket
  | SubscribePacket
  | SubackPacket
  | UnsubscribePacket
  | UnsubackPacket
  | PingreqPacket
  | PingrespPacket
  | DisconnectPacket
  | AuthPacket;

export type PacketType = Packet['type'];

/** Control packet type numbers (fixed header high nibble). */
export const PACKET_TYPE_IDS: Record<PacketType, number> = {
  connect: 1,
  connack: 2,
  publish: 3,
  puback: 4,
  pubrec: 5,
  pubrel: 6,
  pubcomp: 7,
  subscribe: 8,
  suback: 9,
  unsubscribe: 10,
  unsuback: 11,
  pingreq: 12,
  pingresp: 13,
  disconnect: 14,
  auth: 15,
};

export interface DecodeOptions {
  /** Refuse (PACKET_TOO_LARGE) any packet whose total size exceeds this, judged from the fixed header. */
  maximumPacketSize?: number;
}
