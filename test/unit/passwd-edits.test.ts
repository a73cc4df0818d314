// The password-file edits as streaming passes (edit-stream.ts, edits.ts):
// unknown lines come back byte for byte, an edit touches only the user's line
// and writes only the tail from the first changed line, corrupt lines are
// refused; plus a time-boxed fuzz of the parser (W10, like OSS-Fuzz's
// mosquitto_passwd_fuzz_load).
import fc from 'fast-check';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MqttToolError } from '../../src/errors.js';
import { streamEdit, type LineEdit } from '../../src/cli/passwd/edit-stream.js';
import { convertEdit, deleteUserEdit, isPlainForUpdate, setUserEdit } from '../../src/cli/passwd/edits.js';
import { scanLines } from '../../src/cli/passwd/line-scan.js';
import { parseLine, utf8ToBinary, type PasswdLine } from '../../src/cli/passwd/passwd-file.js';

const ARGON = '$argon2id$v=19$m=47104,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo';
const SAMPLE = Buffer.concat([
  Buffer.from('# managed by hand\n\nalice:$7$101$AAAAAAAAAAAAAAAA$xyz==\r\n'),
  Buffer.from(`zoe:${ARGON}\n   \t\n`),
  Buffer.from([0x6a, 0xc3, 0xa9, 0x3a, 0x70, 0x77, 0x0a]), // "jé:pw\n" in UTF-8
  Buffer.from(' bob : plain : extra \n#last comment without newline'),
]);
const FAST = { type: 'sha512-pbkdf2' as const, iterations: 1 };
const H = '\\$7\\$1\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==';
const warnings: string[] = [];
const warn = (l: string): void => void warnings.push(l);

