import { describe, expect, it } from 'vitest';
import { resolvePassword, type PasswordIo } from '../../src/cli/shared/password.js';
import { parseToolArgs } from '../../src/cli/shared/tool-args.js';
import { CONNECTION_OPTIONS } from '../../src/cli/shared/connection-options.js';

const args = (argv: string[]) => parseToolArgs(argv, { tool: 'mqtt-pub', specs: CONNECTION_OPTIONS, noConfigFile: true });
const io = (files: Record<string, string>): PasswordIo & { prompted: number } => ({
  prompted: 0,
  readFile(p, limit) {
    if (!(p in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    return Buffer.from(files[p] as string, 'latin1').subarray(0, limit);
  },
  async prompt() {
    this.prompted++;
    return Buffer.from('typed');
  },
});
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('latin1'));

describe('password sources', () => {
  it('--password-file: first line, CR/LF removed, bytes kept', async () => {
    expect(text(await resolvePassword(args(['-u', 'a', '--password-file', 'f']), {}, io({ f: 's3cr\xe9t\r\nnext\n' })))).toBe('s3cr\xe9t');
    expect(text(await resolvePassword(args(['--password-file', 'f']), {}, io({ f: 'x' })))).toBe('x');
    await expect(resolvePassword(args(['--password-file', 'g']), {}, io({}))).rejects.toMatchObject({ code: 'IO_ERROR' });
  });

  it('--password-file: a first line up to 65535 bytes; longer (or /dev/zero) is an I/O error', async () => {
    const max = 'p'.repeat(65535);
    expect(text(await resolvePassword(args(['--password-file', 'f']), {}, io({ f: `${max}\r\n` })))).toBe(max);
    await expect(resolvePassword(args(['--password-file', 'f']), {}, io({ f: `${max}p` }))).rejects.toMatchObject({ code: 'IO_ERROR' });
    await expect(resolvePassword(args(['--password-file', '/dev/zero']), {})).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: 'Password file "/dev/zero": the password is longer than 65535 bytes.',
    });
  });

  it('--password-prompt asks', async () => {
    const i = io({});
    expect(text(await resolvePassword(args(['-u', 'a', '--password-prompt']), {}, i))).toBe('typed');
    expect(i.prompted).toBe(1);
  });

  it('MQTT_PASSWORD applies only with a username and no other source', async () => {
    const env = { MQTT_PASSWORD: 'fromenv' };
    expect(text(await resolvePassword(args(['-u', 'a']), env, io({})))).toBe('fromenv');
    expect(await resolvePassword(args([]), env, io({}))).toBeUndefined();
    expect(await resolvePassword(args(['-u', 'a', '-P', 'x']), env, io({}))).toBeUndefined();
    expect(text(await resolvePassword(args(['-L', 'mqtt://u@h/t']), env, io({})))).toBe('fromenv');
  });

  it('two sources at once is a usage error', async () => {
    await expect(resolvePassword(args(['-P', 'x', '--password-file', 'f']), {}, io({ f: 'y' }))).rejects.toMatchObject({ code: 'USAGE' });
    await expect(resolvePassword(args(['--password-prompt', '--password-file', 'f']), {}, io({ f: 'y' }))).rejects.toMatchObject({ code: 'USAGE' });
  });
});
