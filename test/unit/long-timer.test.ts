import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, setLongTimeout } from '../../src/long-timer.js';

afterEach(() => void vi.useRealTimers());

describe('setLongTimeout', () => {
  it('chains waits past 2^31-1 ms: not early, then once', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const ms = MAX_TIMER_MS + 5_000;
    setLongTimeout(fn, ms);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(4_999);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('clear() stops a chained wait; an infinite one never fires', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const t = setLongTimeout(fn, 3 * MAX_TIMER_MS);
    vi.advanceTimersByTime(MAX_TIMER_MS + 10);
    t.clear();
    vi.advanceTimersByTime(3 * MAX_TIMER_MS);
    const inf = setLongTimeout(fn, Infinity);
    vi.advanceTimersByTime(3 * MAX_TIMER_MS);
    inf.clear();
    expect(fn).not.toHaveBeenCalled();
  });
});
