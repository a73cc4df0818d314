// Property tests (time-boxed): the -F parser only ever fails with a usage
// error, any accepted format renders any message, and the cJSON model
// round-trips JSON and never throws on arbitrary bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../src/client/types.js';
import { parseCJson, printCJson } from '../../src/cli/sub/cjson.js';
import { parseFormat } from '../../src/cli/sub/format-parse.js';
import { renderFormat } from '../../src/cli/sub/format-render.js';
import { ByteSink } from '../../src/cli/sub/output.js';
import { ArgvError } from '../../src/cli/shared/argv-error.js';
import { received } from '../helpers/received-message.js';

const RUN = { numRuns: 400, interruptAfterTimeLimit: 3000 };

const formatChars = fc.constantFrom(...'%@\\-0123456789.ACDEFIJPRSUjlmpqrtxXNYabz \\n|é'.split(''));
const formatString = fc.array(formatChars, { maxLength: 30 }).map((cs) => cs.join(''));

const message = fc.record({
  // a topic a broker may send: no wildcards, no control characters (the client refuses those)
  topic: fc.string({ minLength: 1, maxLength: 20 }).filter((t) => !/[\u0000-\u001f\u007f-\u009f+#]/.test(t)),
  payload: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  qos: fc.constantFrom(0 as const, 1 as const, 2 as const),
  retain: fc.boolean(),
  withProps: fc.boolean(),
});

/** The message the client delivers for such a PUBLISH (through the real decoder and Session). */
function toMessage(m: { topic: string; payload: Buffer; qos: 0 | 1 | 2; retain: boolean; withProps: boolean }): ReceivedMessage {
  return received({
    topic: m.topic,
    payload: m.payload,
    qos: m.qos,
    retain: m.retain,
    packetId: 7,
    ...(m.withProps
      ? { properties: { contentType: 'c', correlationData: m.payload.subarray(0, 3), userProperties: [['k', 'v']], subscriptionIdentifiers: [3], topicAlias: 1 } }
      : {}),
  });
}

describe('-F parser and renderer', () => {
  it('rejects only with ArgvError, and renders every accepted format', () => {
    fc.assert(
      fc.property(formatString, message, (fmt, m) => {
        let tokens;
        try {
          tokens = parseFormat(fmt);
        } catch (e) {
          expect(e).toBeInstanceOf(ArgvError);
          return;
        }
        const sink = new ByteSink(4);
        renderFormat(sink, tokens, toMessage(m), { pretty: false, onInvalidJson: () => {}, clock: () => ({ sec: 1, ns: 2 }) });
        expect(sink.length).toBeGreaterThanOrEqual(0);
      }),
      RUN,
    );
  });
});

const jsonTree: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -1e9, max: 1e9 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 5 }), tie('v'), { maxKeys: 4 }),
  ),
})).v;

describe('cJSON model', () => {
  it('parses and re-prints JSON to the same value (compact and pretty)', () => {
    fc.assert(
      fc.property(jsonTree, fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        if (text.includes('\\u0000')) return; // a C string ends there; covered elsewhere
        const node = parseCJson(Buffer.from(text, 'utf8'));
        expect(node).toBeDefined();
        const sink = new ByteSink(4);
        printCJson(sink, node!, pretty);
        expect(JSON.parse(sink.take().toString('utf8'))).toEqual(value);
      }),
      RUN,
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const node = parseCJson(bytes);
        if (node) printCJson(new ByteSink(4), node, false);
      }),
      RUN,
    );
  });
});
