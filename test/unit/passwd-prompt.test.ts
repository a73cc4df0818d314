// Password entry from a pipe: mosquitto_passwd's prompts, line handling and
// statuses (the terminal side is covered end to end in passwd-tty.test.ts).
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inputLines, promptPassword, readPasswordLine } from '../../src/cli/passwd/prompt.js';

function io(input: string | Buffer[]) {
  const out = new PassThrough();
  let written = '';
  out.on('data', (d: Buffer) => (written += d.toString()));
  const chunks = typeof input === 'string' ? [Buffer.from(input)] : input;
  return { io: { input: Readable.from(chunks), output: out }, written: () => written };
}

describe('promptPassword from a pipe', () => {
  it('asks twice on stdout and returns the password', async () => {
    const t = io('s3cret\ns3cret\n');
    expect((await promptPassword(true, t.io)).toString()).toBe('s3cret');
    expect(t.written()).toBe('Password: \nReenter password: \n');
  });

  it('refuses a mismatch with PASSWORD_MISMATCH (exit 2)', async () => {
    const t = io('a\nb\n');
    await expect(promptPassword(true, t.io)).rejects.toMatchObject({ code: 'PASSWORD_MISMATCH', message: 'Passwords do not match.' });
  });

  it.each([[''], ['\n'], ['\r\n']])('refuses empty input %j: "Empty password."', async (text) => {
    const t = io(text);
    await expect(promptPassword(true, t.io)).rejects.toMatchObject({ code: 'USAGE', message: 'Empty password.' });
    expect(t.written()).toBe('Password: ');
  });

  it('strips CRLF and reads lines split across chunks', async () => {
    const t = io([Buffer.from('pa'), Buffer.from('ss\r'), Buffer.from('\npass\r\n')]);
    expect((await promptPassword(true, t.io)).toString()).toBe('pass');
  });

  it('keeps the bytes as given (no UTF-8 round trip)', async () => {
    const raw = Buffer.from([0xff, 0xfe, 0x41]);
    const t = io([Buffer.concat([raw, Buffer.from('\n'), raw, Buffer.from('\n')])]);
    expect((await promptPassword(true, t.io)).equals(raw)).toBe(true);
  });
});

describe('readPasswordLine (--stdin)', () => {
  it('takes the first line only', async () => {
    expect((await readPasswordLine(Readable.from([Buffer.from('one\ntwo\n')]))).toString()).toBe('one');
    expect((await readPasswordLine(Readable.from([Buffer.from('no newline')]))).toString()).toBe('no newline');
  });
  it('refuses empty input', async () => {
    await expect(readPasswordLine(Readable.from([Buffer.from('')]))).rejects.toMatchObject({ message: 'Empty password.' });
  });
  it('inputLines yields every line', async () => {
    const got: string[] = [];
    for await (const l of inputLines(Readable.from([Buffer.from('a\nb\r\n\nc')]))) got.push(l.toString());
    expect(got).toEqual(['a', 'b', '', 'c']);
  });
});
