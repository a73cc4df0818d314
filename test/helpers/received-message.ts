// ReceivedMessage values made the way the client makes them: a PUBLISH is encoded
// to bytes, decoded by the frame decoder and delivered by a real Session. Output
// tests (-F, %j, --json) render these, so they can only test shapes the client
// really hands mqtt-sub (a hand-written object once hid that %A was always empty).
import { encodePacket, FrameDecoder } from '../../src/codec/index.js';
import type { Properties, ProtocolVersion, PublishPacket, QoS } from '../../src/codec/types.js';
import type { ReceivedMessage } from '../../src/client/types.js';
import { sessionHarness } from './session-harness.js';

export interface Arrival {
  topic?: string;
  payload?: string | Uint8Array;
  qos?: QoS;
  retain?: boolean;
  dup?: boolean;
  /** Defaults to 1 for QoS 1 and 2. */
  packetId?: number;
  /** v5 properties, in the order they are on the wire; topicAlias is allowed (we accept up to 10 aliases). */
  properties?: Properties;
  version?: ProtocolVersion;
}

/** The message the client delivers for one PUBLISH arriving with these fields. */
export function received(a: Arrival = {}): ReceivedMessage {
  const version = a.version ?? 5;
  const h = sessionHarness({ version, ...(version === 5 ? { properties: { topicAliasMaximum: 10 } } : {}) });
  h.connect();
  const got: ReceivedMessage[] = [];
  h.s.setHandler((m) => void got.push(m));
  const qos = a.qos ?? 0;
  const payload = a.payload ?? '';
  const packet: PublishPacket = {
    type: 'publish',
    topic: a.topic ?? 't',
    payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
    qos,
    retain: a.retain ?? false,
    dup: a.dup ?? false,
    ...(qos > 0 ? { packetId: a.packetId ?? 1 } : {}),
    ...(a.properties ? { properties: a.properties } : {}),
  };
  for (const p of new FrameDecoder({ version }).push(encodePacket(packet, version))) h.s.handle(p);
  if (got.length !== 1 || h.failures.length > 0) {
    throw new Error(`the session delivered ${got.length} messages for one PUBLISH (failures: ${h.failures.map(String).join('; ')})`);
  }
  return got[0]!;
}
