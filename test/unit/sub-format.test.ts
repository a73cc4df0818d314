// The -F formatter: every %, @ and \ sequence with flags, width and precision,
// against strings derived from mosquitto 2.0.x (docs, source reading and
// observed output; see shared/reference/mosquitto-clients.md §7.3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../src/client/types.js';
import { parseFormat } from '../../src/cli/sub/format-parse.js';
import { renderFormat } from '../../src/cli/sub/format-render.js';
import { ByteSink } from '../../src/cli/sub/output.js';
import { MqttToolError } from '../../src/errors.js';
import { now, type Instant } from '../../src/cli/sub/time-format.js';
import { received, type Arrival } from '../helpers/received-message.js';

const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'UTC';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const CLOCK: Instant = { sec: 1795607301, ns: 621805277 }; // 2026-11-25T11:48:21Z

/** What the client delivers for a PUBLISH with these fields (retained 'notjson' on t/ret2 unless overridden). */
function msg(over: Arrival = {}): ReceivedMessage {
  return received({ topic: 't/ret2', payload: 'notjson', retain: true, ...over });
}

function fmt(format: string, m: ReceivedMessage = msg(), opts: { pretty?: boolean; clock?: Instant } = {}): Buffer {
  const sink = new ByteSink(16);
  const invalid: string[] = [];
  renderFormat(sink, parseFormat(format), m, {
    pretty: opts.pretty ?? false,
    onInvalidJson: (t) => invalid.push(t),
    clock: () => opts.clock ?? CLOCK,
  });
  return sink.take();
}
const f = (format: string, m?: ReceivedMessage): string => fmt(format, m).toString('latin1');

describe('-F text from argv', () => {
  it('keeps bytes that were not UTF-8 on the command line (surrogate-escaped by argv-bytes.ts)', () => {
    expect(fmt(`\udcff%t\udcfe`).toString('hex')).toBe(Buffer.concat([Buffer.of(0xff), Buffer.from(f('%t'), 'latin1'), Buffer.of(0xfe)]).toString('hex'));
  });
});

describe('-F parsing errors (mosquitto texts)', () => {
  const cases: Array<[string, string]> = [
    ['%', 'Incomplete format specifier.'],
    ['%0', 'Incomplete format specifier.'],
    ['%-', 'Incomplete format specifier.'],
    ['%1', 'Incomplete format specifier.'],
    ['%.', 'Incomplete format specifier.'],
    ['%.1', 'Incomplete format specifier.'],
    ['%10.', 'Incomplete format specifier.'],
    ['%Z', "Invalid format specifier 'Z'."],
    ['%0-5t', "Invalid format specifier '5'."], // 2.1's flag grammar (2.0.11 names the '-')
    ['abc@', 'Incomplete format specifier.'],
    ['@', 'Incomplete format specifier.'],
    ['\\', 'Incomplete escape specifier.'],
    ['\\Z', "Invalid escape specifier 'Z'."],
    ['\\x41', "Invalid escape specifier 'x'."],
    ['%2147483647t', 'Format width too large (at most 65535).'],
    ['%-65536p', 'Format width too large (at most 65535).'],
  ];
  it.each(cases)('%j rejects %j', (format, message) => {
    let err: unknown;
    try {
      parseFormat(format);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MqttToolError);
    expect((err as MqttToolError).code).toBe('USAGE');
    expect((err as MqttToolError).message).toBe(message);
  });

  it('accepts every documented sequence', () => {
    expect(() => parseFormat('%%%A%C%D%E%F%I%J%P%R%S%U%j%l%m%p%q%r%t%x%X@@@Y@N\\\\\\0\\a\\e\\n\\r\\t\\v')).not.toThrow();
  });
});

