// Test plan C6/C7: every v5 property duplicated, misplaced, unknown or cut short, for
// every packet type, judged against the spec's property table (MQTT 5.0 2.2.2.2)
// written out here independently of the codec's own table.
import { describe, expect, it } from 'vitest';
import type { Packet } from '../../src/codec/types.js';
import { ALIAS_INVALID, expectAccepted, expectRejected, MALFORMED, PROTOCOL } from '../helpers/codec-expect.js';
import { frame, props, str, u16, u32, u8, vbi } from '../helpers/mqtt-bytes.js';

const v5connect = (p: Buffer, flags = 0x02) => frame(0x10, str('MQTT'), u8(5), u8(flags), u16(60), p, str('c'));

type Ctx = 'connect' | 'will' | 'connack' | 'publish' | 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' | 'subscribe' | 'suback' | 'unsubscribe' | 'unsuback' | 'disconnect' | 'auth';
const ALL_CTX: Ctx[] = ['connect', 'will', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'suback', 'unsubscribe', 'unsuback', 'disconnect', 'auth'];
const MESSAGE: Ctx[] = ['publish', 'will'];
const REASON_STRING: Ctx[] = ['connack', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'suback', 'unsuback', 'disconnect', 'auth'];

/** id -> [name, one valid encoded value, contexts where allowed] */
const PROPS: [number, string, Buffer, Ctx[]][] = [
  [0x01, 'payload-format-indicator', u8(1), MESSAGE],
  [0x02, 'message-expiry-interval', u32(10), MESSAGE],
  [0x03, 'content-type', str('p'), MESSAGE],
  [0x08, 'response-topic', str('p'), MESSAGE],
  [0x09, 'correlation-data', str('p'), MESSAGE],
  [0x0b, 'subscription-identifier', vbi(5), ['publish', 'subscribe']],
  [0x11, 'session-expiry-interval', u32(10), ['connect', 'connack', 'disconnect']],
  [0x12, 'assigned-client-identifier', str('p'), ['connack']],
  [0x13, 'server-keep-alive', u16(10), ['connack']],
  [0x15, 'authentication-method', str('p'), ['connect', 'connack', 'auth']],
  [0x16, 'authentication-data', str('p'), ['connect', 'connack', 'auth']],
  [0x17, 'request-problem-information', u8(1), ['connect']],
  [0x18, 'will-delay-interval', u32(10), ['will']],
  [0x19, 'request-response-information', u8(1), ['connect']],
  [0x1a, 'response-information', str('p'), ['connack']],
  [0x1c, 'server-reference', str('p'), ['connack', 'disconnect']],
  [0x1f, 'reason-string', str('p'), REASON_STRING],
  [0x21, 'receive-maximum', u16(10), ['connect', 'connack']],
  [0x22, 'topic-alias-maximum', u16(10), ['connect', 'connack']],
  [0x23, 'topic-alias', u16(1), ['publish']],
  [0x24, 'maximum-qos', u8(1), ['connack']],
  [0x25, 'retain-available', u8(1), ['connack']],
  [0x26, 'user-property', Buffer.concat([str('k'), str('v')]), ALL_CTX],
  [0x27, 'maximum-packet-size', u32(10), ['connect', 'connack']],
  [0x28, 'wildcard-subscription-available', u8(1), ['connack']],
  [0x29, 'subscription-identifier-available', u8(1), ['connack']],
  [0x2a, 'shared-subscription-available', u8(1), ['connack']],
];

/** A valid v5 frame of each context carrying the given property block. */
const IN_CONTEXT: Record<Ctx, (p: Buffer) => Buffer> = {
  connect: (p) => v5connect(p),
  will: (p) => frame(0x10, str('MQTT'), u8(5), u8(0x06), u16(60), props(), str('c'), p, str('w'), str('x')),
  connack: (p) => frame(0x20, u8(0), u8(0), p),
  publish: (p) => frame(0x32, str('t'), u16(1), p, Buffer.from('x')),
  puback: (p) => frame(0x40, u16(1), u8(0), p),
  pubrec: (p) => frame(0x50, u16(1), u8(0), p),
  pubrel: (p) => frame(0x62, u16(1), u8(0), p),
  pubcomp: (p) => frame(0x70, u16(1), u8(0), p),
  subscribe: (p) => frame(0x82, u16(1), p, str('t'), u8(0)),
  suback: (p) => frame(0x90, u16(1), p, u8(0)),
  unsubscribe: (p) => frame(0xa2, u16(1), p, str('t')),
  unsuback: (p) => frame(0xb0, u16(1), p, u8(0)),
  disconnect: (p) => frame(0xe0, u8(0), p),
  auth: (p) => frame(0xf0, u8(0x18), p),
};

