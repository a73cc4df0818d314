import { describe, expect, it } from 'vitest';
import { parsePropertyArg, propertiesFor, propertyArity } from '../../src/cli/shared/properties-arg.js';
import { checkPropertyLists } from '../../src/cli/shared/property-checks.js';

const err = (tokens: string[]) => {
  try {
    parsePropertyArg(tokens);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('-D property parsing', () => {
  it('parses every type, case-insensitively', () => {
    expect(parsePropertyArg(['PUBLISH', 'Payload-Format-Indicator', '1']).value).toBe(1);
    expect(parsePropertyArg(['publish', 'message-expiry-interval', '4294967295']).value).toBe(4294967295);
    expect(parsePropertyArg(['publish', 'content-type', 'a b']).value).toBe('a b');
    expect(parsePropertyArg(['publish', 'correlation-data', 'xyz']).value).toEqual(Buffer.from('xyz'));
    expect(parsePropertyArg(['connect', 'receive-maximum', '65535']).value).toBe(65535);
    expect(parsePropertyArg(['connect', 'user-property', 'k', 'v'])).toMatchObject({ key: 'userProperties', value: ['k', 'v'] });
    expect(parsePropertyArg(['subscribe', 'subscription-identifier', '268435455']).value).toBe(268435455);
    expect(parsePropertyArg(['will', 'will-delay-interval', '10']).key).toBe('willDelayInterval');
    expect(parsePropertyArg(['disconnect', 'session-expiry-interval', '0']).value).toBe(0);
  });

  it('user-property takes 4 tokens, the rest 3', () => {
    expect(propertyArity('User-Property')).toBe(4);
    expect(propertyArity('content-type')).toBe(3);
    expect(propertyArity(undefined)).toBe(3);
  });

  it('rejects what mosquitto rejects', () => {
    expect(err(['suback', 'user-property', 'a', 'b'])).toMatch(/Invalid command/);
    expect(err(['publish', 'nope', '1'])).toMatch(/Invalid property name/);
    expect(err(['publish', 'session-expiry-interval', '1'])).toMatch(/not allowed for publish/);
    expect(err(['publish', 'subscription-identifier', '1'])).toMatch(/not supported for publish/);
    expect(err(['puback', 'reason-string', 'x'])).toMatch(/not supported for puback/);
    expect(err(['connack', 'reason-string', 'x'])).toMatch(/not supported for connack/);
    expect(err(['auth', 'reason-string', 'x'])).toMatch(/not supported/);
    expect(err(['publish', 'payload-format-indicator', '256'])).toMatch(/out of range/);
    expect(err(['publish', 'payload-format-indicator', '-1'])).toMatch(/out of range/);
    expect(err(['connect', 'receive-maximum', '65536'])).toMatch(/out of range/);
    expect(err(['publish', 'message-expiry-interval', '4294967296'])).toMatch(/out of range/);
    expect(err(['subscribe', 'subscription-identifier', '0'])).toMatch(/out of range/);
    expect(err(['publish', 'message-expiry-interval', 'abc'])).toMatch(/not a number/);
  });

  it('folds per command, keeping user properties in order', () => {
    const args = [
      parsePropertyArg(['publish', 'user-property', 'a', '1']),
      parsePropertyArg(['connect', 'user-property', 'x', 'y']),
      parsePropertyArg(['publish', 'user-property', 'a', '2']),
      parsePropertyArg(['publish', 'content-type', 'c']),
    ];
    expect(propertiesFor(args, 'publish')).toEqual({ userProperties: [['a', '1'], ['a', '2']], contentType: 'c' });
    expect(propertiesFor(args, 'will')).toBeUndefined();
  });
});

describe('checkPropertyLists (mosquitto_property_check_all over the -D lists)', () => {
  const check = (tokens: string[][], expiry?: number): string | undefined => {
    try {
      checkPropertyLists(tokens.map((t) => parsePropertyArg(t)), expiry);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  };
  const PROTOCOL = 'A network protocol error occurred when communicating with the broker.';

  it('refuses the values MQTT forbids, and a property twice for one packet; user properties may repeat', () => {
    expect(check([['connect', 'receive-maximum', '0']])).toBe(`Error in CONNECT properties: ${PROTOCOL}`);
    expect(check([['connect', 'request-problem-information', '2']])).toBe(`Error in CONNECT properties: ${PROTOCOL}`);
    expect(check([['connect', 'request-problem-information', '1'], ['connect', 'topic-alias-maximum', '0']])).toBeUndefined();
    expect(check([['will', 'content-type', 'a'], ['will', 'content-type', 'b']])).toBe('Error in Will properties: Duplicate property in property list');
    expect(check([['publish', 'user-property', 'a', '1'], ['publish', 'user-property', 'a', '1']])).toBeUndefined();
  });

  it('CONNECT first, then PUBLISH ... Will; within a list, each value before its duplicates', () => {
    expect(check([['publish', 'content-type', 'a'], ['publish', 'content-type', 'b'], ['connect', 'receive-maximum', '0']])).toMatch(/^Error in CONNECT/);
    expect(check([['connect', 'receive-maximum', '5'], ['connect', 'receive-maximum', '0']])).toMatch(/Duplicate/);
    expect(check([['connect', 'receive-maximum', '0'], ['connect', 'receive-maximum', '5']])).toMatch(/protocol error/);
  });

  it('the session expiry of -x / -c is one more CONNECT property (only above 0)', () => {
    expect(check([['connect', 'session-expiry-interval', '5']], 10)).toMatch(/^Error in CONNECT properties: Duplicate/);
    expect(check([['connect', 'session-expiry-interval', '5']], 0)).toBeUndefined();
  });
});
