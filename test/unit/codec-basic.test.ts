// Hand-written byte vectors per protocol version: decode, encode and round
// trip, plus the framing and validation rules the rest of the suite relies on.
// (The exhaustive vector, fuzz, differential and malformed suites live apart.)
import { describe, it, expect } from 'vitest';
import {
  encodePacket,
  decodePacket,
  packetSize,
  FrameDecoder,
  parseFrame,
  decodeVbi,
  writeVbi,
  vbiSize,
  MAX_VBI,
  reasonName,
  connackV3Text,
  validateTopicName,
  validateTopicFilter,
  isValidMqttString,
  hasDiscouragedCodePoints,
  topicMatches,
  type Packet,
  type ProtocolVersion,
  type DecodeFailure,
} from '../../src/codec/index.js';
import { CodecError } from '../../src/errors.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string) => Buffer.from(s).toString('hex');

interface Vector {
  name: string;
  version: ProtocolVersion;
  packet: Packet;
  bytes: string;
}

const vectors: Vector[] = [
  {
    name: 'v3.1 CONNECT (MQIsdp)',
    version: 3,
    packet: { type: 'connect', protocolVersion: 3, clientId: 'id', cleanStart: true, keepalive: 60 },
    bytes: `10 10 0006 ${ascii('MQIsdp')} 03 02 003c 0002 ${ascii('id')}`,
  },
  {
    name: 'v3.1.1 CONNECT with will, username, password',
    version: 4,
    packet: {
      type: 'connect', protocolVersion: 4, clientId: 'c', cleanStart: false, keepalive: 10,
      username: 'u', password: Buffer.from('pw'),
      will: { topic: 't', payload: Buffer.from('bye'), qos: 1, retain: true },
    },
    bytes: `10 1c 0004 ${ascii('MQTT')} 04 ec 000a 0001 63 0001 74 0003 ${ascii('bye')} 0001 75 0002 ${ascii('pw')}`,
  },
  {
    name: 'v5 CONNECT with properties and will properties',
    version: 5,
    packet: {
      type: 'connect', protocolVersion: 5, clientId: '', cleanStart: true, keepalive: 0,
      properties: { sessionExpiryInterval: 3600, receiveMaximum: 20 },
      will: { topic: 't', payload: Buffer.alloc(0), qos: 0, retain: false, properties: { willDelayInterval: 1 } },
    },
    bytes: `10 20 0004 ${ascii('MQTT')} 05 06 0000 08 11 00000e10 21 0014 0000 05 18 00000001 0001 74 0000`,
  },
  { name: 'v3.1.1 CONNACK refused 5', version: 4, packet: { type: 'connack', sessionPresent: false, reasonCode: 5 }, bytes: '20 02 00 05' },
  {
    name: 'v5 CONNACK with session present and properties',
    version: 5,
    packet: { type: 'connack', sessionPresent: true, reasonCode: 0, properties: { topicAliasMaximum: 10, maximumQoS: 1 } },
    bytes: '20 08 01 00 05 22 000a 24 01',
  },
  {
    name: 'v3.1.1 PUBLISH QoS 0 retained',
    version: 4,
    packet: { type: 'publish', topic: 'a/b', payload: Buffer.from('hi'), qos: 0, retain: true, dup: false },
    bytes: `31 07 0003 ${ascii('a/b')} ${ascii('hi')}`,
  },
  {
    name: 'v3.1 PUBLISH QoS 2 dup',
    version: 3,
    packet: { type: 'publish', topic: 't', payload: Buffer.from([0, 255]), qos: 2, retain: false, dup: true, packetId: 0x1234 },
    bytes: '3c 07 0001 74 1234 00ff',
  },
  {
    name: 'v5 PUBLISH QoS 1 with properties (several subscription ids, user properties in order)',
    version: 5,
    packet: {
      type: 'publish', topic: 't', payload: Buffer.from('x'), qos: 1, retain: false, dup: false, packetId: 1,
      properties: { subscriptionIdentifiers: [1, 128], userProperties: [['k', 'v'], ['k', 'w']], correlationData: Buffer.from([1, 2]) },
    },
    bytes: `32 1f 0001 74 0001 18 0b 01 0b 8001 26 0001 6b 0001 76 26 0001 6b 0001 77 09 0002 0102 78`,
  },
  {
    name: 'v5 PUBLISH with topic alias and empty topic',
    version: 5,
    packet: { type: 'publish', topic: '', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false, properties: { topicAlias: 3 } },
    bytes: '30 06 0000 03 23 0003',
  },
  { name: 'v3.1.1 PUBACK', version: 4, packet: { type: 'puback', packetId: 7, reasonCode: 0 }, bytes: '40 02 0007' },
  { name: 'v5 PUBACK success short form', version: 5, packet: { type: 'puback', packetId: 7, reasonCode: 0 }, bytes: '40 02 0007' },
  { name: 'v5 PUBREC reason only', version: 5, packet: { type: 'pubrec', packetId: 7, reasonCode: 0x10 }, bytes: '50 03 0007 10' },
  {
    name: 'v5 PUBREL with reason string',
    version: 5,
    packet: { type: 'pubrel', packetId: 1, reasonCode: 0x92, properties: { reasonString: 'no' } },
    bytes: '62 09 0001 92 05 1f 0002 6e6f',
  },
  { name: 'v3.1.1 PUBCOMP', version: 4, packet: { type: 'pubcomp', packetId: 65535, reasonCode: 0 }, bytes: '70 02 ffff' },
  {
    name: 'v3.1.1 SUBSCRIBE',
    version: 4,
    packet: { type: 'subscribe', packetId: 2, subscriptions: [{ topicFilter: 'a/+', qos: 1 }, { topicFilter: '#', qos: 2 }] },
    bytes: '82 0c 0002 0003 612f2b 01 0001 23 02',
  },
  {
    name: 'v5 SUBSCRIBE with options and subscription id',
    version: 5,
    packet: {
      type: 'subscribe', packetId: 2, properties: { subscriptionIdentifiers: [9] },
      subscriptions: [{ topicFilter: '$share/g/x', qos: 1, noLocal: false, retainAsPublished: true, retainHandling: 2 }],
    },
    bytes: `82 12 0002 02 0b 09 000a ${ascii('$share/g/x')} 29`,
  },
  { name: 'v3.1.1 SUBACK', version: 4, packet: { type: 'suback', packetId: 2, reasonCodes: [1, 0x80] }, bytes: '90 04 0002 01 80' },
  { name: 'v5 SUBACK', version: 5, packet: { type: 'suback', packetId: 2, reasonCodes: [0, 0x87] }, bytes: '90 05 0002 00 00 87' },
  {
    name: 'v3.1.1 UNSUBSCRIBE',
    version: 4,
    packet: { type: 'unsubscribe', packetId: 3, topicFilters: ['a', 'b/#'] },
    bytes: 'a2 0a 0003 0001 61 0003 622f23',
  },
  { name: 'v5 UNSUBSCRIBE', version: 5, packet: { type: 'unsubscribe', packetId: 3, topicFilters: ['a'] }, bytes: 'a2 06 0003 00 0001 61' },
  { name: 'v3.1.1 UNSUBACK', version: 4, packet: { type: 'unsuback', packetId: 3, reasonCodes: [] }, bytes: 'b0 02 0003' },
  { name: 'v5 UNSUBACK', version: 5, packet: { type: 'unsuback', packetId: 3, reasonCodes: [0, 0x11] }, bytes: 'b0 05 0003 00 00 11' },
  { name: 'PINGREQ', version: 4, packet: { type: 'pingreq' }, bytes: 'c0 00' },
  { name: 'PINGRESP', version: 5, packet: { type: 'pingresp' }, bytes: 'd0 00' },
  { name: 'v3.1.1 DISCONNECT', version: 4, packet: { type: 'disconnect', reasonCode: 0 }, bytes: 'e0 00' },
  { name: 'v5 DISCONNECT normal short form', version: 5, packet: { type: 'disconnect', reasonCode: 0 }, bytes: 'e0 00' },
  { name: 'v5 DISCONNECT reason only', version: 5, packet: { type: 'disconnect', reasonCode: 0x8e }, bytes: 'e0 01 8e' },
  {
    name: 'v5 DISCONNECT with properties',
    version: 5,
    packet: { type: 'disconnect', reasonCode: 0x9c, properties: { serverReference: 's' } },
    bytes: 'e0 06 9c 04 1c 0001 73',
  },
  { name: 'v5 AUTH success short form', version: 5, packet: { type: 'auth', reasonCode: 0 }, bytes: 'f0 00' },
  {
    name: 'v5 AUTH continue',
    version: 5,
    packet: { type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'M', authenticationData: Buffer.from([7]) } },
    bytes: 'f0 0a 18 08 15 0001 4d 16 0001 07',
  },
];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CodecError);
    expect((e as Error).message).not.toContain('\n');
    return (e as CodecError).code;
  }
  return undefined;
}

