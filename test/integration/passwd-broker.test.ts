// W1: files written by mqtt-passwd are loaded by a real Mosquitto broker.
// mosquitto_pub is the connecting client (exit 0 when accepted; 5 for v3.1.1
// "not authorised" and 135 for v5 "Not authorized", as 2.0.11 answers).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../helpers/broker.js';
import { ours, requireBuild, scratchDir } from '../e2e/passwd-helpers.js';

const REFUSED: Record<string, number> = { '311': 5, '5': 135 };

let broker: Broker;
const dir = scratchDir();
const file = dir.path('passwords');

function pub(version: '311' | '5', user: string, password: string): number | null {
  const r = spawnSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(broker.authPort), '-V', version, '-u', user, '-P', password, '-t', 'w1', '-m', 'x', '-q', '1'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  return r.status;
}

/** After a SIGHUP the broker reloads the file asynchronously: poll until it answers as expected. */
async function expectConnect(version: '311' | '5', user: string, password: string, accepted: boolean): Promise<void> {
  const want = accepted ? 0 : REFUSED[version];
  let got: number | null = null;
  for (let i = 0; i < 40 && got !== want; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 100));
    got = pub(version, user, password);
  }
  expect(got, `${user} / v${version}`).toBe(want);
}

function run(args: string[], input?: string): void {
  const r = ours(args, input === undefined ? {} : { input });
  expect(r.status, r.stderr).toBe(0);
}

beforeAll(async () => {
  requireBuild();
  run(['-c', '--stdin', file, 'alice'], 'alice-pw\n'); // $7$, 210000 iterations
  run(['-H', 'sha512', '--stdin', file, 'bob'], 'bob-pw\n'); // $6$
  run(['-I', '1000', '--stdin', file, 'carol'], 'carol-pw\n'); // $7$, fewer iterations
  broker = await startBroker({ passwordFile: file });
});
afterAll(async () => {
  await broker?.stop();
  dir.remove();
});

describe('a real broker loads what mqtt-passwd writes (W1)', () => {
  it.each([['311'], ['5']] as const)('MQTT v%s: the right password connects; wrong ones are refused', async (v) => {
    for (const [user, pw] of [['alice', 'alice-pw'], ['bob', 'bob-pw'], ['carol', 'carol-pw']]) {
      await expectConnect(v, user as string, pw as string, true);
      await expectConnect(v, user as string, `${pw}x`, false);
      await expectConnect(v, user as string, user as string, false); // the username as the password
    }
  });

  it('update, delete and -U take effect after SIGHUP; other users keep working', async () => {
    run(['--stdin', file, 'bob'], 'bob-new\n');
    run(['-D', file, 'carol']);
    broker.reload();
    await expectConnect('311', 'carol', 'carol-pw', false);
    await expectConnect('5', 'carol', 'carol-pw', false);
    await expectConnect('311', 'bob', 'bob-new', true);
    await expectConnect('311', 'bob', 'bob-pw', false);
    await expectConnect('5', 'alice', 'alice-pw', true);

    // A plain-text line added by hand, converted in place with mosquitto's own iteration count.
    const { appendFileSync } = await import('node:fs');
    appendFileSync(file, 'dave:dave-pw\n');
    run(['-I', '101', '-U', file]);
    broker.reload();
    await expectConnect('311', 'dave', 'dave-pw', true);
    await expectConnect('5', 'dave', 'wrong', false);
    await expectConnect('5', 'alice', 'alice-pw', true);
  });

  it('a file recreated with -c holds only the new user', async () => {
    run(['-c', '-H', 'sha512', '--stdin', file, 'erin'], 'erin-pw\n');
    broker.reload();
    await expectConnect('5', 'erin', 'erin-pw', true);
    await expectConnect('5', 'alice', 'alice-pw', false);
  });

  it("a file made by mosquitto_passwd and edited by mqtt-passwd still works for every user", async () => {
    for (const args of [['-c', '-b', file, 'frank', 'frank-pw'], ['-H', 'sha512', '-b', file, 'gina', 'gina-pw'], ['-b', file, 'hal', 'hal-pw']]) {
      expect(spawnSync('mosquitto_passwd', args).status).toBe(0);
    }
    run(['--stdin', file, 'frank'], 'frank-new\n');
    run(['-D', file, 'hal']);
    broker.reload();
    await expectConnect('311', 'frank', 'frank-new', true);
    await expectConnect('5', 'frank', 'frank-pw', false);
    await expectConnect('5', 'gina', 'gina-pw', true);
    await expectConnect('311', 'hal', 'hal-pw', false);
  });

  it('the broker logged no complaint about any entry', () => {
    expect(broker.log()).not.toMatch(/error|unable|invalid/i);
  });
});
