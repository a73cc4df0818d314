// Mosquitto's client-side sequence corpus (lib/*.json, ~1,500 cases) played
// against our real MqttClient over TCP: after each case the client must have
// disconnected or must still answer a QoS 1 PUBLISH, as libmosquitto's verdict
// says, and every packet the case expects from the client must match. The few
// deliberate divergences are listed below, each with its reason; any other
// disagreement fails the suite.
import { describe, expect, it } from 'vitest';
import { loadLibCases, startCorpusServer, type LibCase, type Outcome } from '../helpers/corpus-runner.js';
import { sequencesDir } from '../helpers/sequence-corpus.js';

/** file [group] name → why our client deliberately differs from libmosquitto. */
const DIVERGENCES: Record<string, string> = {
  'CONNACK.json [v5.0 CONNACK] 20 long': 'codec: trailing bytes after the properties are malformed',
  'CONNACK.json [v5.0 CONNACK ALLOWED PROPERTIES INVALID] 20 with assigned-client-identifier (UTF-8 string)':
    'the spec does not forbid an Assigned Client Identifier when we sent an id; we adopt it',
  'PUBLISH.json [v3.1.1 PUBLISH] 38 QoS 0 Dup 1': 'codec: DUP=1 on QoS 0 is malformed ([MQTT-3.3.1-2])',
  'PUBLISH.json [v5.0 PUBLISH] 36 QoS 3 (with mid) [MQTT-3.3.1-4]': 'both disconnect; QoS 3 is a Malformed Packet, so we say 0x81, not 0x82',
  'PUBLISH.json [v5.0 PUBLISH ALLOWED PROPERTIES] 2*subscription-identifier=1 (variable byte integer)':
    'a server PUBLISH may carry several Subscription Identifiers ([MQTT-3.3.4-3])',
  'PUBREC.json [v5.0 PUBREC unsolicited] 50 len=2': 'we answer an unknown PUBREC with PUBREL 0x92 (Packet Identifier not found), not success',
  'PUBREC.json [v5.0 PUBREC unsolicited] 50 len=3': 'we answer an unknown PUBREC with PUBREL 0x92 (Packet Identifier not found), not success',
  'PUBREC.json [v5.0 PUBREC unsolicited] 50 len=4 ok': 'we answer an unknown PUBREC with PUBREL 0x92 (Packet Identifier not found), not success',
  'UNSUBACK.json [v5.0 UNSUBACK unsolicited] B0': 'codec: a v5 UNSUBACK needs a reason code per filter, so none is malformed',
  'UNSUBACK.json [v5.0 UNSUBACK unsolicited] B0 with property': 'codec: a v5 UNSUBACK needs a reason code per filter',
  'UNSUBACK.json [v5.0 UNSUBACK unsolicited] B0 reason code 0xFF unknown': 'codec: 0xFF is not an UNSUBACK reason code',
  'UNSUBACK.json [v5.0 UNSUBACK] B0': 'a v5 UNSUBACK needs one reason code per filter ([MQTT-3.11.3-1])',
  'UNSUBACK.json [v5.0 UNSUBACK] B0 with property': 'a v5 UNSUBACK needs one reason code per filter ([MQTT-3.11.3-1])',
  'UNSUBACK.json [v5.0 UNSUBACK] B0 reason code 0xFF unknown': 'codec: 0xFF is not an UNSUBACK reason code',
};

const key = (c: LibCase) => `${c.file} [${c.group}] ${c.name}`;

async function playAll(cases: LibCase[], parallel: number): Promise<{ c: LibCase; o: Outcome }[]> {
  const servers = await Promise.all(Array.from({ length: parallel }, () => startCorpusServer()));
  const results: { c: LibCase; o: Outcome }[] = [];
  let next = 0;
  try {
    await Promise.all(
      servers.map(async (s) => {
        while (next < cases.length) {
          const c = cases[next++]!;
          results.push({ c, o: await s.run(c) });
        }
      }),
    );
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
  return results;
}

describe('mosquitto client-side sequence corpus against MqttClient', () => {
  it('agrees with libmosquitto on every case except the documented divergences', async () => {
    const cases = loadLibCases(sequencesDir('lib'));
    expect(cases.length).toBeGreaterThan(1400);
    const results = await playAll(cases, 16);
    const disagreements = results
      .filter(({ c, o }) => o.recvMismatch !== undefined || (o.verdict === 'disconnected') !== c.expectDisconnect)
      .filter(({ c }) => DIVERGENCES[key(c)] === undefined)
      .map(({ c, o }) => `${key(c)}: expected ${c.expectDisconnect ? 'disconnect' : 'still connected'}, client ${o.verdict}${o.recvMismatch ? `; ${o.recvMismatch}` : ''}`);
    expect(disagreements).toEqual([]);
    expect(results.filter(({ o }) => o.verdict === 'hung').map(({ c }) => key(c))).toEqual([]);
  }, 120_000);
});