describe('codec byte vectors', () => {
  for (const v of vectors) {
    it(`${v.name}: encode, decode, size, stream`, () => {
      const bytes = hex(v.bytes);
      expect(encodePacket(v.packet, v.version).toString('hex')).toBe(bytes.toString('hex'));
      expect(decodePacket(bytes, v.version)).toEqual(v.packet);
      expect(packetSize(v.packet, v.version)).toBe(bytes.length);
      const dec = new FrameDecoder({ version: v.version });
      const out: Packet[] = [];
      for (const b of bytes) out.push(...dec.push(Uint8Array.of(b)));
      expect(out).toEqual([v.packet]);
    });
  }
});

describe('framing', () => {
  it('splits a stream at every offset into the same packets', () => {
    const stream = Buffer.concat(vectors.filter((v) => v.version === 5).map((v) => hex(v.bytes)));
    const expected = vectors.filter((v) => v.version === 5).map((v) => v.packet);
    for (let cut = 0; cut <= stream.length; cut++) {
      const dec = new FrameDecoder({ version: 5 });
      const out = [...dec.push(stream.subarray(0, cut)), ...dec.push(stream.subarray(cut))];
      expect(out).toEqual(expected);
    }
  });

  it('rejects a 5-byte remaining length after at most 5 header bytes', () => {
    expect(codeOf(() => new FrameDecoder({ version: 4 }).push(hex('30 ff ff ff ff 7f')))).toBe('MALFORMED_PACKET');
    expect(codeOf(() => parseFrame(hex('30 ff ff ff ff'), 0, 5))).toBe('MALFORMED_PACKET');
  });

  it('decodes and encodes every VBI boundary through the one varint pair', () => {
    for (const n of [0, 127, 128, 16383, 16384, 2097151, 2097152, MAX_VBI]) {
      const buf = Buffer.alloc(5, 0xee);
      const end = writeVbi(buf, 1, n);
      expect(end - 1).toBe(vbiSize(n));
      expect(decodeVbi(buf, 1, end, 'x')).toBe(n);
      expect(decodeVbi(buf, 1, end - 1, 'x')).toBe(-1); // one byte short: need more
    }
    expect(codeOf(() => decodeVbi(hex('80 00'), 0, 2, 'x'))).toBe('MALFORMED_PACKET');
    expect(codeOf(() => decodeVbi(hex('ff ff ff ff 01'), 0, 5, 'x'))).toBe('MALFORMED_PACKET');
  });

  it('rejects non-minimal remaining lengths', () => {
    expect(codeOf(() => decodePacket(hex('c0 80 00'), 4))).toBe('MALFORMED_PACKET');
    expect(codeOf(() => decodePacket(hex('c0 ff 80 80 00'), 4))).toBe('MALFORMED_PACKET');
  });

  it('refuses an oversize packet from its header alone, before the body arrives', () => {
    const dec = new FrameDecoder({ version: 5, maximumPacketSize: 1024 });
    expect(codeOf(() => dec.push(hex('30 ff ff ff 7f 00 01 74')))).toBe('PACKET_TOO_LARGE');
    // stays failed
    expect(codeOf(() => dec.push(hex('c0 00')))).toBe('PACKET_TOO_LARGE');
  });

  it('hands over the good packets that preceded a bad frame, at any split', () => {
    const stream = hex('c0 00 d0 00 38 03 0001 74'); // PINGREQ, PINGRESP, then QoS 0 with DUP
    for (let cut = 0; cut <= stream.length; cut++) {
      const dec = new FrameDecoder({ version: 4 });
      const got: Packet[] = [];
      let code: string | undefined;
      for (const part of [stream.subarray(0, cut), stream.subarray(cut)]) {
        try {
          got.push(...dec.push(part));
        } catch (e) {
          got.push(...((e as DecodeFailure).packets ?? []));
          code = (e as CodecError).code;
          break;
        }
      }
      expect(got).toEqual([{ type: 'pingreq' }, { type: 'pingresp' }]);
      expect(code).toBe('MALFORMED_PACKET');
      const again = (() => { try { dec.push(hex('c0 00')); } catch (e) { return e as DecodeFailure; } })();
      expect(again?.code).toBe('MALFORMED_PACKET');
      expect(again?.packets).toBeUndefined();
    }
  });

  it('decodePacket honours maximumPacketSize too', () => {
    expect(codeOf(() => decodePacket(hex('30 05 0001 74 6869'), 4, { maximumPacketSize: 6 }))).toBe('PACKET_TOO_LARGE');
    expect(decodePacket(hex('30 05 0001 74 6869'), 4, { maximumPacketSize: 7 })).toMatchObject({ topic: 't' });
  });

  it('reports how many bytes a partial frame still needs', () => {
    expect(parseFrame(hex('30 05 00 01'), 0, 4)).toEqual({ needMore: 3 });
    expect(parseFrame(hex('30 85'), 0, 2)).toEqual({ needMore: 1 });
    expect(parseFrame(hex('30 02 00 00'), 0, 4)).toEqual({ type: 3, flags: 0, remainingLength: 2, headerLength: 2 });
  });
});

