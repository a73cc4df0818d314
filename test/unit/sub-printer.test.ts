// Default / -v / -N output forms, --output encodings, terminal safety and the
// batching writer.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../src/client/types.js';
import { ByteSink, OutputWriter } from '../../src/cli/sub/output.js';
import { createPrinter, type PrintOptions } from '../../src/cli/sub/printer.js';
import { isTerminalSafe, writeTerminalSafe } from '../../src/cli/sub/terminal-safety.js';
import { parseFormat } from '../../src/cli/sub/format-parse.js';

function msg(topic: string, payload: Buffer | string): ReceivedMessage {
  return { topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false, properties: {} };
}

function print(messages: ReceivedMessage[], o: Partial<PrintOptions> = {}): Buffer {
  const sink = new ByteSink(4);
  const p = createPrinter(sink, { mode: 'default', eol: true, pretty: false, encoding: 'raw', escapeControls: false, onInvalidJson: () => {}, ...o });
  messages.forEach(p);
  return sink.take();
}

describe('default and -v forms (mosquitto §7.2)', () => {
  const ms = [msg('a/b', 'one'), msg('a/c', ''), msg('a d', Buffer.from([0, 0x1b, 0xff]))];

  it('default: payload + newline; empty payload prints nothing at all', () => {
    expect(print(ms)).toEqual(Buffer.from([...Buffer.from('one\n'), 0, 0x1b, 0xff, 0x0a]));
  });
  it('-N: no newline', () => {
    expect(print(ms, { eol: false })).toEqual(Buffer.from([...Buffer.from('one'), 0, 0x1b, 0xff]));
  });
  it('-v: topic space payload; empty payload is "topic (null)"', () => {
    expect(print(ms, { mode: 'verbose' })).toEqual(Buffer.from([...Buffer.from('a/b one\na/c (null)\na d '), 0, 0x1b, 0xff, 0x0a]));
  });
  it('-v -N: empty payload prints nothing', () => {
    expect(print(ms, { mode: 'verbose', eol: false })).toEqual(Buffer.from([...Buffer.from('a/b onea d '), 0, 0x1b, 0xff]));
  });
  it('--output hex / base64', () => {
    expect(print(ms, { encoding: 'hex' }).toString()).toBe('6f6e65\n001bff\n');
    expect(print(ms, { mode: 'verbose', encoding: 'base64' }).toString()).toBe('a/b b25l\na/c (null)\na d ABv/\n');
  });
  it('-F with -N and without', () => {
    expect(print([msg('t', 'p')], { mode: 'format', format: [{ kind: 'text', bytes: Buffer.from('x') }] }).toString()).toBe('x\n');
    expect(print([msg('t', 'p')], { mode: 'format', format: [], eol: false }).toString()).toBe('');
  });
  it('--json: one line per message', () => {
    const out = print([msg('t', 'p'), msg('u', Buffer.from([0xff]))], { mode: 'json' }).toString();
    const lines = out.split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[1]!)).toMatchObject({ topic: 'u', payload: '/w==', encoding: 'base64' });
  });
});

describe('terminal safety', () => {
  const safe = (b: number[] | string): string => {
    const sink = new ByteSink(2);
    writeTerminalSafe(sink, Buffer.from(b as never));
    return sink.take().toString('latin1');
  };
  it('passes printable text, UTF-8, tab and newline', () => {
    expect(isTerminalSafe(Buffer.from('héllo\tworld\n😀'))).toBe(true);
    expect(safe('héllo\tw\n')).toBe(Buffer.from('héllo\tw\n').toString('latin1'));
  });
  it('escapes ESC, other C0 controls, DEL, C1 controls and invalid UTF-8', () => {
    expect(safe('\x1b]0;pwned\x07x')).toBe('\\x1b]0;pwned\\x07x');
    expect(safe([0x0d, 0x7f, 0x00])).toBe('\\x0d\\x7f\\x00');
    expect(safe([0xc2, 0x9b, 0x41])).toBe('\\xc2\\x9bA');
    expect(safe([0xff, 0xc3, 0x41, 0xed, 0xa0, 0x80])).toBe('\\xffA'.replace('A', '\\xc3A') + '\\xed\\xa0\\x80');
  });
  it('applies to topics and payloads in -v form', () => {
    const out = print([msg('a\x1b[2Jb', 'p\x1b[31m')], { mode: 'verbose', escapeControls: true }).toString();
    expect(out).toBe('a\\x1b[2Jb p\\x1b[31m\n');
  });
  it('-F: escapes the message\'s own bytes (topic, payload, properties) but never the format\'s literal text', () => {
    const m = msg('a\x1bb', 'p\x1b[2J');
    m.properties = { contentType: 'c\x07', responseTopic: 'r\x1b', userProperties: [['k\x1b', 'v']], correlationData: Buffer.from([0x1b, 0x41]) };
    // The user's own colour codes in the format stay; a width counts the escaped bytes.
    const format = parseFormat('\\e[1m%t\\e[0m %p|%C|%R|%P|%D|%-12p|');
    const out = print([m], { mode: 'format', format, escapeControls: true }).toString('latin1');
    expect(out).toBe('\x1b[1ma\\x1bb\x1b[0m p\\x1b[2J|c\\x07|r\\x1b|k\\x1b:v|\\x1bA|p\\x1b[2J    |\n');
    // Not on a terminal (or with --raw): byte for byte, as mosquitto_sub.
    expect(print([m], { mode: 'format', format: parseFormat('%t %p'), escapeControls: false })).toEqual(Buffer.from('a\x1bb p\x1b[2J\n'));
  });
});

describe('OutputWriter', () => {
  it('batches messages into one write and flushes when idle', async () => {
    const writes: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, cb) {
        writes.push(chunk);
        cb();
      },
    });
    const w = new OutputWriter(out);
    for (let i = 0; i < 100; i++) {
      w.ascii(`${i}\n`);
      expect(w.endMessage()).toBeUndefined();
    }
    expect(writes).toHaveLength(0);
    await w.written();
    expect(writes).toHaveLength(1);
    expect(writes[0]!.toString().split('\n')).toHaveLength(101);
  });

  it('never reports a failed write as written', async () => {
    const out = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('EPIPE'), { code: 'EPIPE' }));
      },
    });
    out.on('error', () => {});
    const w = new OutputWriter(out);
    w.ascii('lost\n');
    let written = false;
    void w.written().then(() => (written = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(written).toBe(false);
  });

  it('asks the caller to wait when the stream is backed up', async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    const w = new OutputWriter(out);
    w.repeat(0x41, 300 * 1024);
    const wait = w.endMessage();
    expect(wait).toBeInstanceOf(Promise);
    let drained = false;
    void wait!.then(() => (drained = true));
    out.resume();
    await wait;
    expect(drained).toBe(true);
  });
});
