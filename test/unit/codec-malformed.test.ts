// The malformed-input table (test plan C1-C5, C8, C9, C13; properties C6/C7 are in
// codec-properties.test.ts). Every rejection is asserted by error.code and
// error.reasonCode, never by message text. Inputs are built with
// test/helpers/mqtt-bytes.ts, independently of our encoder.
import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, FrameDecoder } from '../../src/codec/index.js';
import { isValidMqttString, validateTopicFilter, validateTopicName } from '../../src/codec/validate.js';
import type { Packet } from '../../src/codec/types.js';
import type { CodecError } from '../../src/errors.js';
import { caught, expectAccepted, expectRejected, MALFORMED, PROTOCOL, TOO_LARGE } from '../helpers/codec-expect.js';
import { frame, props, str, u16, u8, vbi } from '../helpers/mqtt-bytes.js';

/** How much ArrayBuffer memory a call allocates and keeps (Buffers count here). */
function retainedArrayBufferGrowth(fn: () => void): number {
  const before = process.memoryUsage().arrayBuffers;
  fn();
  return process.memoryUsage().arrayBuffers - before;
}

describe('C1: five-byte remaining length', () => {
  it('is malformed as soon as the fifth length byte arrives, with nothing buffered', () => {
    const d = new FrameDecoder({ version: 4 });
    for (const b of [0x30, 0xff, 0xff, 0xff]) expect(d.push(Buffer.from([b]))).toEqual([]);
    const e = caught(() => d.push(Buffer.from([0xff])));
    expect([e.code, e.reasonCode]).toEqual(MALFORMED);
    expect(d.buffered).toBe(0);
  });

  it.each([3, 4, 5] as const)('v%i: FF FF FF FF 7F is malformed in one chunk too', (v) => {
    expectRejected(Buffer.from('30ffffffff7f', 'hex'), v, MALFORMED);
  });
});