/**
 * Authentication Data is only legal next to an Authentication Method, and AUTH always needs a
 * method [MQTT 5.0 3.15.2.2.2], so those bring one along unless the method is what is tested.
 */
const withCompanions = (id: number, ctx: Ctx, ...items: Buffer[]) =>
  id !== 0x15 && (id === 0x16 || ctx === 'auth') ? props(u8(0x15), str('m'), ...items) : props(...items);

describe('C6: each v5 property duplicated, for each packet type', () => {
  for (const [id, name, value, contexts] of PROPS) {
    for (const ctx of contexts) {
      const one = Buffer.concat([u8(id), value]);
      if (id === 0x26 || (id === 0x0b && ctx === 'publish')) {
        it(`2*${name} in ${ctx} is allowed and keeps both, in order`, () => {
          const two = Buffer.concat([u8(id), id === 0x26 ? Buffer.concat([str('k'), str('w')]) : vbi(6)]);
          const p = expectAccepted(IN_CONTEXT[ctx](withCompanions(id, ctx, one, two)), 5) as Packet & { properties?: Record<string, unknown>; will?: { properties?: Record<string, unknown> } };
          const got = ctx === 'will' ? p.will?.properties : p.properties;
          if (id === 0x26) expect(got?.userProperties).toEqual([['k', 'v'], ['k', 'w']]);
          else expect(got?.subscriptionIdentifiers).toEqual([5, 6]);
        });
      } else {
        it(`2*${name} in ${ctx} is a protocol error; once is accepted`, () => {
          expectAccepted(IN_CONTEXT[ctx](withCompanions(id, ctx, one)), 5);
          expectRejected(IN_CONTEXT[ctx](withCompanions(id, ctx, one, one)), 5, PROTOCOL);
        });
      }
    }
  }
});

describe('C7: properties that are not allowed, unknown or cut short', () => {
  for (const [id, name, value, contexts] of PROPS) {
    for (const ctx of ALL_CTX.filter((c) => !contexts.includes(c))) {
      it(`${name} in ${ctx} is a protocol error`, () => {
        expectRejected(IN_CONTEXT[ctx](withCompanions(id, ctx, u8(id), value)), 5, PROTOCOL);
      });
    }
  }

  it.each([0x00, 0x04, 0x05, 0x06, 0x07, 0x0a, 0x0c, 0x10, 0x14, 0x1b, 0x1d, 0x1e, 0x20, 0x2b, 0x7f, 0x80])(
    'unknown property identifier 0x%s is malformed in every packet type',
    (id) => {
      for (const ctx of ALL_CTX) expectRejected(IN_CONTEXT[ctx](props(vbi(id), u8(1))), 5, MALFORMED);
    },
  );

  it('a property value cut short by the property length is malformed in every packet type', () => {
    for (const [id, , value, contexts] of PROPS) {
      for (const ctx of contexts) {
        expectRejected(IN_CONTEXT[ctx](props(u8(id), value.subarray(0, value.length - 1))), 5, MALFORMED);
      }
    }
  });

  it.each([
    ['receive-maximum 0', 'connect', u8(0x21), u16(0)],
    ['maximum-packet-size 0', 'connect', u8(0x27), u32(0)],
    ['request-problem-information 2', 'connect', u8(0x17), u8(2)],
    ['request-response-information 2', 'connect', u8(0x19), u8(2)],
    ['receive-maximum 0', 'connack', u8(0x21), u16(0)],
    ['maximum-qos 2', 'connack', u8(0x24), u8(2)],
    ['retain-available 2', 'connack', u8(0x25), u8(2)],
    ['payload-format-indicator 2', 'publish', u8(0x01), u8(2)],
    ['subscription-identifier 0', 'subscribe', u8(0x0b), vbi(0)],
  ] as const)('%s in %s is a protocol error', (_n, ctx, id, value) => {
    expectRejected(IN_CONTEXT[ctx](props(id, value)), 5, PROTOCOL);
  });

  it('topic-alias 0 in publish is Topic Alias invalid (0x94, [MQTT-3.3.2-8])', () => {
    expectRejected(IN_CONTEXT.publish(props(u8(0x23), u16(0))), 5, ALIAS_INVALID);
  });

  it('authentication-data without authentication-method in CONNECT is a protocol error', () => {
    expectRejected(v5connect(props(u8(0x16), str('p'))), 5, PROTOCOL);
  });
});