describe('MQTT 3.1 CONNACK', () => {
  it('ignores the unused first byte (3.1 has no session present flag)', () => {
    expect(decodePacket(hex('20 02 01 00'), 3)).toEqual({ type: 'connack', sessionPresent: false, reasonCode: 0 });
    expect(decodePacket(hex('20 02 ff 05'), 3)).toEqual({ type: 'connack', sessionPresent: false, reasonCode: 5 });
    expect(() => encodePacket({ type: 'connack', sessionPresent: true, reasonCode: 0 }, 3)).toThrow(/no session present/);
  });
});

describe('decode rejects', () => {
  const cases: [string, ProtocolVersion, string, string][] = [
    ['PUBLISH QoS 3', 4, '36 05 0001 74 0001', 'MALFORMED_PACKET'],
    ['PUBLISH QoS 0 with DUP', 4, '38 03 0001 74', 'MALFORMED_PACKET'],
    ['PUBLISH QoS 1 packet id 0', 4, '32 05 0001 74 0000', 'PROTOCOL_ERROR'],
    ['PUBLISH topic length past the end', 4, '30 03 0005 74', 'MALFORMED_PACKET'],
    ['PUBLISH topic with U+0000', 4, '30 03 0001 00', 'MALFORMED_PACKET'],
    ['PUBLISH topic with a surrogate (ED A0 80)', 4, '30 05 0003 eda080', 'MALFORMED_PACKET'],
    ['PUBLISH topic overlong C0 80', 4, '30 04 0002 c080', 'MALFORMED_PACKET'],
    ['PUBLISH topic with wildcard', 4, '30 03 0001 23', 'MALFORMED_PACKET'],
    ['v5 PUBLISH empty topic without alias', 5, '30 03 0000 00', 'PROTOCOL_ERROR'],
    ['v5 PUBLISH duplicate content type', 5, '30 0c 0001 74 08 03 0001 61 03 0001 61', 'PROTOCOL_ERROR'],
    ['v5 PUBLISH topic alias 0', 5, '30 07 0001 74 03 23 0000', 'TOPIC_ALIAS_INVALID'],
    ['v5 PUBLISH property not allowed (session expiry)', 5, '30 09 0001 74 05 11 00000001', 'PROTOCOL_ERROR'],
    ['v5 PUBLISH unknown property 0x04', 5, '30 06 0001 74 02 04 01', 'MALFORMED_PACKET'],
    ['v5 PUBLISH property length past the end', 5, '30 04 0001 74 05', 'MALFORMED_PACKET'],
    ['PUBACK wrong flags', 4, '41 02 0001', 'MALFORMED_PACKET'],
    ['PUBREL flags 0000', 4, '60 02 0001', 'MALFORMED_PACKET'],
    ['v3.1.1 PUBACK trailing byte', 4, '40 03 0001 00', 'MALFORMED_PACKET'],
    ['v5 PUBACK trailing byte after properties', 5, '40 05 0001 00 00 00', 'MALFORMED_PACKET'],
    ['v5 PUBACK reason not allowed', 5, '40 03 0001 81', 'PROTOCOL_ERROR'],
    ['CONNACK v3 code 6', 4, '20 02 00 06', 'PROTOCOL_ERROR'],
    ['CONNACK reserved flag bits', 4, '20 02 02 00', 'MALFORMED_PACKET'],
    ['CONNACK session present with refusal', 4, '20 02 01 05', 'PROTOCOL_ERROR'],
    ['v5 CONNACK reason 0x01', 5, '20 03 00 01 00', 'PROTOCOL_ERROR'],
    ['v5 CONNACK receive maximum 0', 5, '20 06 00 00 03 21 0000', 'PROTOCOL_ERROR'],
    ['SUBSCRIBE no subscriptions', 4, '82 02 0001', 'PROTOCOL_ERROR'],
    ['v3.1.1 SUBSCRIBE QoS byte upper bits', 4, '82 06 0001 0001 61 04', 'MALFORMED_PACKET'],
    ['v5 SUBSCRIBE retain handling 3', 5, '82 07 0001 00 0001 61 30', 'MALFORMED_PACKET'],
    ['v5 SUBSCRIBE no local on shared', 5, `82 10 0001 00 000a ${ascii('$share/g/x')} 04`, 'PROTOCOL_ERROR'],
    ['v5 SUBSCRIBE two subscription ids', 5, '82 0b 0001 04 0b 01 0b 02 0001 61 00', 'PROTOCOL_ERROR'],
    ['v5 SUBSCRIBE subscription id 0', 5, '82 09 0001 02 0b 00 0001 61 00', 'PROTOCOL_ERROR'],
    ['SUBSCRIBE bad filter', 4, '82 07 0001 0002 612b 00', 'MALFORMED_PACKET'],
    ['SUBACK no codes', 4, '90 02 0001', 'PROTOCOL_ERROR'],
    ['SUBACK code 3', 4, '90 03 0001 03', 'PROTOCOL_ERROR'],
    ['v5 SUBACK code 0x10', 5, '90 04 0001 00 10', 'PROTOCOL_ERROR'],
    ['UNSUBSCRIBE no filters', 4, 'a2 02 0001', 'PROTOCOL_ERROR'],
    ['v3.1.1 UNSUBACK with codes', 4, 'b0 03 0001 00', 'MALFORMED_PACKET'],
    ['PINGREQ with a body', 4, 'c0 01 00', 'MALFORMED_PACKET'],
    ['v5 DISCONNECT reason 0x10', 5, 'e0 01 10', 'PROTOCOL_ERROR'],
    ['AUTH under v3.1.1', 4, 'f0 00', 'MALFORMED_PACKET'],
    ['packet type 0', 4, '00 00', 'MALFORMED_PACKET'],
    ['CONNECT reserved flag', 4, `10 0c 0004 ${ascii('MQTT')} 04 01 003c 0000`, 'MALFORMED_PACKET'],
    ['CONNECT will QoS without will', 4, `10 0c 0004 ${ascii('MQTT')} 04 0a 003c 0000`, 'PROTOCOL_ERROR'],
    ['CONNECT v3.1.1 password without username', 4, `10 0f 0004 ${ascii('MQTT')} 04 42 003c 0000 0001 70`, 'PROTOCOL_ERROR'],
    ['CONNECT name/level mismatch', 4, `10 0c 0004 ${ascii('MQTT')} 03 02 003c 0000`, 'PROTOCOL_ERROR'],
    ['frame with trailing bytes', 4, 'c0 00 00', 'MALFORMED_PACKET'],
  ];
  for (const [name, version, bytes, code] of cases) {
    it(name, () => expect(codeOf(() => decodePacket(hex(bytes), version))).toBe(code));
  }

  it('keeps a BOM and accepts 4-byte UTF-8 (U+2A6D4)', () => {
    const p = decodePacket(hex('30 0a 0007 efbbbf f0aa9b94 78'), 4);
    expect(p).toMatchObject({ topic: '\uFEFF\u{2A6D4}', payload: Buffer.from('x') });
  });

  it('v5 CONNECT password without username is allowed', () => {
    const p = decodePacket(hex(`10 10 0004 ${ascii('MQTT')} 05 42 003c 00 0000 0001 70`), 5);
    expect(p).toMatchObject({ type: 'connect', protocolVersion: 5, password: Buffer.from('p') });
  });
});

