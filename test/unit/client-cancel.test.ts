// Canceller: the client's stand-in for AbortController (see src/client/cancel.ts).
import { describe, expect, it } from 'vitest';
import { Canceller, type CancelSignal } from '../../src/client/cancel.js';

describe('Canceller', () => {
  it('abort() sets aborted and reason and calls each listener once; removed ones are not called', () => {
    const c = new Canceller();
    const calls: string[] = [];
    const a = (): void => void calls.push('a');
    const b = (): void => void calls.push('b');
    c.signal.addEventListener('abort', a, { once: true });
    c.signal.addEventListener('abort', b);
    c.signal.removeEventListener('abort', b);
    expect(c.signal.aborted).toBe(false);
    const why = new Error('why');
    c.abort(why);
    c.abort(new Error('again'));
    expect(calls).toEqual(['a']);
    expect(c.signal.aborted).toBe(true);
    expect(c.signal.reason).toBe(why);
  });

  it('a listener that throws does not stop the others', async () => {
    const c = new Canceller();
    const calls: number[] = [];
    c.signal.addEventListener('abort', () => {
      throw new Error('boom');
    });
    c.signal.addEventListener('abort', () => void calls.push(2));
    const thrown = new Promise<unknown>((resolve) => {
      const prev = process.listeners('uncaughtException');
      process.removeAllListeners('uncaughtException');
      process.once('uncaughtException', (e) => {
        for (const l of prev) process.on('uncaughtException', l);
        resolve(e);
      });
    });
    c.abort();
    expect(calls).toEqual([2]);
    expect(((await thrown) as Error).message).toBe('boom');
  });

  it('a real AbortSignal is a CancelSignal too', () => {
    const ac = new AbortController();
    const s: CancelSignal = ac.signal;
    let fired = false;
    s.addEventListener('abort', () => (fired = true));
    ac.abort();
    expect([s.aborted, fired]).toEqual([true, true]);
  });
});
