// --retry / --timeout: parsing, how they set up the client, the first
// connection's retries, and the watchdog on a fake clock.
import { describe, expect, it } from 'vitest';
import { MqttToolError } from '../../src/errors.js';
import { parseToolArgs } from '../../src/cli/shared/tool-args.js';
import { PUB_OPTIONS } from '../../src/cli/pub/command.js';
import { toPublishPlan, type PublishPlan } from '../../src/cli/pub/options.js';
import { applyDelivery, connectWithRetry } from '../../src/cli/pub/delivery.js';
import { startWatchdog, type WatchdogClock } from '../../src/cli/pub/watchdog.js';
import type { MqttClient } from '../../src/client/client.js';

const plan = (...argv: string[]): PublishPlan =>
  toPublishPlan(parseToolArgs(['-t', 't', ...argv], { tool: 'mqtt-pub', specs: PUB_OPTIONS, noConfigFile: true }), { pid: 7 });

describe('--retry / --timeout parsing', () => {
  it('defaults: no retry for one message, no limit with -l; the first connection is not retried', () => {
    expect(plan('-m', 'x').retry).toBe(0);
    expect(plan('-l').retry).toBe(Infinity);
    expect(plan('-l').connectRetries).toBe(0);
    expect(plan('-m', 'x').timeoutMs).toBeUndefined();
  });
  it('explicit values', () => {
    const p = plan('-l', '--retry', '3', '--timeout', '2.5');
    expect([p.retry, p.connectRetries, p.timeoutMs]).toEqual([3, 3, 2500]);
    expect(plan('-l', '--retry', '0').retry).toBe(0);
  });
  it.each(['-1', '1.5', 'x', '', ' 2'])('--retry %j is refused', (v) => {
    expect(() => plan('-m', 'x', '--retry', v)).toThrow(/--retry argument must be a whole number >=0\./);
  });
  it.each(['0', '-1', 'x', '', '1e3', '0.0'])('--timeout %j is refused', (v) => {
    expect(() => plan('-m', 'x', '--timeout', v)).toThrow(/--timeout argument must be a number of seconds >0\./);
  });
});

describe('applyDelivery', () => {
  it('no --retry: no reconnect, the session untouched', () => {
    const p = plan('-m', 'x', '-V', '5');
    applyDelivery(p);
    expect(p.connection.client.reconnect).toBeUndefined();
    expect(p.connection.client.properties?.sessionExpiryInterval).toBeUndefined();
  });
  it('v5 with --retry: the session outlives the reconnect window and the final DISCONNECT ends it', () => {
    const p = plan('-m', 'x', '-V', '5', '--retry', '4', '--timeout', '10');
    applyDelivery(p);
    expect(p.connection.client.reconnect?.maxAttempts).toBe(4);
    expect(p.connection.client.properties?.sessionExpiryInterval).toBe(15);
    expect(p.connection.disconnectProperties?.sessionExpiryInterval).toBe(0);
    expect(p.connection.client.connectTimeoutMs).toBe(10_000);
  });
  it('v5 with -x: the user\'s session expiry is kept and the DISCONNECT does not override it', () => {
    const p = plan('-m', 'x', '-V', '5', '--retry', '1', '-x', '60');
    applyDelivery(p);
    expect(p.connection.client.properties?.sessionExpiryInterval).toBe(60);
    expect(p.connection.disconnectProperties?.sessionExpiryInterval).toBeUndefined();
  });
  it('v3.1.1: reconnects, but no v5 properties appear', () => {
    const p = plan('-l');
    applyDelivery(p);
    expect(p.connection.client.reconnect?.maxAttempts).toBe(Infinity);
    expect(p.connection.client.properties).toBeUndefined();
  });
});

describe('connectWithRetry', () => {
  const refused = (): MqttToolError => new MqttToolError('CONNECT_FAILED', 'Connection refused');
  const fake = {} as MqttClient;
  async function attempts(p: PublishPlan, failures: MqttToolError[], now?: () => number): Promise<{ calls: number; sleeps: number[]; result: unknown }> {
    let calls = 0;
    const sleeps: number[] = [];
    const result = await connectWithRetry(
      p,
      async () => {
        const e = failures[calls++];
        if (e) throw e;
        return fake;
      },
      async (ms) => void sleeps.push(ms),
      now,
    ).catch((e: unknown) => e);
    return { calls, sleeps, result };
  }
  it('retries a refused connection --retry times with a growing delay', async () => {
    const r = await attempts(plan('-m', 'x', '--retry', '3'), [refused(), refused(), refused()]);
    expect(r.result).toBe(fake);
    expect(r.calls).toBe(4);
    expect(r.sleeps).toEqual([500, 1000, 2000]);
  });
  it('gives up after --retry attempts with the last error', async () => {
    const r = await attempts(plan('-m', 'x', '--retry', '1'), [refused(), refused(), refused()]);
    expect(r.calls).toBe(2);
    expect((r.result as MqttToolError).code).toBe('CONNECT_FAILED');
  });
  it('never retries a refusal that will not pass (bad credentials)', async () => {
    const denied = new MqttToolError('CONNECTION_REFUSED', 'not authorised', { reasonCode: 5 });
    const r = await attempts(plan('-m', 'x', '--retry', '5'), [denied]);
    expect(r.calls).toBe(1);
    expect(r.result).toBe(denied);
  });
  it('stops when the next wait would pass --timeout', async () => {
    let t = 0;
    const r = await attempts(plan('-m', 'x', '--retry', '10', '--timeout', '1'), Array.from({ length: 10 }, refused), () => (t += 400));
    expect(r.calls).toBeLessThan(4);
    expect((r.result as MqttToolError).code).toBe('CONNECT_FAILED');
  });
});

describe('startWatchdog', () => {
  function clock(): WatchdogClock & { advance(ms: number): void } {
    let now = 0;
    let tick: (() => void) | undefined;
    let every = 0;
    let next = 0;
    return {
      now: () => now,
      every: (ms, f) => {
        every = ms;
        next = ms;
        tick = f;
        return () => (tick = undefined);
      },
      advance(ms) {
        for (const end = now + ms; now < end; ) {
          now = Math.min(end, next);
          if (now === next) {
            next += every;
            tick?.();
          }
        }
      },
    };
  }
  it('fires once after the timeout without progress while waiting', () => {
    const c = clock();
    let fired = 0;
    startWatchdog(1000, { progress: () => 0, waiting: () => true }, () => fired++, c);
    c.advance(900);
    expect(fired).toBe(0);
    c.advance(400);
    expect(fired).toBe(1);
    c.advance(5000);
    expect(fired).toBe(1);
  });
  it('progress or nothing to wait for keeps it quiet', () => {
    const c = clock();
    let fired = 0;
    let progress = 0;
    let waiting = true;
    startWatchdog(1000, { progress: () => progress, waiting: () => waiting }, () => fired++, c);
    for (let i = 0; i < 20; i++) {
      c.advance(500);
      progress++;
    }
    expect(fired).toBe(0);
    waiting = false;
    c.advance(5000);
    expect(fired).toBe(0);
    waiting = true;
    c.advance(1300);
    expect(fired).toBe(1);
  });
  it('stop() ends it', () => {
    const c = clock();
    let fired = 0;
    const stop = startWatchdog(1000, { progress: () => 0, waiting: () => true }, () => fired++, c);
    stop();
    c.advance(5000);
    expect(fired).toBe(0);
  });
});