describe('encode rejects (INVALID_ARGUMENT)', () => {
  const pub = { type: 'publish', topic: 't', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false } as const;
  const cases: [string, ProtocolVersion, unknown][] = [
    ['wildcard topic', 4, { ...pub, topic: 'a/+' }],
    ['empty topic without alias', 5, { ...pub, topic: '' }],
    ['QoS 3', 4, { ...pub, qos: 3 }],
    ['DUP on QoS 0', 4, { ...pub, dup: true }],
    ['QoS 1 without packet id', 4, { ...pub, qos: 1 }],
    ['lone surrogate', 4, { ...pub, topic: 'a\uD800' }],
    ['U+0000', 4, { ...pub, topic: 'a\u0000' }],
    ['properties under v3.1.1', 4, { ...pub, properties: { contentType: 'x' } }],
    ['property not allowed on PUBLISH', 5, { ...pub, properties: { sessionExpiryInterval: 1 } }],
    ['topic alias 0', 5, { ...pub, properties: { topicAlias: 0 } }],
    ['topic longer than 65535 bytes', 4, { ...pub, topic: 'a'.repeat(65536) }],
    ['SUBSCRIBE with no subscriptions', 4, { type: 'subscribe', packetId: 1, subscriptions: [] }],
    ['SUBSCRIBE bad filter', 4, { type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a/#/b', qos: 0 }] }],
    ['v3.1.1 password without username', 4, { type: 'connect', protocolVersion: 4, clientId: '', cleanStart: true, keepalive: 0, password: Buffer.from('x') }],
    ['v5 PUBACK reason not allowed', 5, { type: 'puback', packetId: 1, reasonCode: 0x81 }],
  ];
  for (const [name, version, packet] of cases) {
    it(name, () => expect(codeOf(() => encodePacket(packet as Packet, version))).toBe('INVALID_ARGUMENT'));
  }
});

describe('topics and strings', () => {
  it('accepts and rejects filters per the spec', () => {
    for (const ok of ['#', '+', 'a//b', '/', '+/+/#', 'a/+/c', '$share/g/a/#', '$SYS/#']) expect(() => validateTopicFilter(ok)).not.toThrow();
    for (const bad of ['', 'a#', 'a/#/b', 'a+', '+a', '$share//a', '$share/g', '$share/g/', '$share/g+/a']) {
      expect(codeOf(() => validateTopicFilter(bad))).toBe('INVALID_ARGUMENT');
    }
    expect(() => validateTopicName('a//b')).not.toThrow();
    expect(codeOf(() => validateTopicName(''))).toBe('INVALID_ARGUMENT');
  });

  it('handles 65,535-byte topics and 65,400 slashes', () => {
    validateTopicName('a'.repeat(65535));
    validateTopicFilter('/'.repeat(65400) + '#');
    validateTopicFilter('+/'.repeat(30000) + '#');
    expect(isValidMqttString('x'.repeat(65536))).toBe(false);
  });

  it('flags control characters and non-characters without refusing them', () => {
    for (const s of ['a\u0001', '\u007f', '\u009f', '\ufdd0', '\uffff', '\u{1fffe}']) expect(hasDiscouragedCodePoints(s)).toBe(true);
    for (const s of ['plain/topic', '\ufeff', '\u{2a6d4}', '\u00a0', '']) expect(hasDiscouragedCodePoints(s)).toBe(false);
    expect(isValidMqttString('a\u0001')).toBe(true);
  });

  it('names reason codes as Mosquitto does', () => {
    expect(reasonName(0x87)).toBe('Not authorized');
    expect(reasonName(0x81)).toBe('Malformed Packet');
    expect(reasonName(0x10)).toBe('No matching subscribers');
    expect(reasonName(0xa1)).toBe('Subscription identifiers not supported');
    expect(reasonName(0x03)).toBe('Unknown reason');
    expect(connackV3Text(5)).toBe('Connection Refused: not authorised.');
    expect(connackV3Text(9)).toBe('Connection Refused: unknown reason.');
  });
});

describe('topicMatches', () => {
  it.each([
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['+/+', '/x', true],
    ['#', '$SYS/x', false],
    ['+/x', '$SYS/x', false],
    ['$SYS/#', '$SYS/x', true],
    ['a', 'a/b', false],
    ['a/b', 'a/b', true],
    ['$share/g/a/+', 'a/b', true],
  ])('%s ~ %s = %s', (f, t, want) => {
    expect(topicMatches(f, t)).toBe(want);
  });
});
