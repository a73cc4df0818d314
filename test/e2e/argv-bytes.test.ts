// Arguments are bytes: -m, -P, --will-payload and binary properties publish the
// exact argv bytes, even when they are not UTF-8 (Node would have made each bad
// byte U+FFFD); text fields (-u, -i, -t) refuse bytes that are not UTF-8.
// The bytes are given through a shell's printf, as a user's $'\xff' would be.
import { spawn } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBroker, type FakeBroker } from '../helpers/fake-broker.js';
import { PUB_BIN, requireBuild } from './pub-run.js';
import { testEnv } from './sub-helpers.js';

let broker: FakeBroker;
beforeAll(() => requireBuild());
afterEach(async () => broker?.close());

/** Runs mqtt-pub through sh; `args` is shell text, so "$(printf '\\377')" passes raw bytes. */
function pubSh(args: string, nodeArgs = ''): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('/bin/sh', ['-c', `exec "${process.execPath}" ${nodeArgs} "${PUB_BIN}" ${args}`], { env: testEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), 10_000);
    p.on('close', (status) => {
      clearTimeout(t);
      resolve({ status, stderr });
    });
  });
}

const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('hex');

describe('argv bytes', () => {
  it('-m, -P, --will-payload and -D correlation-data carry the exact bytes', async () => {
    broker = await startFakeBroker(5);
    const run = pubSh(
      `-h 127.0.0.1 -p ${broker.port} -V 5 -q 1 -t t -u user ` +
        `-m "$(printf 'a\\377\\376b\\342\\202\\254')" -P "$(printf 'pw\\200')" ` +
        `--will-topic w --will-payload "$(printf '\\300\\257')" -D publish correlation-data "$(printf '\\355\\240\\200')"`,
    );
    const c = await broker.connection();
    const connect = await c.accept();
    const publish = await c.expect('publish');
    c.send({ type: 'puback', packetId: publish.packetId ?? 0, reasonCode: 0 });
    const r = await run;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(hex(publish.payload)).toBe('61fffe62e282ac'); // "a", ff, fe, "b", "€"
    expect(hex(connect.password)).toBe('707780');
    expect(hex(connect.will?.payload)).toBe('c0af'); // an overlong form stays as given
    expect(hex(publish.properties?.correlationData)).toBe('eda080'); // an encoded surrogate too
  });

  it('a real U+FFFD (valid UTF-8) is published as it is, also after node options', async () => {
    broker = await startFakeBroker(5);
    const run = pubSh(`-h 127.0.0.1 -p ${broker.port} -V 5 -q 1 -t t -m "$(printf '\\357\\277\\275\\377')"`, '--no-warnings');
    const c = await broker.connection();
    await c.accept();
    const publish = await c.expect('publish');
    c.send({ type: 'puback', packetId: publish.packetId ?? 0, reasonCode: 0 });
    expect((await run).status).toBe(0);
    expect(hex(publish.payload)).toBe('efbfbdff');
  });

  it('-D string properties that are not UTF-8: mosquitto_pub\'s line, then which rule', async () => {
    for (const [args, first, why] of [
      [`-D publish content-type "$(printf 'c\\377')"`, 'Error adding property content-type 6', 'The value is not valid UTF-8.'],
      [`-D publish user-property "$(printf 'k\\377')" v`, 'Error adding property user-property 7', 'The name is not valid UTF-8.'],
      [`-D publish user-property k "$(printf 'v\\377')"`, 'Error adding property user-property 7', 'The value is not valid UTF-8.'],
    ] as const) {
      const r = await pubSh(`-h 127.0.0.1 -p 1 -t t -n ${args}`);
      expect(r.stderr.split('\n').slice(0, 2)).toEqual([first, why]);
      expect(r.status).toBe(1);
    }
  });

  it('-u, -i and -t with bytes that are not UTF-8 are refused before connecting', async () => {
    for (const [args, message] of [
      [`-u "$(printf 'u\\377')" -t t -m x`, 'Error: Malformed UTF-8 in -u argument.'],
      [`-i "$(printf 'id\\377')" -t t -m x`, 'Error: Malformed UTF-8 in -i argument.'],
      [`-t "$(printf 't\\377')" -m x`, 'Error: Malformed UTF-8 in -t argument.'],
    ] as const) {
      const r = await pubSh(`-h 127.0.0.1 -p 1 ${args}`);
      expect(r.stderr.split('\n')[0]).toBe(message);
      expect(r.status).toBe(1);
    }
  });
});
