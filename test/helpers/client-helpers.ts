// Small helpers for client integration tests: option builders and a message collector.
import { MqttClient } from '../../src/client/client.js';
import type { ClientOptions, ReceivedMessage } from '../../src/client/types.js';
import type { ProtocolVersion } from '../../src/codec/types.js';

export function tcpOptions(port: number, version: ProtocolVersion, extra: Partial<ClientOptions> = {}): ClientOptions {
  return {
    transport: { kind: 'tcp', host: '127.0.0.1', port },
    protocolVersion: version,
    clientId: '',
    cleanStart: true,
    keepalive: 10,
    connectTimeoutMs: 5000,
    ...extra,
  };
}

let seq = 0;
export function uniqueId(prefix = 'c'): string {
  return `${prefix}-${process.pid}-${++seq}`;
}

export interface Collector {
  messages: ReceivedMessage[];
  /** Resolves once `n` messages have arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<ReceivedMessage[]>;
}

export function collect(client: MqttClient): Collector {
  const messages: ReceivedMessage[] = [];
  let wake: (() => void) | undefined;
  client.onMessage((m) => {
    messages.push(m);
    wake?.();
  });
  return {
    messages,
    async waitFor(n, ms = 5000) {
      const deadline = Date.now() + ms;
      while (messages.length < n) {
        if (Date.now() > deadline) throw new Error(`got ${messages.length} of ${n} messages`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
      }
      return messages;
    },
  };
}

export const text = (s: string): Buffer => Buffer.from(s);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
