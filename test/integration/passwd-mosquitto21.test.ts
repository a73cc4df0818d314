// mqtt-passwd and Mosquitto 2.1 (the reference build from vendor/, see
// test/helpers/mosquitto21.ts): the 2.1 broker accepts the argon2id entries we
// write; 2.1's mosquitto_passwd writes files we verify and edit, keeping its
// other lines byte for byte.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../helpers/broker.js';
import { mosquitto21, type Mosquitto21 } from '../helpers/mosquitto21.js';
import { ours, requireBuild, scratchDir } from '../e2e/passwd-helpers.js';

let m: Mosquitto21;
let broker: Broker | undefined;
const dir = scratchDir();
const file = dir.path('passwords');

/** 0 when the 2.1 broker accepts the login, 5 (v3.1.1 "not authorised") when it refuses. */
function login(user: string, password: string): number | null {
  const args = ['-h', '127.0.0.1', '-p', String(broker?.authPort), '-V', '311', '-u', user, '-P', password, '-t', 't', '-m', 'x', '-q', '1'];
  return spawnSync(m.bin('mosquitto_pub'), args, { env: m.env, timeout: 10_000 }).status;
}

/** After a SIGHUP the broker reloads the file asynchronously: poll until it answers as expected. */
async function expectLogin(user: string, password: string, accepted: boolean): Promise<void> {
  let got: number | null = null;
  for (let i = 0; i < 40 && got !== (accepted ? 0 : 5); i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 100));
    got = login(user, password);
  }
  expect(got, `${user}/${password}`).toBe(accepted ? 0 : 5);
}

function theirs21(args: string[]): void {
  const r = spawnSync(m.bin('mosquitto_passwd'), args, { env: m.env, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

function run(args: string[], input?: string): string {
  const r = ours(args, input === undefined ? {} : { input });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr;
}

beforeAll(() => {
  requireBuild();
  m = mosquitto21();
});
afterAll(async () => {
  await broker?.stop();
  dir.remove();
});

describe('Mosquitto 2.1', () => {
  it('its broker accepts what -H argon2id writes (and $7$ beside it); wrong passwords are refused', async () => {
    run(['-c', '-H', 'argon2id', '--stdin', file, 'alice'], 'alice-pw\n');
    run(['-I', '1000', '--stdin', file, 'bob'], 'bob-pw\n');
    expect(readFileSync(file, 'utf8')).toMatch(/^alice:\$argon2id\$v=19\$m=47104,t=1,p=1\$[A-Za-z0-9+/]{86}\$[A-Za-z0-9+/]{86}\nbob:\$7\$1000\$/);
    broker = await startBroker({ passwordFile: file, mosquitto21: true });
    await expectLogin('alice', 'alice-pw', true);
    await expectLogin('alice', 'alice-pwx', false);
    await expectLogin('bob', 'bob-pw', true);
    await expectLogin('bob', 'alice-pw', false);
  });

  it("a file written by 2.1's mosquitto_passwd: --check verifies it; our edits keep its other lines byte for byte", async () => {
    rmSync(file); // 2.1's -c refuses to overwrite a file ("File exists")
    theirs21(['-c', '-b', file, 'carol', 'carol-pw']);
    theirs21(['-b', file, 'dave', 'dave-pw']);
    theirs21(['-H', 'sha512-pbkdf2', '-b', file, 'erin', 'erin-pw']);
    const before = readFileSync(file, 'utf8');
    expect(before).toMatch(/^carol:\$argon2id\$.*\ndave:\$argon2id\$.*\nerin:\$7\$/);
    expect(ours(['--check', '--stdin', file, 'carol'], { input: 'carol-pw\n' }).status).toBe(0);
    expect(ours(['--check', '--stdin', file, 'dave'], { input: 'carol-pw\n' }).status).toBe(1);
    expect(ours(['--check', '--stdin', file, 'erin'], { input: 'erin-pw\n' }).status).toBe(0);

    run(['--stdin', file, 'dave'], 'dave-new\n');
    run(['--stdin', file, 'frank'], 'frank-pw\n');
    const after = readFileSync(file, 'utf8').split('\n');
    const old = before.split('\n');
    expect(after[0]).toBe(old[0]);
    expect(after[2]).toBe(old[2]);
    // No -H given, and the file holds argon2id: the new and updated users get argon2id too.
    expect(after[1]).toMatch(/^dave:\$argon2id\$v=19\$m=47104,t=1,p=1\$/);
    expect(after[1]).not.toBe(old[1]);
    expect(after[3]).toMatch(/^frank:\$argon2id\$/);

    broker?.reload();
    await expectLogin('dave', 'dave-new', true);
    await expectLogin('dave', 'dave-pw', false);
    for (const u of ['carol', 'erin', 'frank']) await expectLogin(u, `${u}-pw`, true);
  });

  it('a deletion reaches the broker through a hard link to the file it reads', async () => {
    const { linkSync } = await import('node:fs');
    const alias = dir.path('alias');
    linkSync(file, alias);
    run(['-D', alias, 'carol']);
    broker?.reload();
    await expectLogin('carol', 'carol-pw', false);
    await expectLogin('erin', 'erin-pw', true);
  });

  it('the broker logged no complaint about any entry', () => {
    expect(broker?.log()).not.toMatch(/error|unable|invalid/i);
  });
});