describe('-F rendering', () => {
  it('matches the observed 2.0.11 example (with TZ=UTC)', () => {
    expect(f('[%10t|%-10t|%.3t|%5l|%05l|%-5l|%x|%X|%r|%q|%m|%I|%U|%%|@@|\\t]')).toBe(
      '[    t/ret2|t/ret2    |t/r|    7|00007|7    |6e6f746a736f6e|6E6F746A736F6E|1|0|0|2026-11-25T11:48:21+0000|1795607301.621805277|%|@|\t]',
    );
  });

  it('copies plain text and escapes', () => {
    expect(fmt('a\\\\b\\0c\\ad\\ee\\nf\\rg\\th\\vi')).toEqual(
      Buffer.from('a\\b\0c\x07d\x1be\nf\rg\th\x0bi', 'latin1'),
    );
  });

  it('%t: width, left, precision, zero ignored', () => {
    expect(f('[%8t]')).toBe('[  t/ret2]');
    expect(f('[%-8t]')).toBe('[t/ret2  ]');
    expect(f('[%08t]')).toBe('[  t/ret2]');
    expect(f('[%.2t]')).toBe('[t/]');
    expect(f('[%6.2t]')).toBe('[    t/]');
    expect(f('[%-6.2t]')).toBe('[t/    ]');
    expect(f('[%.0t]')).toBe('[]');
    expect(f('[%.t]')).toBe('[]');
    expect(f('[%3t]')).toBe('[t/ret2]');
  });

  it('%t counts bytes, as printf does', () => {
    const m = msg({ topic: 'é/x' }); // 4 bytes
    expect(fmt('[%5t]', m)).toEqual(Buffer.from('[ é/x]'));
    expect(fmt('[%.1t]', m)).toEqual(Buffer.from([0x5b, 0xc3, 0x5d]));
  });

  it('%p: raw bytes; width pads and truncates; zero pads; precision ignored', () => {
    expect(f('[%p]')).toBe('[notjson]');
    expect(f('[%10p]')).toBe('[   notjson]');
    expect(f('[%-10p]')).toBe('[notjson   ]');
    expect(f('[%010p]')).toBe('[000notjson]');
    expect(f('[%-010p]')).toBe('[notjson   ]');
    // printf("%*s", -len, ""): no width + '-' pads with one space per byte (observed 2.0.11)
    expect(f('[%-p]')).toBe('[notjson       ]');
    expect(f('[%-0p]')).toBe('[notjson       ]');
    expect(f('[%3p]')).toBe('[not]');
    expect(f('[%.2p]')).toBe('[notjson]');
    const bin = msg({ payload: Buffer.from([0, 1, 0xff, 0x1b]) });
    expect(fmt('%p', bin)).toEqual(Buffer.from([0, 1, 0xff, 0x1b]));
  });

  it('%x/%X: width pads without truncating (the fixed behaviour)', () => {
    expect(f('[%x]')).toBe('[6e6f746a736f6e]');
    expect(f('[%16x]')).toBe('[  6e6f746a736f6e]');
    expect(f('[%016X]')).toBe('[006E6F746A736F6E]');
    expect(f('[%-16x]')).toBe('[6e6f746a736f6e  ]');
    expect(f('[%12x]')).toBe('[6e6f746a736f6e]');
    expect(f('[%-12x]')).toBe('[6e6f746a736f6e]');
    expect(f('[%-x]')).toBe('[6e6f746a736f6e       ]');
    expect(f('[%x]', msg({ payload: Buffer.from([0, 0x0f, 0xa0]) }))).toBe('[000fa0]');
    expect(f('[%X]', msg({ payload: Uint8Array.from([0, 0x0f, 0xa0]) }))).toBe('[000FA0]');
    expect(f('[%x]', msg({ payload: Uint8Array.from([0xde, 0xad]) }))).toBe('[dead]');
  });

  it('%l %m: width, zero, left', () => {
    expect(f('[%l|%3l|%-3l|%03l|%-03l]')).toBe('[7|  7|7  |007|7  ]');
    const q1 = msg({ qos: 1, packetId: 42 });
    expect(f('[%m|%5m|%05m|%-5m]', q1)).toBe('[42|   42|00042|42   ]');
    expect(f('[%m]')).toBe('[0]');
  });

  it('%q %r: no width', () => {
    expect(f('[%5q|%5r]', msg({ qos: 2, retain: false }))).toBe('[2|0]');
  });

  it('%I: width and precision like a string', () => {
    expect(f('[%I]')).toBe('[2026-11-25T11:48:21+0000]');
    expect(f('[%.10I]')).toBe('[2026-11-25]');
    expect(f('[%26I]')).toBe('[  2026-11-25T11:48:21+0000]');
    expect(f('[%-26I]')).toBe('[2026-11-25T11:48:21+0000  ]');
  });

  it('%U: seconds and nine-digit nanoseconds, no width', () => {
    expect(fmt('%30U', msg(), { clock: { sec: 5, ns: 7 } }).toString()).toBe('5.000000007');
  });

  it('@ sequences: strftime on local time, @N nanoseconds, @@', () => {
    expect(f('@Y-@m-@dT@H:@M:@S @N @@')).toBe('2026-11-25T11:48:21 621805277 @');
    expect(f('@a @A @b @B @h @C @y @e @j @u @w')).toBe('Wed Wednesday Nov November Nov 20 26 25 329 3 3');
    expect(f('@D|@F|@T|@R|@r|@x|@X|@p|@P|@I|@l|@k')).toBe('11/25/26|2026-11-25|11:48:21|11:48|11:48:21 AM|11/25/26|11:48:21|AM|am|11|11|11');
    expect(f('@c')).toBe('Wed Nov 25 11:48:21 2026');
    expect(f('@s|@z|@Z|@%|@n|@t')).toBe('1795607301|+0000|UTC|%|\n|\t');
    expect(f('@U|@W|@V|@G|@g')).toBe('47|47|48|2026|26');
    expect(f('@Q')).toBe('%Q');
  });

  it('@ sequences follow the local zone', () => {
    process.env.TZ = 'Asia/Kolkata';
    try {
      // (another second: formatted dates are cached per second, and a process never changes zone)
      const later = { sec: CLOCK.sec + 1, ns: 0 };
      expect(fmt('%I @H:@M @z', msg(), { clock: later }).toString()).toBe('2026-11-25T17:18:22+0530 17:18 +0530');
    } finally {
      process.env.TZ = 'UTC';
    }
  });

  it('ISO week edge cases', () => {
    // 2021-01-01 (Friday) belongs to 2020-W53; 2024-12-30 (Monday) to 2025-W01.
    const at = (iso: string): Instant => ({ sec: Date.parse(iso) / 1000, ns: 0 });
    expect(fmt('@G-@V @U @W', msg(), { clock: at('2021-01-01T12:00:00Z') }).toString()).toBe('2020-53 00 00');
    expect(fmt('@G-@V', msg(), { clock: at('2024-12-30T12:00:00Z') }).toString()).toBe('2025-01');
    expect(fmt('@j', msg(), { clock: at('2024-12-31T12:00:00Z') }).toString()).toBe('366');
  });
});

