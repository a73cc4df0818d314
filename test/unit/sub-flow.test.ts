// Per-message handling in mosquitto_sub's order (§7.1) and what gets acknowledged.
import { describe, expect, it } from 'vitest';
import type { QoS } from '../../src/codec/types.js';
import type { ReceivedMessage } from '../../src/client/types.js';
import { MessageFlow, type FlowOptions } from '../../src/cli/sub/message-flow.js';

function msg(topic: string, retain = false, qos: QoS = 0): ReceivedMessage {
  return { topic, payload: Buffer.from('p'), qos, retain, dup: false, properties: {} };
}

function setup(o: Partial<FlowOptions> = {}, random = 0) {
  const printed: string[] = [];
  const cleared: string[] = [];
  let stops = 0;
  const flow = new MessageFlow(
    { filterOut: [], noRetained: false, retainedOnly: false, removeRetained: false, randomFilter: 10000, ...o },
    {
      print: (m) => printed.push(m.topic),
      endMessage: () => undefined,
      written: () => Promise.resolve(),
      clearRetained: async (t) => {
        cleared.push(t);
      },
      stop: () => stops++,
      random: () => random,
    },
  );
  return { flow, printed, cleared, stops: () => stops };
}

async function settles(p: Promise<void> | undefined): Promise<boolean> {
  if (p === undefined) return true;
  return Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20))]);
}

describe('MessageFlow', () => {
  it('-C N prints exactly N and acknowledges nothing after them', async () => {
    const s = setup({ count: 2 });
    expect(await settles(s.flow.handle(msg('a', false, 1)))).toBe(true);
    expect(s.stops()).toBe(0);
    expect(await settles(s.flow.handle(msg('b', false, 1)))).toBe(true);
    expect(s.stops()).toBe(1);
    expect(await settles(s.flow.handle(msg('c', false, 1)))).toBe(false);
    expect(s.printed).toEqual(['a', 'b']);
  });

  it('halt(): nothing more is printed or acknowledged', async () => {
    const s = setup();
    s.flow.handle(msg('a', false, 1));
    s.flow.halt();
    expect(await settles(s.flow.handle(msg('b', false, 1)))).toBe(false);
    expect(s.printed).toEqual(['a']);
  });

  it('--retained-only: prints retained, stops (without acking) at the first live message', async () => {
    const s = setup({ retainedOnly: true });
    s.flow.handle(msg('r1', true));
    expect(await settles(s.flow.handle(msg('live')))).toBe(false);
    s.flow.handle(msg('r2', true));
    expect(s.printed).toEqual(['r1']);
    expect(s.stops()).toBe(1);
  });

  it('-R skips retained messages; --remove-retained still clears them', async () => {
    const s = setup({ noRetained: true, removeRetained: true });
    s.flow.handle(msg('r', true));
    s.flow.handle(msg('x'));
    await s.flow.settled();
    expect(s.printed).toEqual(['x']);
    expect(s.cleared).toEqual([]); // -R returns before the clear, as in mosquitto's order
  });

  it('--remove-retained clears retained messages that are printed', async () => {
    const s = setup({ removeRetained: true });
    s.flow.handle(msg('r', true));
    s.flow.handle(msg('x'));
    await s.flow.settled();
    expect(s.cleared).toEqual(['r']);
  });

  it('-T filters before printing, and -T-filtered messages do not count', () => {
    const s = setup({ filterOut: ['a/#'], count: 1 });
    s.flow.handle(msg('a/b'));
    expect(s.stops()).toBe(0);
    s.flow.handle(msg('b'));
    expect(s.printed).toEqual(['b']);
    expect(s.stops()).toBe(1);
  });

  it('--random-filter: a message it drops still counts toward -C', () => {
    const s = setup({ randomFilter: 1000, count: 1 }, 0.5);
    s.flow.handle(msg('a'));
    expect(s.printed).toEqual([]);
    expect(s.stops()).toBe(1);
    const t = setup({ randomFilter: 1000 }, 0.05);
    t.flow.handle(msg('a'));
    expect(t.printed).toEqual(['a']);
  });
});
