// argon2 against an independent implementation: Debian's `argon2` command
// (libargon2, the library Mosquitto 2.1 links), same parameters, same bytes.
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashArgon2id, parseArgon2 } from '../../src/cli/passwd/argon2.js';
import { hashPassword, parseHashField, verifyPassword } from '../../src/cli/passwd/hash.js';

/** libargon2's encoded hash of `password`; the CLI takes the salt as text. */
function reference(password: string, salt: string, variant: '-id' | '-i' | '-d', m = 47104, t = 1, p = 1): string {
  const r = spawnSync('argon2', [salt, variant, '-t', String(t), '-k', String(m), '-p', String(p), '-l', '64', '-e'], { input: password, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`argon2 failed: ${r.stderr}`);
  return r.stdout.trim();
}

beforeAll(() => {
  if (spawnSync('argon2', ['-h']).error) throw new Error("the argon2 command is missing: install Debian's argon2 package (npm run setup does).");
});

// 64 bytes, as Mosquitto 2.1's salt; printable because the CLI takes it from argv.
const SALT = 'mqtt-passwd-argon2-cross-check-salt-of-sixty-four-bytes-exactly!';

describe('argon2id as Mosquitto 2.1 writes it', () => {
  it('hashArgon2id gives libargon2 encoded form byte for byte (m=47104,t=1,p=1, 64-byte salt and hash)', async () => {
    expect(SALT).toHaveLength(64);
    const ours = await hashArgon2id(Buffer.from('hunter2'), 1, Buffer.from(SALT));
    expect(ours).toBe(reference('hunter2', SALT, '-id'));
    expect(ours).toMatch(/^\$argon2id\$v=19\$m=47104,t=1,p=1\$[A-Za-z0-9+/]{86}\$[A-Za-z0-9+/]{86}$/);
  });

  it('-I sets the time cost', async () => {
    expect(await hashArgon2id(Buffer.from('pw'), 2, Buffer.from(SALT))).toBe(reference('pw', SALT, '-id', 47104, 2));
  });

  it('a new hash has a fresh 64-byte salt', async () => {
    const [a, b] = [await hashPassword(Buffer.from('x'), { type: 'argon2id', iterations: 1 }), await hashPassword(Buffer.from('x'), { type: 'argon2id', iterations: 1 })];
    expect(a).not.toBe(b);
    const p = parseArgon2(a);
    expect('salt' in p && p.salt.length).toBe(64);
  });

  it.each([
    ['-id', 47104, 1, 1],
    ['-i', 4096, 3, 1],
    ['-d', 1024, 2, 2],
    ['-id', 8192, 1, 4],
  ] as const)('verifies libargon2 output (%s m=%i t=%i p=%i), and refuses a wrong password', async (variant, m, t, p) => {
    const field = reference('correct horse', 'some salt 16 by', variant, m, t, p);
    expect(parseHashField(field).kind).toBe('argon2');
    expect(await verifyPassword(Buffer.from('correct horse'), field)).toBe(true);
    expect(await verifyPassword(Buffer.from('correct horsf'), field)).toBe(false);
  });
});
