// The shipped binary pays only for what it uses: a plain TCP publish loads no
// TLS, WebSocket, SOCKS, colour, spinner, bcrypt or yargs code. A preloaded
// probe lists, at exit, the builtins and node_modules packages the process loaded;
// the WebSocket run is the control showing the probe does see them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../helpers/broker.js';

const root = resolve(import.meta.dirname, '../..');
const probe = join(mkdtempSync(join(tmpdir(), 'lazy-probe-')), 'probe.cjs');
writeFileSync(
  probe,
  `process.on('exit', () => {
    const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
    const pkgs = new Set();
    for (const f of Object.keys(require.cache)) { const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f); if (m) pkgs.add(m[1]); }
    process.stderr.write('LOADED ' + JSON.stringify({ builtins, pkgs: [...pkgs] }) + '\\n');
  });\n`,
);

function loaded(args: string[]): { status: number | null; builtins: string[]; pkgs: string[] } {
  const r = spawnSync(process.execPath, ['--require', probe, join(root, 'bin/mqtt-pub.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const line = r.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  if (!line) throw new Error(`no probe output; stderr: ${r.stderr}`);
  return { status: r.status, ...JSON.parse(line.slice(7)) };
}

let b: Broker;
beforeAll(async () => {
  b = await startBroker({ ws: true });
});
afterAll(async () => b?.stop());

describe('mqtt-pub start-up loads only what it uses', () => {
  it('a plain TCP QoS 0 publish loads no tls, ws, socks, chalk, ora, bcryptjs or yargs', () => {
    const r = loaded(['-h', '127.0.0.1', '-p', String(b.port), '-t', 'lazy', '-m', 'x']);
    expect(r.status).toBe(0);
    expect(r.builtins.filter((m) => /^(tls|_tls_wrap|http|https|zlib|worker_threads)$/.test(m))).toEqual([]);
    expect(r.pkgs).toEqual([]);
  });

  it('control: a WebSocket publish does load ws (the probe sees what is loaded)', () => {
    const r = loaded(['-L', `ws://127.0.0.1:${b.wsPort}/lazy`, '-m', 'x']);
    expect(r.status).toBe(0);
    expect(r.pkgs).toContain('ws');
  });
});
