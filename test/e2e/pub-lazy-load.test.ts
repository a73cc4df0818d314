// The shipped binary pays only for what it uses: a plain TCP publish loads no
// TLS, WebSocket, SOCKS, colour, spinner, bcrypt or yargs code. A preloaded
// probe lists, at exit, the builtins and node_modules packages the process loaded;
// the WebSocket run is the control showing the probe does see them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../helpers/broker.js';
import { HEAVY_BUILTINS, loaded } from '../helpers/load-probe.js';

let b: Broker;
beforeAll(async () => {
  b = await startBroker({ ws: true });
});
afterAll(async () => b?.stop());

describe('mqtt-pub start-up loads only what it uses', () => {
  it('a plain TCP QoS 0 publish loads no tls, ws, socks, chalk, ora, bcryptjs or yargs', async () => {
    const r = await loaded('mqtt-pub', ['-h', '127.0.0.1', '-p', String(b.port), '-t', 'lazy', '-m', 'x']);
    expect(r.status).toBe(0);
    expect(r.builtins.filter((m) => HEAVY_BUILTINS.test(m))).toEqual([]);
    expect(r.pkgs).toEqual([]);
  });

  it('a plain publish with the default host creates neither process.stdout nor process.stderr, and loads no node:v8', async () => {
    const r = await loaded('mqtt-pub', ['-p', String(b.port), '-t', 'lazy', '-m', 'x']);
    expect(r.status).toBe(0);
    expect(r.streams).toEqual([]);
    expect(r.builtins).not.toContain('v8');
  });

  it('control: -d writes to stdout, so it is created then', async () => {
    const r = await loaded('mqtt-pub', ['-h', '127.0.0.1', '-p', String(b.port), '-t', 'lazy', '-m', 'x', '-d']);
    expect(r.status).toBe(0);
    expect(r.streams).toEqual(['stdout']);
  });

  it('control: a WebSocket publish does load ws (the probe sees what is loaded)', async () => {
    const r = await loaded('mqtt-pub', ['-L', `ws://127.0.0.1:${b.wsPort}/lazy`, '-m', 'x']);
    expect(r.status).toBe(0);
    expect(r.pkgs).toContain('ws');
  });
});