describe('MQTT 5 property sequences', () => {
  const v5 = msg({
    properties: {
      topicAlias: 3,
      contentType: 'text/plain',
      correlationData: Buffer.from([0x63, 0, 0xff]),
      messageExpiryInterval: 100,
      payloadFormatIndicator: 1,
      userProperties: [
        ['k1', 'v1'],
        ['k1', 'v2'],
        ['a b', 'c:d'],
      ],
      responseTopic: 'r/t',
      subscriptionIdentifiers: [7, 9],
    },
  });

  it('prints present properties with widths', () => {
    expect(f('[%A|%3A|%03A|%-3A]', v5)).toBe('[3|  3|003|3  ]');
    expect(f('[%C|%12C|%-12C|%.4C]', v5)).toBe('[text/plain|  text/plain|text/plain  |text]');
    expect(fmt('[%D]', v5)).toEqual(Buffer.from([0x5b, 0x63, 0, 0xff, 0x5d]));
    expect(f('[%E|%5E|%05E|%-5E]', v5)).toBe('[100|  100|00100|100  ]');
    expect(f('[%F|%3F|%03F]', v5)).toBe('[1|  1|001]');
    expect(f('[%P]', v5)).toBe('[k1:v1 k1:v2 a b:c:d]');
    expect(f('[%R|%5R|%-5R|%.1R]', v5)).toBe('[r/t|  r/t|r/t  |r]');
    expect(f('[%S|%3S|%03S|%-3S]', v5)).toBe('[7|  7|007|7  ]');
  });

  it('absent properties: blanks of the width, zero pad where numeric, nothing for %D %P %R', () => {
    expect(f('[%A|%3A|%03A|%-03A]')).toBe('[|   |000|000]');
    expect(f('[%C|%3C|%03C]')).toBe('[|   |   ]');
    expect(f('[%D|%5D]')).toBe('[|]');
    expect(f('[%E|%2E|%02E]')).toBe('[|  |00]');
    expect(f('[%F|%2F|%02F]')).toBe('[|  |00]');
    expect(f('[%P]')).toBe('[]');
    expect(f('[%R|%5R]')).toBe('[|]');
    expect(f('[%S|%2S|%02S]')).toBe('[|  |00]');
  });

  it('a 32-bit expiry above INT_MAX prints as C int', () => {
    expect(f('%E', msg({ properties: { messageExpiryInterval: 4294967295 } }))).toBe('-1');
    expect(f('%05E', msg({ properties: { messageExpiryInterval: 4294967295 } }))).toBe('-0001');
  });
});

describe('clock', () => {
  it('reads the wall clock, with nanoseconds in range', () => {
    for (let i = 0; i < 100; i++) {
      const t = now();
      expect(Math.abs(t.sec * 1000 + t.ns / 1e6 - Date.now())).toBeLessThan(5);
      expect(t.ns).toBeGreaterThanOrEqual(0);
      expect(t.ns).toBeLessThan(1e9);
      expect(Number.isInteger(t.ns)).toBe(true);
    }
  });
});
