// %j / %J (mosquitto's cJSON output, byte for byte) and our --json lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../src/client/types.js';
import { cjsonNumber, formatG, parseCJson, printCJson } from '../../src/cli/sub/cjson.js';
import { parseFormat } from '../../src/cli/sub/format-parse.js';
import { renderFormat } from '../../src/cli/sub/format-render.js';
import { writeJsonLine } from '../../src/cli/sub/json.js';
import { ByteSink } from '../../src/cli/sub/output.js';
import type { Instant } from '../../src/cli/sub/time-format.js';
import { received, type Arrival } from '../helpers/received-message.js';

const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'UTC';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const CLOCK: Instant = { sec: 1795607293, ns: 501646999 }; // 2026-11-25T11:48:13.501646
const TST = '"tst":"2026-11-25T11:48:13.501646+0000"';

/** What the client delivers for a PUBLISH with these fields ('x' on t/x unless overridden). */
function msg(over: Arrival = {}): ReceivedMessage {
  return received({ topic: 't/x', payload: 'x', ...over });
}

function render(format: string, m: ReceivedMessage, pretty = false): { out: Buffer; invalid: string[] } {
  const sink = new ByteSink(8);
  const invalid: string[] = [];
  renderFormat(sink, parseFormat(format), m, { pretty, onInvalidJson: (t) => invalid.push(t), clock: () => CLOCK });
  return { out: sink.take(), invalid };
}
const j = (m: ReceivedMessage, format = '%j', pretty = false): string => render(format, m, pretty).out.toString('utf8');

describe('%j', () => {
  it('matches the observed 2.1 object with v5 properties (user properties as an array of one-key objects)', () => {
    const m = msg({
      payload: Buffer.from('he"llo\t\\ é'),
      properties: {
        userProperties: [
          ['k1', 'v1'],
          ['k1', 'v2'],
        ],
        contentType: 'text/plain',
        correlationData: Buffer.from('abc'),
        responseTopic: 'r/t',
        payloadFormatIndicator: 1,
        messageExpiryInterval: 100,
      },
    });
    expect(j(m)).toBe(
      `{${TST},"topic":"t/x","qos":0,"retain":false,"payloadlen":11,"properties":{"user-properties":[{"k1":"v1"},{"k1":"v2"}],"content-type":"text/plain","correlation-data":"abc","response-topic":"r/t","payload-format-indicator":1,"message-expiry-interval":100},"payload":"he\\"llo\\t\\\\ é"}`,
    );
  });

  it('keeps property arrival order (as the broker sent them)', () => {
    const m = msg({
      properties: { subscriptionIdentifiers: [7], payloadFormatIndicator: 1, userProperties: [['a', 'b'], ['c', 'd']], contentType: 'ct', messageExpiryInterval: 100 },
    });
    expect(j(m)).toBe(
      `{${TST},"topic":"t/x","qos":0,"retain":false,"payloadlen":1,"properties":{"subscription-identifier":7,"payload-format-indicator":1,"user-properties":[{"a":"b"},{"c":"d"}],"content-type":"ct","message-expiry-interval":100},"payload":"x"}`,
    );
  });

  it('adds mid for QoS > 0 and retain as a boolean (2.1; 2.0 printed 0/1)', () => {
    expect(j(msg({ qos: 2, packetId: 9, retain: true }))).toBe(`{${TST},"topic":"t/x","qos":2,"retain":true,"payloadlen":1,"mid":9,"payload":"x"}`);
  });

  it('empty payload is null; a NUL ends the payload string; payloadlen is the real length', () => {
    expect(j(msg({ payload: Buffer.alloc(0) }))).toBe(`{${TST},"topic":"t/x","qos":0,"retain":false,"payloadlen":0,"payload":null}`);
    expect(j(msg({ payload: Buffer.from('bin\0ary') }))).toBe(`{${TST},"topic":"t/x","qos":0,"retain":false,"payloadlen":7,"payload":"bin"}`);
  });

  it('escapes like cJSON: short forms, \\u00xx for other controls; bytes >= 0x7f pass through', () => {
    const m = msg({ payload: Buffer.from([0x08, 0x0c, 0x0a, 0x0d, 0x09, 0x01, 0x1b, 0x1f, 0x7f, 0xff, 0x2f]) });
    const out = render('%j', m).out;
    const tail = out.subarray(out.indexOf('"payload":') + 10);
    expect(tail).toEqual(Buffer.concat([Buffer.from('"\\b\\f\\n\\r\\t\\u0001\\u001b\\u001f'), Buffer.from([0x7f, 0xff]), Buffer.from('/"}')]));
  });

  it('correlation data is a C string too', () => {
    const m = msg({ properties: { correlationData: Buffer.from([0x61, 0x22, 0, 0x62]) } });
    expect(j(m)).toContain('"properties":{"correlation-data":"a\\""}');
  });

  it('several subscription identifiers give repeated keys; topic alias is the real value', () => {
    const m = msg({ properties: { topicAlias: 5, subscriptionIdentifiers: [1, 2] } });
    expect(j(m)).toContain('"properties":{"topic-alias":5,"subscription-identifier":1,"subscription-identifier":2}');
  });

  it('--pretty: cJSON formatted layout', () => {
    expect(j(msg({ qos: 1, packetId: 3 }), '%j', true)).toBe(
      '{\n\t"tst":\t"2026-11-25T11:48:13.501646+0000",\n\t"topic":\t"t/x",\n\t"qos":\t1,\n\t"retain":\tfalse,\n\t"payloadlen":\t1,\n\t"mid":\t3,\n\t"payload":\t"x"\n}',
    );
  });
});

