// mqtt-rr pays only for what it uses, as mqtt-pub does: a plain TCP request
// and its response load no TLS, WebSocket, SOCKS, colour, spinner or yargs code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../helpers/broker.js';
import { HEAVY_BUILTINS, loaded } from '../helpers/load-probe.js';
import { requireRrBuild, startResponder } from './rr-helpers.js';

let b: Broker;
beforeAll(async () => {
  requireRrBuild();
  b = await startBroker({ ws: true });
});
afterAll(async () => b?.stop());

describe('mqtt-rr start-up loads only what it uses', () => {
  it('a plain TCP request/response loads no tls, ws, socks, chalk, ora or yargs', async () => {
    const responder = await startResponder({ port: b.port, topic: 'lazy/req', behaviour: 'answer' });
    const r = await loaded('mqtt-rr', ['-h', '127.0.0.1', '-p', String(b.port), '-t', 'lazy/req', '-e', 'lazy/resp', '-m', 'x', '-W', '5']);
    await responder.close();
    expect(r.status).toBe(0);
    expect(r.builtins.filter((m) => HEAVY_BUILTINS.test(m))).toEqual([]);
    // The correlation data needs no node:crypto, the clocks no perf_hooks (loading either costs milliseconds).
    expect(r.builtins).not.toContain('crypto');
    expect(r.builtins).not.toContain('perf_hooks');
    expect(r.pkgs).toEqual([]);
  });

  it('control: a WebSocket request does load ws (the probe sees what is loaded)', async () => {
    const r = await loaded('mqtt-rr', ['-L', `ws://127.0.0.1:${b.wsPort}/lazy/req`, '-e', 'lazy/resp', '-m', 'x', '-W', '1']);
    expect(r.status).toBe(27);
    expect(r.pkgs).toContain('ws');
  });
});
