import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineSplitter, LineTooLong, readLines } from '../../src/cli/pub/line-reader.js';
import { publishLines, publishRepeated, StopRequest, type Publisher } from '../../src/cli/pub/modes.js';
import { PublishTracker } from '../../src/cli/pub/publish-tracker.js';
import type { PublishPlan } from '../../src/cli/pub/options.js';
import type { OutgoingMessage, PublishResult } from '../../src/client/types.js';
import { MqttToolError } from '../../src/errors.js';

async function lines(chunks: (string | Buffer)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const l of readLines(Readable.from(chunks.map((c) => Buffer.from(c))))) out.push(l.toString('latin1'));
  return out;
}

describe('line reader', () => {
  it('splits on \\n only, keeps \\r, keeps a last unterminated line, across chunk boundaries', async () => {
    expect(await lines(['a\nb', 'c\r\n\n', 'd'])).toEqual(['a', 'bc\r', '', 'd']);
    expect(await lines([])).toEqual([]);
    expect(await lines(['x\n'])).toEqual(['x']);
    expect(await lines(['lo', 'ng', ' line', '\n'])).toEqual(['long line']);
  });

  it('a line longer than the limit throws LineTooLong, counting lines, whether it ends or not', () => {
    const split = new LineSplitter(5);
    const got: string[] = [];
    split.push(Buffer.from('12345\nabc'), (l) => got.push(l.toString()));
    expect(got).toEqual(['12345']);
    expect(() => split.push(Buffer.from('def'), () => {})).toThrow(new LineTooLong(2, 5));
    const ended = new LineSplitter(3);
    expect(() => ended.push(Buffer.from('abcd\n'), () => {})).toThrow(LineTooLong);
  });

  it('keeps nothing of a chunk after push(): a reused read buffer cannot change a line in progress', () => {
    const split = new LineSplitter();
    const got: string[] = [];
    const buf = Buffer.from('ab\ncd');
    split.push(buf, (l) => got.push(l.toString()));
    buf.write('XXXXXX'); // the reader reuses its buffer for the next read
    split.push(Buffer.from('e\nf'), (l) => got.push(l.toString()));
    split.end((l) => got.push(l.toString()));
    expect(got).toEqual(['ab', 'cde', 'f']);
  });

  it('never decodes bytes', async () => {
    const out: Buffer[] = [];
    for await (const l of readLines(Readable.from([Buffer.from([0xff, 0x00, 0x0a, 0xc3])]))) out.push(l);
    expect(out).toEqual([Buffer.from([0xff, 0x00]), Buffer.from([0xc3])]);
  });
});

const plan = (over: Partial<PublishPlan> = {}): PublishPlan =>
  ({ topic: 't', qos: 1, retain: false, source: { kind: 'null' }, repeat: 1, repeatDelayMs: 0, input: 'raw', ...over }) as PublishPlan;
const noIo = () => ({ warns: [] as string[], warn(l: string) { this.warns.push(l); }, sleep: async () => {} });

function fakeClient(answer: (m: OutgoingMessage, n: number) => Promise<PublishResult>): Publisher & { sent: OutgoingMessage[] } {
  const sent: OutgoingMessage[] = [];
  return {
    sent,
    publish: (m) => {
      sent.push(m);
      return answer(m, sent.length);
    },
    writable: async () => {},
  };
}

