// Hashes: layouts the 2.0.x broker accepts, cross-checked against an
// independent PBKDF2 (written here over HMAC) and SHA-512, and against
// hashes made by mosquitto_passwd itself (W8).
import { createHash, createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PBKDF2_ITERATIONS,
  decodeBase64Strict,
  hashMany,
  hashPassword,
  parseHashField,
  verifyPassword,
} from '../../src/cli/passwd/hash.js';

/** RFC 8018 PBKDF2 over HMAC-SHA512, block by block: independent of crypto.pbkdf2. */
function referencePbkdf2(password: Buffer, salt: Buffer, iterations: number, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 1; blocks.length * 64 < length; i++) {
    const index = Buffer.alloc(4);
    index.writeUInt32BE(i);
    let u = createHmac('sha512', password).update(salt).update(index).digest();
    const t = Buffer.from(u);
    for (let n = 1; n < iterations; n++) {
      u = createHmac('sha512', password).update(u).digest();
      for (let k = 0; k < t.length; k++) t[k] = (t[k] as number) ^ (u[k] as number);
    }
    blocks.push(t);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

const PBKDF2_LINE = /^\$7\$(\d+)\$([A-Za-z0-9+/]{16})\$([A-Za-z0-9+/]{86}==)$/;
const SHA512_LINE = /^\$6\$([A-Za-z0-9+/]{16})\$([A-Za-z0-9+/]{86}==)$/;

describe('hashPassword', () => {
  it('writes $7$ with 210000 iterations, a 12-byte salt and a 64-byte PBKDF2-HMAC-SHA512 by default', async () => {
    const pw = Buffer.from('correct horse');
    const field = await hashPassword(pw, { type: 'sha512-pbkdf2', iterations: DEFAULT_PBKDF2_ITERATIONS });
    const m = PBKDF2_LINE.exec(field);
    expect(m).not.toBeNull();
    const [, iterations, salt, hash] = m as unknown as [string, string, string, string];
    expect(Number(iterations)).toBe(210_000);
    expect(Buffer.from(salt, 'base64')).toHaveLength(12);
    expect(referencePbkdf2(pw, Buffer.from(salt, 'base64'), 210_000, 64).toString('base64')).toBe(hash);
    expect(await verifyPassword(pw, field)).toBe(true);
  });

  it('matches an independent PBKDF2 for a given salt and iteration count', async () => {
    const salt = Buffer.from('0123456789ab');
    for (const [pw, iterations] of [['', 1], ['pässwörd', 101], ['x'.repeat(200), 1000]] as const) {
      const field = await hashPassword(Buffer.from(pw), { type: 'sha512-pbkdf2', iterations }, salt);
      const expected = referencePbkdf2(Buffer.from(pw), salt, iterations, 64).toString('base64');
      expect(field).toBe(`$7$${iterations}$${salt.toString('base64')}$${expected}`);
    }
  });

  it('writes $6$ as SHA-512(password ‖ salt) with a 12-byte salt', async () => {
    const salt = Buffer.from('saltsaltsalt');
    const field = await hashPassword(Buffer.from('pw'), { type: 'sha512', iterations: 1 }, salt);
    const digest = createHash('sha512').update(Buffer.concat([Buffer.from('pw'), salt])).digest('base64');
    expect(field).toBe(`$6$${salt.toString('base64')}$${digest}`);
    expect(field).toMatch(SHA512_LINE);
  });

  it('uses a fresh salt every time (1000 entries, no repeats)', async () => {
    const fields = await hashMany(Array.from({ length: 1000 }, () => Buffer.from('same')), { type: 'sha512', iterations: 1 });
    const salts = new Set(fields.map((f) => f.split('$')[2]));
    expect(salts.size).toBe(1000);
  });

  it('hashMany keeps the order of its inputs', async () => {
    const pws = Array.from({ length: 40 }, (_, i) => Buffer.from(`pw${i}`));
    const fields = await hashMany(pws, { type: 'sha512-pbkdf2', iterations: 5 });
    for (let i = 0; i < pws.length; i++) expect(await verifyPassword(pws[i] as Buffer, fields[i] as string)).toBe(true);
    expect(await verifyPassword(Buffer.from('pw1'), fields[0] as string)).toBe(false);
  });

  it('hashMany on worker threads too (enough work to start them) gives every key right, in order', async () => {
    const pws = Array.from({ length: 300 }, (_, i) => Buffer.from(`pool-${i}-${'x'.repeat(i % 70)}`));
    let last = 0;
    const fields = await hashMany(pws, { type: 'sha512-pbkdf2', iterations: 1000 }, (done) => (last = done));
    expect(last).toBe(300);
    for (const i of [0, 1, 150, 298, 299]) {
      const [, , iterations, salt, hash] = (fields[i] as string).split('$');
      expect(iterations).toBe('1000');
      expect(referencePbkdf2(pws[i] as Buffer, Buffer.from(salt as string, 'base64'), 1000, 64).toString('base64')).toBe(hash);
    }
    for (let i = 0; i < pws.length; i++) expect(await verifyPassword(pws[i] as Buffer, fields[i] as string)).toBe(true);
  });

  it('bcrypt: cost from the spec, verifies, refuses more than 72 bytes', async () => {
    const field = await hashPassword(Buffer.from('secret'), { type: 'bcrypt', iterations: 4 });
    expect(field).toMatch(/^\$2b\$04\$[./A-Za-z0-9]{53}$/);
    expect(await verifyPassword(Buffer.from('secret'), field)).toBe(true);
    expect(await verifyPassword(Buffer.from('Secret'), field)).toBe(false);
    await expect(hashPassword(Buffer.alloc(73, 97), { type: 'bcrypt', iterations: 4 })).rejects.toMatchObject({ code: 'UNSUPPORTED_HASH' });
  });
});

describe('verifyPassword against mosquitto_passwd output', () => {
  it('accepts the right password and refuses a wrong one for $6$ and $7$ made by mosquitto_passwd', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'passwd-hash-'));
    try {
      const file = join(dir, 'pw');
      execFileSync('mosquitto_passwd', ['-c', '-b', file, 'alice', 'wonderland']);
      execFileSync('mosquitto_passwd', ['-H', 'sha512', '-b', file, 'bob', 'builder']);
      execFileSync('mosquitto_passwd', ['-I', '7', '-b', file, 'carol', 'singer']);
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      const field = (u: string): string => (lines.find((l) => l.startsWith(`${u}:`)) as string).slice(u.length + 1);
      expect(field('alice')).toMatch(PBKDF2_LINE);
      expect(field('bob')).toMatch(SHA512_LINE);
      expect(await verifyPassword(Buffer.from('wonderland'), field('alice'))).toBe(true);
      expect(await verifyPassword(Buffer.from('builder'), field('bob'))).toBe(true);
      expect(await verifyPassword(Buffer.from('singer'), field('carol'))).toBe(true);
      expect(await verifyPassword(Buffer.from('alice'), field('alice'))).toBe(false);
      expect(await verifyPassword(Buffer.from('builder '), field('bob'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseHashField', () => {
  const salt = 'AAAAAAAAAAAAAAAA';
  const hash = Buffer.alloc(64, 1).toString('base64');
  it.each([
    [`$7$101$${salt}$${hash}`, 'sha512-pbkdf2'],
    [`$6$${salt}$${hash}`, 'sha512'],
    ['$2y$10$abcdefghijklmnopqrstuu5Z9WZ0b3d1rF8lCzv2Hc0rP1y0b7v9W', 'bcrypt'],
    ['$argon2id$v=19$m=47104,t=1,p=1$c2FsdHNhbHQ$aGFzaA', 'argon2'],
    ['$argon2id$v=19$m=47104,t=1,p=1$c2FsdA$aGFzaA', 'invalid'],
    ['$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaA', 'invalid'],
    ['$argon2id$v=19$m=47104,t=1,p=1$c2FsdHNhbHQ=$aGFzaA', 'invalid'],
    ['$5$rounds=5000$abcdefgh$0123456789', 'unknown'],
    ['hunter2', 'plain'],
    ['$short', 'plain'],
    [`$7$0$${salt}$${hash}`, 'invalid'],
    [`$7$1000000000000$${salt}$${hash}`, 'invalid'],
    [`$7$abc$${salt}$${hash}`, 'invalid'],
    [`$7$101$${salt}$AAAA`, 'invalid'],
    [`$6$not base64!$${hash}`, 'invalid'],
  ])('%s is %s', (field, kind) => {
    expect(parseHashField(field).kind).toBe(kind);
  });

  it('refuses to verify unknown schemes, and absurd iteration counts or argon2 memory', async () => {
    await expect(verifyPassword(Buffer.from('x'), '$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaA')).rejects.toMatchObject({ code: 'PASSWORD_FILE_CORRUPT' });
    await expect(verifyPassword(Buffer.from('x'), '$5$rounds=5000$abcdefgh$0123456789')).rejects.toMatchObject({ code: 'UNSUPPORTED_HASH' });
    await expect(verifyPassword(Buffer.from('x'), `$7$1000000000000$${salt}$${hash}`)).rejects.toMatchObject({ code: 'PASSWORD_FILE_CORRUPT' });
  });

  it('compares plain-text entries exactly', async () => {
    expect(await verifyPassword(Buffer.from('hunter2'), 'hunter2')).toBe(true);
    expect(await verifyPassword(Buffer.from('hunter'), 'hunter2')).toBe(false);
  });

  it('decodes only canonical padded base64', () => {
    expect(decodeBase64Strict('YWJj')).toEqual(Buffer.from('abc'));
    expect(decodeBase64Strict('YWI=')).toEqual(Buffer.from('ab'));
    expect(decodeBase64Strict('YWI')).toBeUndefined();
    expect(decodeBase64Strict('YW-_')).toBeUndefined();
    expect(decodeBase64Strict('')).toBeUndefined();
  });
});