const dir = mkdtempSync(join(tmpdir(), 'mqtt-passwd-edits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs an edit over `bytes` as a file; returns the new bytes, the offset it started writing at, or null for no change. */
async function edit(bytes: Uint8Array, e: LineEdit): Promise<{ text: string; offset: number } | null> {
  const f = join(dir, 'f');
  writeFileSync(f, bytes);
  const fd = openSync(f, 'r');
  const tail: Buffer[] = [];
  try {
    const r = await streamEdit(fd, e, (c) => void tail.push(Buffer.from(c)));
    if (!r) return null;
    return { text: Buffer.concat([Buffer.from(bytes).subarray(0, r.offset), ...tail]).toString('latin1'), offset: r.offset };
  } finally {
    closeSync(fd);
  }
}

function lines(bytes: Uint8Array): PasswdLine[] {
  const f = join(dir, 'lines');
  writeFileSync(f, bytes);
  const fd = openSync(f, 'r');
  try {
    return [...scanLines(fd)].map((s) => parseLine(s.raw, s.lineNo, s.eol));
  } finally {
    closeSync(fd);
  }
}

const sample = SAMPLE.toString('latin1');

describe('reading lines', () => {
  it('parses comments, blanks, CRLF, argon2id, UTF-8 and a missing final newline', () => {
    const ls = lines(SAMPLE);
    expect(ls.map((l) => l.kind)).toEqual(['comment', 'blank', 'entry', 'entry', 'blank', 'entry', 'entry', 'comment']);
    expect(ls.flatMap((l) => (l.kind === 'entry' ? [[l.username, l.hash]] : []))).toEqual([
      ['alice', '$7$101$AAAAAAAAAAAAAAAA$xyz=='],
      ['zoe', ARGON],
      [utf8ToBinary('jé'), 'pw'],
      ['bob', 'plain'],
    ]);
    expect(ls.at(-1)?.eol).toBe(false);
  });

  it.each([
    ['no colon', 'alice:x\nbroken line\n', 2],
    ['empty username', 'alice:x\n:hash\n', 2],
    ['empty hash', 'alice:\n', 1],
    ['indented comment is not a comment', '  # note\n', 1],
  ])('refuses a corrupt line (%s) with its line number, before writing anything', async (_name, text, line) => {
    const wrote: Buffer[] = [];
    const f = join(dir, 'bad');
    writeFileSync(f, text);
    const fd = openSync(f, 'r');
    await expect(streamEdit(fd, deleteUserEdit('alice', 'alice', warn), (c) => void wrote.push(c))).rejects.toThrow(`Corrupt password file at line ${line}.`);
    closeSync(fd);
    expect(wrote).toEqual([]);
  });
});

describe('edits', () => {
  it('set: rewrites the user where it is, keeps every other byte, writes from that line on', async () => {
    const r = await edit(SAMPLE, setUserEdit('zoe', Buffer.from('pw'), FAST, false, warn, () => {}));
    expect(r?.text).toMatch(new RegExp(`^${sample.slice(0, sample.indexOf('zoe:')).replace(/[$\r]/g, (c) => (c === '$' ? '\\$' : '\\r'))}zoe:${H}\\n   \\t\\n`));
    expect(r?.text.endsWith(sample.slice(sample.indexOf('   \t')))).toBe(true);
    expect(r?.offset).toBe(sample.indexOf('zoe:'));
  });

  it('set: appends a new user, adding the newline the old last line lacked, writing only that', async () => {
    const e = setUserEdit('carol', Buffer.from('pw'), FAST, false, warn, () => {});
    const r = await edit(SAMPLE, e);
    expect(r?.offset).toBe(SAMPLE.length);
    expect(r?.text).toMatch(new RegExp(`\\n#last comment without newline\\ncarol:${H}\\n$`));
    expect(e.added).toBe(true);
  });

  it('set: -c leaves only the user', async () => {
    const r = await edit(SAMPLE, setUserEdit('u', Buffer.from('pw'), FAST, true, warn, () => {}));
    expect(r?.offset).toBe(0);
    expect(r?.text).toMatch(new RegExp(`^u:${H}\\n$`));
  });

  it('set: argon2id when the file holds argon2id and neither -H nor -I was given', async () => {
    let used = '';
    await edit(SAMPLE, setUserEdit('new', Buffer.from('pw'), { ...FAST, followsFile: true }, false, warn, (s) => (used = s.type)));
    expect(used).toBe('argon2id');
    await edit(SAMPLE, setUserEdit('new', Buffer.from('pw'), FAST, false, warn, (s) => (used = s.type)));
    expect(used).toBe('sha512-pbkdf2');
  });

  it('delete: removes only that user (every line of it); a missing user changes nothing', async () => {
    const text = 'a:1\nb:2\na:3\n#c\n';
    expect((await edit(Buffer.from(text), deleteUserEdit('a', 'a', warn)))?.text).toBe('b:2\n#c\n');
    await expect(edit(Buffer.from(text), deleteUserEdit('zz', 'zz', warn))).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });

  it('matches usernames exactly (case and trimming as the broker does)', async () => {
    await expect(edit(SAMPLE, deleteUserEdit('Alice', 'Alice', warn))).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    expect((await edit(SAMPLE, deleteUserEdit('bob', 'bob', warn)))?.text).toBe(sample.replace(' bob : plain : extra \n', ''));
  });

  it('-U rewrites the plain lines (and the broken $7$ one), trimmed as mosquitto writes them', async () => {
    const r = await edit(SAMPLE, convertEdit(FAST, warn, () => {}));
    expect(r?.offset).toBe(sample.indexOf('alice:'));
    const want = ['# managed by hand', '', `alice:${H}`, `zoe:${ARGON.replace(/\$/g, '\\$')}`, '   \t', `${utf8ToBinary('jé')}:${H}`, `bob:${H}`, '#last comment without newline'];
    expect(r?.text).toMatch(new RegExp(`^${want.join('\\n')}$`));
  });

  it('-U: a field that parses as no known hash is a plain-text password (and said so)', () => {
    for (const f of ['hunter2', '$Summer$2024-secret', '$7$hunter2', '$6$x$y', '$argon2id$oops', '$5$rounds=5000$abcdefgh$0123456789']) expect(isPlainForUpdate(f)).toBe(true);
    for (const f of [ARGON, `$7$101$AAAAAAAAAAAAAAAA$${Buffer.alloc(64).toString('base64')}`]) expect(isPlainForUpdate(f)).toBe(false);
  });

  it('-U with nothing to hash writes nothing', async () => {
    expect(await edit(Buffer.from(`zoe:${ARGON}\n`), convertEdit(FAST, warn, () => {}))).toBeNull();
  });
});

describe('parser fuzz (W10)', () => {
  const lineArb = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('#comment', '', '  ', 'a:b', 'a:$7$101$x$y', `z:${ARGON}`, 'no-colon', ':x', 'x:'),
  );
  it('either refuses with PASSWORD_FILE_CORRUPT or edits one user leaving every other line as it was', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.array(lineArb, { maxLength: 12 }).map((ls) => Buffer.from(ls.join('\n')))), async (bytes) => {
        let ls: PasswdLine[];
        try {
          ls = lines(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(MqttToolError);
          expect((e as MqttToolError).code).toBe('PASSWORD_FILE_CORRUPT');
          return;
        }
        expect(ls.map((l) => (l.eol ? `${l.raw}\n` : l.raw)).join('')).toBe(Buffer.from(bytes).toString('latin1'));
        const first = ls.find((l) => l.kind === 'entry');
        if (!first || first.kind !== 'entry') return;
        const next = (await edit(bytes, deleteUserEdit(first.username, 'x', () => {})))?.text ?? '';
        for (const l of ls) if (l.kind !== 'entry' || l.username !== first.username) expect(next).toContain(l.raw);
      }),
      { numRuns: 1000, interruptAfterTimeLimit: 3000 },
    );
  });
});

describe('messages', () => {
  it('a username from the file reaches the terminal as UTF-8 with control characters escaped', async () => {
    warnings.length = 0;
    await edit(Buffer.from('j\u00e9\u001b[2J:$7$pw\n'), convertEdit(FAST, warn, () => {}));
    expect(warnings).toEqual(['Warning: Line 1: the password of user jé\\x1b[2J looks like a hash no broker reads; it is hashed as a plain-text password.']);
  });
});