describe('%J', () => {
  const payload = '{"a":[1,2.50,1e3,{"b":null,"c":true}],"s":"x\\u00e9\\n","n":-0,"big":3000000000,"f":0.1,"e":{},"arr":[]}';

  it('re-prints the payload as cJSON does (observed 2.1, compact)', () => {
    expect(j(msg({ topic: 'a/json', retain: true, payload: Buffer.from(payload) }), '%J')).toBe(
      `{${TST},"topic":"a/json","qos":0,"retain":true,"payloadlen":102,"payload":{"a":[1,2.5,1000,{"b":null,"c":true}],"s":"xé\\n","n":-0,"big":3000000000,"f":0.1,"e":{},"arr":[]}}`,
    );
  });

  it('re-prints the payload as cJSON does (observed 2.1, --pretty)', () => {
    expect(j(msg({ topic: 'a/json', retain: true, payload: Buffer.from(payload) }), '%J', true)).toBe(
      [
        '{',
        '\t"tst":\t"2026-11-25T11:48:13.501646+0000",',
        '\t"topic":\t"a/json",',
        '\t"qos":\t0,',
        '\t"retain":\ttrue,',
        '\t"payloadlen":\t102,',
        '\t"payload":\t{',
        '\t\t"a":\t[1, 2.5, 1000, {',
        '\t\t\t\t"b":\tnull,',
        '\t\t\t\t"c":\ttrue',
        '\t\t\t}],',
        '\t\t"s":\t"xé\\n",',
        '\t\t"n":\t-0,',
        '\t\t"big":\t3000000000,',
        '\t\t"f":\t0.1,',
        '\t\t"e":\t{',
        '\t\t},',
        '\t\t"arr":\t[]',
        '\t}',
        '}',
      ].join('\n'),
    );
  });

  it('numbers as observed from 2.0.11', () => {
    const m = msg({ topic: 'n/1', payload: Buffer.from('[0.30000000000000004,123456789012345680,1.5e-7,0.0001,1e20,1e15,100000,1e999,-1e-999,5e-324,01]') });
    expect(j(m, '%J')).toContain('"payload":[0.3,1.2345678901234568e+17,1.5e-07,0.0001,1e+20,1e+15,100000,null,-0,4.94065645841247e-324,1]}');
  });

  it('invalid JSON prints nothing for the object and is reported with the topic', () => {
    const r = render('[%J]', msg({ topic: 'a/bad', payload: Buffer.from('notjson') }));
    expect(r.out.toString()).toBe('[]');
    expect(r.invalid).toEqual(['a/bad']);
  });

  it('empty payload is null', () => {
    expect(j(msg({ payload: Buffer.alloc(0) }), '%J')).toContain('"payload":null}');
  });
});