describe('C2: variable byte integers', () => {
  it.each([
    ['remaining length 80 00', 'c08000'],
    ['remaining length FF 80 80 00', '30ff808000'],
    ['remaining length 80 80 80 00', 'd080808000'],
  ])('non-minimal %s is malformed', (_n, h) => {
    expectRejected(Buffer.from(h, 'hex'), 4, MALFORMED);
    expectRejected(Buffer.from(h, 'hex'), 5, MALFORMED);
  });

  it('non-minimal property length is malformed', () => {
    expectRejected(frame(0x30, str('t'), Buffer.from('8000', 'hex'), Buffer.from('x')), 5, MALFORMED);
  });

  it('non-minimal subscription identifier is malformed', () => {
    expectRejected(frame(0x30, str('t'), props(u8(0x0b), Buffer.from('8100', 'hex')), Buffer.from('x')), 5, MALFORMED);
  });

  it.each([127, 128, 16383, 16384, 2097151, 2097152])('remaining length %i encodes minimally and round-trips', (rl) => {
    const payload = Buffer.alloc(rl - 3, 0xab); // topic 'a' takes 3 bytes of the remaining length
    const p: Packet = { type: 'publish', topic: 'a', payload, qos: 0, retain: false, dup: false };
    const bytes = encodePacket(p, 4);
    const header = Buffer.concat([u8(0x30), vbi(rl)]);
    expect(bytes.subarray(0, header.length).equals(header)).toBe(true);
    expect(bytes.length).toBe(header.length + rl);
    const back = decodePacket(bytes, 4);
    expect(back.type === 'publish' && Buffer.from(back.payload).equals(payload)).toBe(true);
  });

  it('remaining length 0 round-trips (PINGREQ)', () => {
    expect(encodePacket({ type: 'pingreq' }, 4).toString('hex')).toBe('c000');
    expect(decodePacket(Buffer.from('c000', 'hex'), 4)).toEqual({ type: 'pingreq' });
  });

  it('remaining length 268435455 (FF FF FF 7F) is accepted as a header and waits without allocating the body', () => {
    const d = new FrameDecoder({ version: 4 });
    const grew = retainedArrayBufferGrowth(() => expect(d.push(Buffer.from('30ffffff7f', 'hex'))).toEqual([]));
    expect(d.buffered).toBe(5);
    expect(grew).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('C3: maximum packet size is enforced from the fixed header', () => {
  const header = Buffer.from('30ffffff7f', 'hex');
  const tail = Buffer.alloc(10, 0x61);

  it('rejects a 268,435,455-byte claim after only the header is pushed', () => {
    const d = new FrameDecoder({ version: 5, maximumPacketSize: 1024 });
    const e = caught(() => d.push(header));
    expect([e.code, e.reasonCode]).toEqual(TOO_LARGE);
    expect(d.buffered).toBe(0);
  });

  it('rejects it byte by byte, at the last length byte, holding at most the header', () => {
    const d = new FrameDecoder({ version: 5, maximumPacketSize: 1024 });
    for (const b of header.subarray(0, 4)) expect(d.push(Buffer.from([b]))).toEqual([]);
    expect(d.buffered).toBeLessThanOrEqual(4);
    const e = caught(() => d.push(header.subarray(4)));
    expect([e.code, e.reasonCode]).toEqual(TOO_LARGE);
  });

  it('rejects header plus 10 bytes in one chunk without allocating the body', () => {
    const d = new FrameDecoder({ version: 4, maximumPacketSize: 1 << 20 });
    let e: CodecError | undefined;
    const grew = retainedArrayBufferGrowth(() => {
      e = caught(() => d.push(Buffer.concat([header, tail])));
    });
    expect([e!.code, e!.reasonCode]).toEqual(TOO_LARGE);
    expect(grew).toBeLessThan(2 * 1024 * 1024);
  });

  it('without a maximum, header plus 10 bytes then EOF buffers only what arrived', () => {
    const d = new FrameDecoder({ version: 4 });
    const grew = retainedArrayBufferGrowth(() => expect(d.push(Buffer.concat([header, tail]))).toEqual([]));
    expect(d.buffered).toBe(15);
    expect(grew).toBeLessThan(2 * 1024 * 1024);
  });

  it('counts the whole packet (fixed header included): size == max passes, max - 1 fails', () => {
    const bytes = frame(0x30, str('t'), Buffer.alloc(200, 0x78)); // 1 + 2 + 203 = 206 bytes
    expect(bytes.length).toBe(206);
    expect(new FrameDecoder({ version: 4, maximumPacketSize: 206 }).push(bytes)).toHaveLength(1);
    const e = caught(() => new FrameDecoder({ version: 4, maximumPacketSize: 205 }).push(bytes.subarray(0, 3)));
    expect([e.code, e.reasonCode]).toEqual(TOO_LARGE);
  });
});

describe('C4: declared lengths past the end', () => {
  it.each([
    ['PUBLISH topic length 9, 3 bytes left', 4, frame(0x30, u16(9), Buffer.from('abc'))],
    ['PUBLISH QoS 1 topic fills the packet, no packet id', 4, frame(0x32, str('a'))],
    ['PUBLISH QoS 1 half a packet id', 4, frame(0x32, str('a'), u8(0))],
    ['PUBLISH topic length truncated', 4, frame(0x30, u8(0))],
    ['PUBLISH empty', 4, frame(0x30)],
    ['CONNECT client id length past the end', 4, frame(0x10, str('MQTT'), u8(4), u8(2), u16(60), u16(5), Buffer.from('a'))],
    ['CONNECT password length past the end', 4, frame(0x10, str('MQTT'), u8(4), u8(0xc2), u16(60), str('c'), str('u'), u16(9))],
    ['CONNECT will payload length past the end', 4, frame(0x10, str('MQTT'), u8(4), u8(0x06), u16(60), str('c'), str('w'), u16(300), Buffer.from('x'))],
    ['SUBSCRIBE filter length past the end', 4, frame(0x82, u16(1), u16(9), Buffer.from('a'), u8(0))],
    ['UNSUBSCRIBE filter length past the end', 4, frame(0xa2, u16(1), u16(2), Buffer.from('a'))],
    ['v5 PUBLISH property length past the end', 5, frame(0x30, str('t'), vbi(9), Buffer.from('0102', 'hex'))],
    ['v5 PUBLISH user property value runs past its property block', 5, frame(0x30, str('t'), vbi(6), u8(0x26), str('k'), u16(5), Buffer.from('hello'))],
    ['v5 PUBLISH correlation data past the end', 5, frame(0x30, str('t'), props(u8(0x09), u16(40), Buffer.from('ab')))],
    ['v5 CONNACK missing property length', 5, frame(0x20, u8(0), u8(0))],
    ['v5 SUBSCRIBE missing property length', 5, frame(0x82, u16(1))],
  ] as const)('%s is malformed', (_name, v, bytes) => {
    expectRejected(bytes, v, MALFORMED);
  });
});

describe('topic names and filters on receive', () => {
  it.each(['+opic', 'to#', 'a/+', '#'])('PUBLISH topic %s (a wildcard) is malformed', (t) => {
    expectRejected(frame(0x30, str(t), Buffer.from('x')), 4, MALFORMED);
    expectRejected(frame(0x30, str(t), props(), Buffer.from('x')), 5, MALFORMED);
  });

  it('PUBLISH with an empty topic and no alias is a protocol error (v5) / malformed (v3.1.1)', () => {
    expectRejected(frame(0x30, str(''), props(), Buffer.from('x')), 5, PROTOCOL);
  });

  it.each(['a/b#', 'a+/b', '#/a', '$share//a', '$share/g+/a', '$share/g'])('SUBSCRIBE filter %s is malformed', (f) => {
    expectRejected(frame(0x82, u16(1), str(f), u8(0)), 4, MALFORMED);
    expectRejected(frame(0xa2, u16(1), str(f)), 4, MALFORMED);
  });

  it('no local on a shared subscription is a protocol error', () => {
    expectRejected(frame(0x82, u16(1), props(), str('$share/g/a'), u8(0x04)), 5, PROTOCOL);
  });

  it('v5 subscription options with reserved bits or retain handling 3 are malformed', () => {
    for (const o of [0x30, 0x40, 0x80, 0x03]) expectRejected(frame(0x82, u16(1), props(), str('a'), u8(o)), 5, MALFORMED);
  });
});

describe('C5: UTF-8 in strings', () => {
  const topic = (raw: string) => frame(0x30, u16(raw.length / 2 + 2), Buffer.from('746f' + raw, 'hex'), Buffer.from('x'));
  it.each([
    ['overlong NUL C0 80', 'c080'],
    ['surrogate ED A0 80', 'eda080'],
    ['above U+10FFFF F4 90 80 80', 'f4908080'],
    ['truncated E2 82', 'e282'],
    ['U+0000', '00'],
    ['lone continuation byte 80', '80'],
    ['overlong 3-byte E0 80 AF', 'e080af'],
  ])('%s in a topic is malformed', (_n, raw) => {
    expectRejected(topic(raw), 4, MALFORMED);
    expectRejected(frame(0x30, u16(raw.length / 2 + 2), Buffer.from('746f' + raw, 'hex'), u8(0)), 5, MALFORMED);
  });

  it.each([
    ['CONNECT client id', frame(0x10, str('MQTT'), u8(4), u8(2), u16(60), str(Buffer.from('61eda080', 'hex')))],
    ['CONNECT username', frame(0x10, str('MQTT'), u8(4), u8(0x82), u16(60), str('c'), str(Buffer.from('00', 'hex')))],
    ['SUBSCRIBE filter', frame(0x82, u16(1), str(Buffer.from('61c080', 'hex')), u8(0))],
    ['UNSUBSCRIBE filter', frame(0xa2, u16(1), str(Buffer.from('e282', 'hex')))],
  ])('ill-formed UTF-8 in %s is malformed', (_n, bytes) => {
    expectRejected(bytes, 4, MALFORMED);
  });

  it('ill-formed UTF-8 in a v5 user property or reason string is malformed', () => {
    expectRejected(frame(0x40, u16(1), u8(0), props(u8(0x26), str('k'), str(Buffer.from('eda080', 'hex')))), 5, MALFORMED);
    expectRejected(frame(0x40, u16(1), u8(0x80), props(u8(0x1f), str(Buffer.from('c080', 'hex')))), 5, MALFORMED);
  });

  it('accepts the 4-byte U+2A6D4 and keeps a BOM byte for byte', () => {
    const p = expectAccepted(frame(0x30, str(Buffer.from('efbbbf2f f0aa9b94'.replace(' ', ''), 'hex')), Buffer.from('x')), 4);
    expect(p.type === 'publish' && p.topic).toBe('\ufeff/\u{2a6d4}');
    const again = encodePacket(p, 4);
    expect(again.subarray(4, 11).toString('hex')).toBe('efbbbf2ff0aa9b94'.slice(0, 14));
  });

  it.each([
    ['U+0001', '01', '\u0001'],
    ['U+007F', '7f', '\u007f'],
    ['U+009F', 'c29f', '\u009f'],
    ['U+FFFF', 'efbfbf', '\uffff'],
  ])('%s (control / non-character) is not a well-formedness failure on receive', (_n, raw, text) => {
    const p = expectAccepted(topic(raw), 4);
    expect(p.type === 'publish' && p.topic).toBe('to' + text);
  });

  it('validators: U+0000 and lone surrogates are never valid MQTT strings', () => {
    expect(isValidMqttString('a\u0000b')).toBe(false);
    expect(isValidMqttString('a\ud800b')).toBe(false);
    expect(isValidMqttString('\ufeff\u{2a6d4}')).toBe(true);
    expect(isValidMqttString('x'.repeat(65535))).toBe(true);
    expect(isValidMqttString('x'.repeat(65536))).toBe(false);
  });

  it('encode refuses U+0000 and lone surrogates with INVALID_ARGUMENT', () => {
    for (const topic of ['a\u0000', 'a\udc00', 'a\ud800']) {
      const e = caught(() => encodePacket({ type: 'publish', topic, payload: Buffer.alloc(0), qos: 0, retain: false, dup: false }, 4));
      expect(e.code).toBe('INVALID_ARGUMENT');
    }
  });
});

// --- C8: fixed-header flags ----------------------------------------------------------------------
const BODIES: Record<number, { 4: Buffer; 5: Buffer; flags: number }> = {
  1: { 4: Buffer.concat([str('MQTT'), u8(4), u8(2), u16(60), str('c')]), 5: Buffer.concat([str('MQTT'), u8(5), u8(2), u16(60), props(), str('c')]), flags: 0 },
  2: { 4: Buffer.from('0000', 'hex'), 5: Buffer.from('000000', 'hex'), flags: 0 },
  4: { 4: u16(1), 5: u16(1), flags: 0 },
  5: { 4: u16(1), 5: u16(1), flags: 0 },
  6: { 4: u16(1), 5: u16(1), flags: 2 },
  7: { 4: u16(1), 5: u16(1), flags: 0 },
  8: { 4: Buffer.concat([u16(1), str('t'), u8(0)]), 5: Buffer.concat([u16(1), props(), str('t'), u8(0)]), flags: 2 },
  9: { 4: Buffer.concat([u16(1), u8(0)]), 5: Buffer.concat([u16(1), props(), u8(0)]), flags: 0 },
  10: { 4: Buffer.concat([u16(1), str('t')]), 5: Buffer.concat([u16(1), props(), str('t')]), flags: 2 },
  11: { 4: u16(1), 5: Buffer.concat([u16(1), props(), u8(0)]), flags: 0 },
  12: { 4: Buffer.alloc(0), 5: Buffer.alloc(0), flags: 0 },
  13: { 4: Buffer.alloc(0), 5: Buffer.alloc(0), flags: 0 },
  14: { 4: Buffer.alloc(0), 5: Buffer.alloc(0), flags: 0 },
};

describe('C8: reserved fixed-header flags, QoS and DUP, packet id 0', () => {
  for (const [type, body] of Object.entries(BODIES)) {
    it(`type ${type}: only flags ${body.flags.toString(2).padStart(4, '0')} are accepted`, () => {
      for (const v of [4, 5] as const) {
        for (let flags = 0; flags < 16; flags++) {
          const bytes = frame((Number(type) << 4) | flags, body[v]);
          if (flags === body.flags) expectAccepted(bytes, v);
          else expectRejected(bytes, v, MALFORMED);
        }
      }
    });
  }

  it('AUTH (type 15): only flags 0000 in v5, and type 15 is reserved before v5', () => {
    for (let flags = 1; flags < 16; flags++) expectRejected(frame(0xf0 | flags), 5, MALFORMED);
    expectAccepted(frame(0xf0), 5);
    for (const v of [3, 4] as const) expectRejected(frame(0xf0), v, MALFORMED);
  });

  it('type 0 is reserved', () => {
    for (const v of [3, 4, 5] as const) expectRejected(frame(0x00), v, MALFORMED);
  });

  it('PUBLISH QoS 3 is malformed, with or without DUP/retain', () => {
    for (const first of [0x36, 0x37, 0x3e, 0x3f]) {
      expectRejected(frame(first, str('t'), u16(1), Buffer.from('x')), 4, MALFORMED);
      expectRejected(frame(first, str('t'), u16(1), props(), Buffer.from('x')), 5, MALFORMED);
    }
  });

  it('PUBLISH QoS 0 with DUP is malformed', () => {
    expectRejected(frame(0x38, str('t'), Buffer.from('x')), 4, MALFORMED);
    expectRejected(frame(0x39, str('t'), props(), Buffer.from('x')), 5, MALFORMED);
  });

  it.each([
    ['PUBLISH QoS 1', 4, frame(0x32, str('t'), u16(0), Buffer.from('x'))],
    ['PUBLISH QoS 2', 5, frame(0x34, str('t'), u16(0), props(), Buffer.from('x'))],
    ['PUBACK', 4, frame(0x40, u16(0))],
    ['PUBREC', 5, frame(0x50, u16(0))],
    ['PUBREL', 4, frame(0x62, u16(0))],
    ['PUBCOMP', 5, frame(0x70, u16(0), u8(0))],
    ['SUBSCRIBE', 4, frame(0x82, u16(0), str('t'), u8(0))],
    ['SUBACK', 5, frame(0x90, u16(0), props(), u8(0))],
    ['UNSUBSCRIBE', 4, frame(0xa2, u16(0), str('t'))],
    ['UNSUBACK', 5, frame(0xb0, u16(0), props(), u8(0))],
  ] as const)('packet id 0 on %s is a protocol error', (_n, v, bytes) => {
    expectRejected(bytes, v, PROTOCOL);
  });

  it('encode refuses a packet id on a QoS 0 PUBLISH rather than dropping it', () => {
    const p = { type: 'publish', topic: 't', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false, packetId: 5 } as const;
    for (const v of [3, 4, 5] as const) expect(caught(() => encodePacket(p, v)).code).toBe('INVALID_ARGUMENT');
  });

  it('encode refuses packet id 0 and QoS 3', () => {
    const pub = { type: 'publish', topic: 't', payload: Buffer.alloc(0), retain: false, dup: false } as const;
    expect(caught(() => encodePacket({ ...pub, qos: 1, packetId: 0 }, 4)).code).toBe('INVALID_ARGUMENT');
    expect(caught(() => encodePacket({ ...pub, qos: 3 as 0, packetId: 1 }, 4)).code).toBe('INVALID_ARGUMENT');
    expect(caught(() => encodePacket({ type: 'puback', packetId: 0, reasonCode: 0 }, 4)).code).toBe('INVALID_ARGUMENT');
  });
});

// --- C9: reason codes ---------------------------------------------------------------------------
const VALID_REASONS: Record<string, number[]> = {
  connack: [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9f],
  puback: [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
  pubrel: [0x00, 0x92],
  suback: [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2],
  unsuback: [0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91],
  // 0x8c: table 2-6 of MQTT 5.0 lists Bad authentication method for DISCONNECT (the 3.14.2.1 table omits it).
  disconnect: [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2],
  auth: [0x00, 0x18, 0x19],
};
const V5_REASON_FRAMES: [string, string, (rc: number) => Buffer][] = [
  ['CONNACK', 'connack', (rc) => frame(0x20, u8(0), u8(rc), props())],
  ['PUBACK', 'puback', (rc) => frame(0x40, u16(1), u8(rc))],
  ['PUBREC', 'puback', (rc) => frame(0x50, u16(1), u8(rc), props())],
  ['PUBREL', 'pubrel', (rc) => frame(0x62, u16(1), u8(rc))],
  ['PUBCOMP', 'pubrel', (rc) => frame(0x70, u16(1), u8(rc), props())],
  ['SUBACK', 'suback', (rc) => frame(0x90, u16(1), props(), u8(0), u8(rc))],
  ['UNSUBACK', 'unsuback', (rc) => frame(0xb0, u16(1), props(), u8(rc))],
  ['DISCONNECT', 'disconnect', (rc) => frame(0xe0, u8(rc))],
  ['AUTH', 'auth', (rc) => frame(0xf0, u8(rc), props(u8(0x15), str('m')))],
];

describe('C9: reason codes per packet type', () => {
  for (const [name, table, build] of V5_REASON_FRAMES) {
    it(`v5 ${name}: every listed code is accepted, every other byte is a protocol error`, () => {
      const valid = VALID_REASONS[table]!;
      for (let rc = 0; rc < 256; rc++) {
        if (valid.includes(rc)) expectAccepted(build(rc), 5);
        else expectRejected(build(rc), 5, PROTOCOL);
      }
    });
  }

  it('v3.1.1 CONNACK: return codes 0-5 accepted, 6-255 rejected', () => {
    for (let rc = 0; rc < 256; rc++) {
      const bytes = frame(0x20, u8(0), u8(rc));
      if (rc <= 5) expectAccepted(bytes, 4);
      else expectRejected(bytes, 4, PROTOCOL);
    }
  });

  it('v3.1.1 SUBACK: 0, 1, 2 and 0x80 accepted, others rejected', () => {
    for (let rc = 0; rc < 256; rc++) {
      const bytes = frame(0x90, u16(1), u8(rc));
      if ([0, 1, 2, 0x80].includes(rc)) expectAccepted(bytes, 4);
      else expectRejected(bytes, 4, PROTOCOL);
    }
  });

  // A v5 UNSUBACK without codes is left to the session, which knows how many filters it sent.
  it('SUBACK with no codes at all is rejected', () => {
    expectRejected(frame(0x90, u16(1)), 4, PROTOCOL);
    expectRejected(frame(0x90, u16(1), props()), 5, PROTOCOL);
  });

  it('AUTH has no reason-code-only form', () => {
    expectRejected(frame(0xf0, u8(0x18)), 5, MALFORMED);
  });

  it('AUTH other than the short form needs an authentication method (MQTT 5.0 3.15.2.2.2)', () => {
    expectRejected(frame(0xf0, u8(0x18), props()), 5, PROTOCOL);
    expectRejected(frame(0xf0, u8(0x00), props(u8(0x1f), str('x'))), 5, PROTOCOL);
    expect(caught(() => encodePacket({ type: 'auth', reasonCode: 0x18 }, 5)).code).toBe('INVALID_ARGUMENT');
    expect(caught(() => encodePacket({ type: 'auth', reasonCode: 0, properties: { reasonString: 'x' } }, 5)).code).toBe('INVALID_ARGUMENT');
    expectAccepted(frame(0xf0), 5);
  });

  it('v5 CONNACK with session present and a failure code is a protocol error', () => {
    expectRejected(frame(0x20, u8(1), u8(0x87), props()), 5, PROTOCOL);
  });

  it('encode refuses reason codes not valid for the packet type', () => {
    expect(caught(() => encodePacket({ type: 'puback', packetId: 1, reasonCode: 0x92 }, 5)).code).toBe('INVALID_ARGUMENT');
    expect(caught(() => encodePacket({ type: 'unsuback', packetId: 1, reasonCodes: [0x02] }, 5)).code).toBe('INVALID_ARGUMENT');
  });
});

// --- C13: big but legal inputs --------------------------------------------------------------------
describe('C13: large inputs decode correctly', () => {
  it('10,000 user properties keep their order', () => {
    const items: Buffer[] = [];
    for (let i = 0; i < 10_000; i++) items.push(u8(0x26), str(`k${i % 7}`), str(`v${i}`));
    const p = expectAccepted(frame(0x30, str('t'), props(...items), Buffer.from('x')), 5);
    const ups = p.type === 'publish' ? p.properties?.userProperties : undefined;
    expect(ups).toHaveLength(10_000);
    expect(ups![0]).toEqual(['k0', 'v0']);
    expect(ups![9_999]).toEqual([`k${9_999 % 7}`, 'v9999']);
    expect(ups!.every(([, v], i) => v === `v${i}`)).toBe(true);
  });

  it('a 65,535-byte topic round-trips; 65,536 bytes cannot be encoded', () => {
    const topic = 'a'.repeat(65_535);
    const p: Packet = { type: 'publish', topic, payload: Buffer.from('x'), qos: 0, retain: false, dup: false };
    const back = decodePacket(encodePacket(p, 4), 4);
    expect(back.type === 'publish' && back.topic.length).toBe(65_535);
    expect(caught(() => encodePacket({ ...p, topic: topic + 'a' }, 4)).code).toBe('INVALID_ARGUMENT');
  });

  it('topics with 300 levels and 65,400 slashes are valid names; filters per the wildcard rules', () => {
    const deep = Array.from({ length: 300 }, (_, i) => `l${i}`).join('/');
    const slashes = '/'.repeat(65_400);
    for (const t of [deep, slashes]) {
      expect(() => validateTopicName(t)).not.toThrow();
      expect(() => validateTopicFilter(t)).not.toThrow();
      const back = decodePacket(encodePacket({ type: 'publish', topic: t, payload: Buffer.alloc(0), qos: 0, retain: false, dup: false }, 5), 5);
      expect(back.type === 'publish' && back.topic).toBe(t);
    }
    expect(() => validateTopicFilter('+/'.repeat(30_000) + '#')).not.toThrow();
    expect(caught(() => validateTopicFilter('+/'.repeat(30_000) + '#/a')).code).toBe('INVALID_ARGUMENT');
    expect(caught(() => validateTopicName(slashes + '+')).code).toBe('INVALID_ARGUMENT');
  });

  it('a SUBSCRIBE with 5,000 filters decodes all of them', () => {
    const items: Buffer[] = [];
    for (let i = 0; i < 5_000; i++) items.push(str(`f/${i}/+`), u8(i % 3));
    const p = expectAccepted(frame(0x82, u16(1), props(), ...items), 5);
    expect(p.type === 'subscribe' && p.subscriptions.length).toBe(5_000);
  });
});