describe('publish tracking', () => {
  it('all confirmed: verdict passes', async () => {
    const io = noIo();
    const t = new PublishTracker(io);
    const c = fakeClient(async () => ({ reasonCode: 0 }));
    await publishRepeated(c, plan({ repeat: 3 }), Buffer.from('x'), t, io);
    expect(c.sent).toHaveLength(3);
    expect(() => t.verdict()).not.toThrow();
  });

  it('a rejection warns like mosquitto and fails with PUBLISH_REJECTED and a count', async () => {
    const io = noIo();
    const t = new PublishTracker(io);
    const c = fakeClient(async (_m, n) => {
      if (n === 2) throw new MqttToolError('PUBLISH_REJECTED', 'no', { reasonCode: 0x87 });
      return { reasonCode: 0 };
    });
    await publishRepeated(c, plan({ repeat: 3 }), Buffer.from('x'), t, io);
    expect(io.warns).toEqual(['Warning: Publish 2 failed: Not authorized.']);
    expect(() => t.verdict()).toThrow(expect.objectContaining({ code: 'PUBLISH_REJECTED', count: 1 }));
  });

  it('messages lost with the link are counted as unconfirmed', async () => {
    const io = noIo();
    const t = new PublishTracker(io);
    const c = fakeClient(async (_m, n) => {
      if (n > 1) throw new MqttToolError('PUBLISH_UNCONFIRMED', 'lost');
      return { reasonCode: 0 };
    });
    const chunks = [Buffer.from('a\nb\n'), Buffer.from('c\n'), Buffer.from('d\n')];
    await publishLines(c, plan(), Readable.from(chunks), t, new StopRequest());
    // A chunk's lines go out together; nothing is read after a loss is known.
    expect(c.sent.map((m) => Buffer.from(m.payload).toString())).toEqual(['a', 'b']);
    expect(() => t.verdict()).toThrow(expect.objectContaining({ code: 'PUBLISH_UNCONFIRMED', count: 1 }));
  });

  it('-l at QoS 1/2 waits for room between small slices of a chunk; QoS 0 takes the chunk whole', async () => {
    // One 64 KiB chunk of 8-byte lines; count the lines published between writable() calls.
    const chunk = Buffer.from('line 01\n'.repeat(8192));
    for (const [qos, most] of [[1, 512], [0, 8192]] as const) {
      let since = 0;
      let largest = 0;
      const c = fakeClient(async () => ({ reasonCode: 0 }));
      const publish = c.publish;
      c.publish = (m) => {
        since++;
        return publish(m);
      };
      c.writable = async () => {
        largest = Math.max(largest, since);
        since = 0;
      };
      const t = new PublishTracker(noIo());
      await publishLines(c, plan({ qos }), Readable.from([chunk]), t, new StopRequest());
      largest = Math.max(largest, since);
      expect(c.sent).toHaveLength(8192);
      expect(largest).toBe(most);
    }
  });

  it('-l publishes every line in order with the plan\'s topic, QoS, retain and properties', async () => {
    const io = noIo();
    const t = new PublishTracker(io);
    const c = fakeClient(async () => ({ reasonCode: 0 }));
    const p = plan({ qos: 2, retain: true, properties: { contentType: 'x' } });
    await publishLines(c, p, Readable.from([Buffer.from('1\n2\n3')]), t, new StopRequest());
    expect(c.sent).toEqual(['1', '2', '3'].map((s) => ({
      topic: 't', payload: Buffer.from(s), qos: 2, retain: true, properties: { contentType: 'x' },
    })));
  });

  it('-l payloads are copies: a reader that reuses its buffer cannot change a message the client still holds', async () => {
    const c = fakeClient(async () => ({ reasonCode: 0 }));
    const buf = Buffer.alloc(8);
    async function* reused(): AsyncGenerator<Buffer> {
      for (const s of ['one\ntw', 'o\r\nthr', 'ee\n\n', 'last']) {
        const n = buf.write(s, 'latin1');
        yield buf.subarray(0, n);
        buf.fill(0x58); // overwritten before the next read, as stdin-chunks.ts does
      }
    }
    for (const qos of [0, 1] as const) {
      c.sent.length = 0;
      await publishLines(c, plan({ qos }), reused(), new PublishTracker(noIo()), new StopRequest());
      expect(c.sent.map((m) => Buffer.from(m.payload).toString('latin1'))).toEqual(['one', 'two\r', 'three', '', 'last']);
    }
  });

  it('a stop request ends -l without waiting for more input', async () => {
    const io = noIo();
    const t = new PublishTracker(io);
    const c = fakeClient(async () => ({ reasonCode: 0 }));
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('a\npartial');
      await new Promise(() => {}); // stdin that never ends
    }
    const stop = new StopRequest();
    const done = publishLines(c, plan(), endless(), t, stop);
    setTimeout(() => stop.request(), 20);
    await done;
    expect(c.sent.map((m) => Buffer.from(m.payload).toString())).toEqual(['a']); // the unfinished line is not sent
  });

  it('--repeat-delay publishes one at a time, sleeping between', async () => {
    const order: string[] = [];
    const io = { warn() {}, sleep: async (ms: number) => { order.push(`sleep ${ms}`); } };
    const t = new PublishTracker(io);
    const c = fakeClient(async () => { order.push('ack'); return { reasonCode: 0 }; });
    await publishRepeated(c, plan({ repeat: 2, repeatDelayMs: 100 }), Buffer.from('x'), t, io);
    expect(order).toEqual(['ack', 'sleep 100', 'ack']);
  });
});
