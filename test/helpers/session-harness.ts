// A Session wired to a recording host: what it writes, warns and fails with.
// Uses the real encoder so size limits are judged on real bytes.
import { encodePacket } from '../../src/codec/index.js';
import type { ConnackPacket, Packet, Properties } from '../../src/codec/types.js';
import { Session, type SessionOptions } from '../../src/client/session.js';

export interface Harness {
  s: Session;
  written: Packet[];
  warnings: string[];
  failures: unknown[];
  paused: boolean[];
  /** Settle the current write batch (what QoS 0 publishes wait for). */
  flush(): void;
  /** CONNACK + connected(); returns the outcome. */
  connect(props?: Properties, extra?: Partial<ConnackPacket>, cleanStart?: boolean): ReturnType<Session['onConnack']>;
  take(): Packet[];
}

export function sessionHarness(opts: Partial<SessionOptions> = {}): Harness {
  const version = opts.version ?? 5;
  const written: Packet[] = [];
  const warnings: string[] = [];
  const failures: unknown[] = [];
  const paused: boolean[] = [];
  let release!: () => void;
  let batch = new Promise<void>((r) => (release = r));
  const s = new Session(
    {
      version,
      clientId: 'c1',
      cleanStart: true,
      keepalive: 60,
      maxInflight: 20,
      encode: (p) => encodePacket(p, version),
      ...opts,
    },
    {
      write: (_bytes, p) => written.push(p),
      flushed: () => batch,
      fail: (e) => failures.push(e),
      warn: (l) => warnings.push(l),
      pauseInput: (p) => paused.push(p),
    },
  );
  return {
    s,
    written,
    warnings,
    failures,
    paused,
    flush() {
      release();
      batch = new Promise<void>((r) => (release = r));
    },
    connect(props, extra = {}, cleanStart = true) {
      const out = s.onConnack({ type: 'connack', sessionPresent: false, reasonCode: 0, ...(props ? { properties: props } : {}), ...extra }, cleanStart);
      if ('info' in out) s.connected();
      return out;
    },
    take() {
      return written.splice(0);
    },
  };
}

export const bytes = (s: string): Buffer => Buffer.from(s);

/** Let promise callbacks run. */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