describe('cJSON parse rules', () => {
  const ok = (s: string | Buffer): boolean => parseCJson(typeof s === 'string' ? Buffer.from(s) : s) !== undefined;
  it('accepts JSON with whitespace (any byte <= 0x20) and a UTF-8 BOM', () => {
    expect(ok(' {"a":1}\r\n\x01')).toBe(true);
    expect(ok(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[1]')]))).toBe(true);
    expect(ok('"str"')).toBe(true);
    expect(ok('12')).toBe(true);
    expect(ok('null')).toBe(true);
  });
  it('rejects trailing data, NUL bytes, bad escapes, lone surrogates, bare words', () => {
    expect(ok('{} x')).toBe(false);
    expect(ok(Buffer.from('{}\0'))).toBe(false);
    expect(ok('"\\x"')).toBe(false);
    expect(ok('"\\udc00"')).toBe(false);
    expect(ok('"\\ud800x"')).toBe(false);
    expect(ok('nul')).toBe(false);
    expect(ok('[1,]')).toBe(false);
    expect(ok('{"a" 1}')).toBe(false);
    expect(ok('   ')).toBe(false);
    expect(ok('-')).toBe(false);
  });
  it('nests 1000 deep and no deeper (cJSON\'s CJSON_NESTING_LIMIT), empty innermost included', () => {
    const nest = (n: number, inner: string, open = '[', close = ']'): string => open.repeat(n) + inner + close.repeat(n);
    expect(ok(nest(1000, ''))).toBe(true);
    expect(ok(nest(1000, '1'))).toBe(true);
    expect(ok(nest(1001, ''))).toBe(false);
    expect(ok(nest(1000, '{}'))).toBe(false);
    expect(ok(nest(998, '{"a":[]}'))).toBe(true);
    expect(ok(nest(999, '{"a":[]}'))).toBe(false);
  });
  it('is as lenient as strtod about numbers', () => {
    expect(ok('01')).toBe(true);
    expect(ok('[1.]')).toBe(true);
    expect(ok('[1.5.3]')).toBe(false);
  });
  it('decodes surrogate pairs to UTF-8', () => {
    const sink = new ByteSink();
    printCJson(sink, parseCJson(Buffer.from('"\\ud83d\\ude00"'))!, false);
    expect(sink.take().toString()).toBe('"😀"');
  });
});

describe('cJSON numbers', () => {
  it('prints %1.15g, falling back to %1.17g when that loses the value', () => {
    expect(cjsonNumber(1)).toBe('1');
    expect(cjsonNumber(2.5)).toBe('2.5');
    expect(cjsonNumber(0.1)).toBe('0.1');
    expect(cjsonNumber(1e20)).toBe('1e+20');
    expect(cjsonNumber(1.5e-7)).toBe('1.5e-07');
    expect(cjsonNumber(0.0001)).toBe('0.0001');
    expect(cjsonNumber(123456789012345680)).toBe('1.2345678901234568e+17');
    // cJSON's round-trip check tolerates one epsilon, so this prints short (observed).
    expect(cjsonNumber(0.30000000000000004)).toBe('0.3');
    expect(cjsonNumber(5e-324)).toBe('4.94065645841247e-324');
    expect(cjsonNumber(-0)).toBe('-0');
    expect(cjsonNumber(Infinity)).toBe('null');
    expect(formatG(100000, 15)).toBe('100000');
    expect(formatG(1e15, 15)).toBe('1e+15');
  });
});

describe('--json lines', () => {
  const line = (m: ReceivedMessage): Record<string, unknown> => {
    const sink = new ByteSink();
    writeJsonLine(sink, m, CLOCK);
    const text = sink.take().toString('utf8');
    expect(text).not.toContain('\n');
    return JSON.parse(text) as Record<string, unknown>;
  };

  it('text payloads as text', () => {
    expect(line(msg({ payload: Buffer.from('héllo\n') }))).toEqual({
      tst: '2026-11-25T11:48:13.501646+0000',
      topic: 't/x',
      qos: 0,
      retain: false,
      dup: false,
      payloadlen: 7,
      payload: 'héllo\n',
      encoding: 'utf8',
    });
  });

  it('binary payloads as base64, with every property', () => {
    const o = line(
      msg({
        qos: 1,
        packetId: 4,
        retain: true,
        payload: Buffer.from([0, 0xff, 0xc3]),
        properties: {
          payloadFormatIndicator: 0,
          messageExpiryInterval: 5,
          contentType: 'a/b',
          responseTopic: 'r',
          correlationData: Buffer.from([0xff]),
          subscriptionIdentifiers: [1, 2],
          topicAlias: 2,
          userProperties: [['k', 'v'], ['k', 'w']],
        },
      }),
    );
    expect(o).toMatchObject({ qos: 1, mid: 4, retain: true, payloadlen: 3, payload: 'AP/D', encoding: 'base64' });
    expect(o.properties).toEqual({
      'payload-format-indicator': 0,
      'message-expiry-interval': 5,
      'content-type': 'a/b',
      'response-topic': 'r',
      'correlation-data': '/w==',
      'correlation-data-encoding': 'base64',
      'subscription-identifiers': [1, 2],
      'topic-alias': 2,
      'user-properties': [{ k: 'v' }, { k: 'w' }],
    });
  });
});
