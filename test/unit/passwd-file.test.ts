// The password file model: unknown lines round-trip byte for byte, edits touch
// only the user's line, corrupt lines are refused; plus a time-boxed fuzz of the
// parser (W10, like OSS-Fuzz's mosquitto_passwd_fuzz_load).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MqttToolError } from '../../src/errors.js';
import {
  deleteUser,
  entries,
  findUser,
  parsePasswdFile,
  rehashEntries,
  serialisePasswdFile,
  setUser,
  singleUserFile,
  utf8ToBinary,
} from '../../src/cli/passwd/passwd-file.js';

const ARGON = '$argon2id$v=19$m=47104,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo';
const SAMPLE = Buffer.concat([
  Buffer.from('# managed by hand\n\nalice:$7$101$AAAAAAAAAAAAAAAA$xyz==\r\n'),
  Buffer.from(`zoe:${ARGON}\n   \t\n`),
  Buffer.from([0x6a, 0xc3, 0xa9, 0x3a, 0x70, 0x77, 0x0a]), // "jé:pw\n" in UTF-8
  Buffer.from(' bob : plain : extra \n#last comment without newline'),
]);

describe('parsePasswdFile / serialisePasswdFile', () => {
  it('round-trips comments, blanks, CRLF, argon2id, UTF-8 and a missing final newline byte for byte', () => {
    const file = parsePasswdFile(SAMPLE);
    expect(serialisePasswdFile(file).equals(SAMPLE)).toBe(true);
    expect(entries(file).map((e) => e.username)).toEqual(['alice', 'zoe', utf8ToBinary('jé'), 'bob']);
    expect(findUser(file, 'bob')?.hash).toBe('plain');
    expect(findUser(file, 'alice')?.hash).toBe('$7$101$AAAAAAAAAAAAAAAA$xyz==');
  });

  it('treats an empty file as no lines', () => {
    expect(parsePasswdFile(Buffer.alloc(0)).lines).toEqual([]);
    expect(serialisePasswdFile(parsePasswdFile(Buffer.alloc(0)))).toHaveLength(0);
  });

  it.each([
    ['no colon', 'alice:x\nbroken line\n', 2],
    ['empty username', 'alice:x\n:hash\n', 2],
    ['empty hash', 'alice:\n', 1],
    ['indented comment is not a comment', '  # note\n', 1],
  ])('refuses a corrupt line (%s) with its line number', (_name, text, line) => {
    expect(() => parsePasswdFile(Buffer.from(text))).toThrow(`Corrupt password file at line ${line}.`);
  });
});

describe('edits', () => {
  const file = parsePasswdFile(SAMPLE);

  it('setUser rewrites the user in place and keeps every other byte', () => {
    const { file: next, added } = setUser(file, 'zoe', 'NEWHASH');
    expect(added).toBe(false);
    const expected = Buffer.from(SAMPLE.toString('latin1').replace(`zoe:${ARGON}`, 'zoe:NEWHASH'), 'latin1');
    expect(serialisePasswdFile(next).equals(expected)).toBe(true);
  });

  it('setUser appends a new user, adding the newline the old last line lacked', () => {
    const { file: next, added } = setUser(file, 'carol', 'H');
    expect(added).toBe(true);
    expect(serialisePasswdFile(next).toString('latin1')).toBe(`${SAMPLE.toString('latin1')}\ncarol:H\n`);
  });

  it('deleteUser removes only that user (every line of it)', () => {
    const dup = parsePasswdFile(Buffer.from('a:1\nb:2\na:3\n#c\n'));
    const { file: next, removed } = deleteUser(dup, 'a');
    expect(removed).toBe(2);
    expect(serialisePasswdFile(next).toString()).toBe('b:2\n#c\n');
    expect(deleteUser(dup, 'zz').removed).toBe(0);
  });

  it('matches usernames exactly (case and trimming as the broker does)', () => {
    expect(findUser(file, 'Alice')).toBeUndefined();
    expect(findUser(file, ' bob ')).toBeUndefined();
    expect(findUser(file, 'bob')).toBeDefined();
  });

  it('rehashEntries rewrites only the given lines, trimmed as mosquitto writes them', () => {
    const bob = findUser(file, 'bob');
    const next = rehashEntries(file, new Map([[bob?.lineNo as number, 'HASHED']]));
    const expected = Buffer.from(SAMPLE.toString('latin1').replace(' bob : plain : extra ', 'bob:HASHED'), 'latin1');
    expect(serialisePasswdFile(next).equals(expected)).toBe(true);
  });

  it('singleUserFile is one line', () => {
    expect(serialisePasswdFile(singleUserFile('u', 'h')).toString()).toBe('u:h\n');
  });
});

describe('parser fuzz (W10)', () => {
  const lineArb = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('#comment', '', '  ', 'a:b', 'a:$7$101$x$y', `z:${ARGON}`, 'no-colon', ':x', 'x:'),
  );
  it('either refuses with PASSWORD_FILE_CORRUPT or round-trips exactly, for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.array(lineArb, { maxLength: 12 }).map((ls) => Buffer.from(ls.join('\n')))), (bytes) => {
        let file;
        try {
          file = parsePasswdFile(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(MqttToolError);
          expect((e as MqttToolError).code).toBe('PASSWORD_FILE_CORRUPT');
          return;
        }
        expect(serialisePasswdFile(file).equals(Buffer.from(bytes))).toBe(true);
        // An edit of one user leaves every other line as it was.
        const first = entries(file)[0];
        if (first) {
          const next = serialisePasswdFile(setUser(file, first.username, 'H').file).toString('latin1');
          for (const l of file.lines) if (l.kind !== 'entry' || l.username !== first.username) expect(next).toContain(l.raw);
        }
      }),
      { numRuns: 2000, interruptAfterTimeLimit: 3000 },
    );
  });
});
