// Keepalive decisions with injected time (P16, P17).
import { describe, expect, it } from 'vitest';
import { Keepalive } from '../../src/client/keepalive.js';

describe('keepalive', () => {
  it('pings after the interval with nothing sent, even if packets arrive (P16 a, b)', () => {
    const k = new Keepalive(5000, 0);
    expect(k.poll(4999)).toBeUndefined();
    expect(k.nextDueIn(1000)).toBe(4000);
    expect(k.poll(5000)).toBe('ping');
    expect(k.poll(5001)).toBeUndefined();
  });

  it('postpones the ping only for packets we send', () => {
    const k = new Keepalive(5000, 0);
    k.packetSent(3000);
    expect(k.poll(5000)).toBeUndefined();
    expect(k.poll(8000)).toBe('ping');
  });

  it('times out within 1.5 x keepalive when PINGRESP never comes (P16 c)', () => {
    const k = new Keepalive(5000, 0);
    expect(k.poll(5000)).toBe('ping');
    expect(k.nextDueIn(5000)).toBe(2500);
    expect(k.poll(7499)).toBeUndefined();
    expect(k.poll(7500)).toBe('timeout');
  });

  it('a PINGRESP clears the deadline', () => {
    const k = new Keepalive(5000, 0);
    k.poll(5000);
    k.pingrespReceived();
    expect(k.poll(9999)).toBeUndefined();
    expect(k.poll(10000)).toBe('ping');
  });

  it('uses whatever interval it is given (server keep alive 2 s, P16 d)', () => {
    const k = new Keepalive(2000, 0);
    expect(k.poll(2000)).toBe('ping');
  });

  it('pings at once after a clock jump, and times out if a ping was outstanding (P17)', () => {
    const k = new Keepalive(5000, 0);
    expect(k.poll(3_600_000)).toBe('ping');
    const k2 = new Keepalive(5000, 0);
    k2.poll(5000);
    expect(k2.poll(3_600_000)).toBe('timeout');
  });

  it('is off with keepalive 0', () => {
    const k = new Keepalive(0, 0);
    expect(k.poll(1e9)).toBeUndefined();
    expect(k.nextDueIn(0)).toBeUndefined();
  });
});
