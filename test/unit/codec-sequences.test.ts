// C10: mosquitto's message-sequence corpus as decoder verdicts. For every `send`
// message (lib/: server->client bytes a client must judge; broker/: client->server
// bytes a broker must judge) we decode with our codec at the group's version and
// compare accept/reject with the case's expect_disconnect. Cases that only session
// state can decide (ack for an unknown id, a second CONNECT, aliases, quotas, ...)
// are listed by category in test/fixtures/mosquitto-sequences/state-dependent.ts;
// every other disagreement fails the suite.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePacket, FrameDecoder } from '../../src/codec/index.js';
import type { Packet, ProtocolVersion } from '../../src/codec/types.js';
import { CodecError } from '../../src/errors.js';
import { parsePayload, type RawGroup } from '../helpers/mqtt-bytes.js';
import { sequencesDir } from '../helpers/sequence-corpus.js';
import { REASON_DIVERGENCES, STATE_DEPENDENT, type CorpusCase } from '../fixtures/mosquitto-sequences/state-dependent.js';

function loadCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const side of ['lib', 'broker'] as const) {
    const dir = sequencesDir(side);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const groups = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RawGroup[];
      for (const g of groups) {
        for (const t of g.tests) {
          const command = t.command ?? g.command;
          if (command !== undefined || (t.disable ?? g.disable)) continue; // drives mosquitto's own client
          const version = (t.ver ?? g.ver) as ProtocolVersion;
          cases.push({
            side,
            file,
            group: g.group,
            name: t.name,
            version,
            expectDisconnect: t.expect_disconnect ?? g.expect_disconnect ?? true,
            preamble: (t.connect ?? g.connect) !== false && (side === 'broker' || (t.connack ?? g.connack) !== false),
            sends: t.msgs.filter((m) => m.type === 'send').map((m) => parsePayload(m.payload ?? '')),
            recvs: t.msgs.filter((m) => m.type === 'recv').map((m) => parsePayload(m.payload ?? '')),
            packets: [],
          });
        }
      }
    }
  }
  return cases;
}

/** Our verdict: reject when the decoder throws or bytes are left over (a frame that never completes). */
function judge(c: CorpusCase): { reject: boolean; error?: CodecError } {
  const d = new FrameDecoder({ version: c.version });
  try {
    for (const s of c.sends) {
      c.failedFirstByte = s[0];
      c.packets.push(...d.push(s));
    }
    c.failedFirstByte = undefined;
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    // packets that preceded the bad frame in the same chunk, where the decoder hands them over
    const before = (e as CodecError & { packets?: Packet[] }).packets;
    if (before) c.packets.push(...before);
    return { reject: true, error: e };
  }
  return { reject: d.buffered > 0 };
}

/** The reason code mosquitto's broker answered with (v5 DISCONNECT or refusing CONNACK), if any. */
function mosquittoReason(c: CorpusCase): number | undefined {
  if (c.side !== 'broker' || c.version !== 5) return undefined;
  for (const r of [...c.recvs].reverse()) {
    if (r[0] === 0xe0 && r[1]! >= 1) return r[2];
    if (r[0] === 0x20 && r[1] === 3 && r[3]! >= 0x80) return r[3];
  }
  return undefined;
}

const sendsHex = (c: CorpusCase) => c.sends.map((b) => b.toString('hex')).join(' | ').slice(0, 120);
const label = (c: CorpusCase) => `${c.side}/${c.file} [${c.group}] ${c.name}`;

describe('C10: mosquitto sequence corpus verdicts', () => {
  const cases = loadCases();
  const matched: CorpusCase[] = [];
  const mismatched: string[] = [];
  const byCategory = new Map<string, string[]>();
  let sameReason = 0;
  const reasonDiffs: string[] = [];
  const byDivergence = new Map<string, number>();
  for (const c of cases) {
    const v = judge(c);
    if (v.reject === c.expectDisconnect) {
      matched.push(c);
      const theirs = mosquittoReason(c);
      const ours = v.error?.reasonCode;
      if (ours === undefined || theirs === undefined) continue;
      if (ours === theirs) sameReason++;
      else {
        const rule = REASON_DIVERGENCES.find((r) => r.applies(c, ours, theirs));
        if (rule) byDivergence.set(rule.id, (byDivergence.get(rule.id) ?? 0) + 1);
        else reasonDiffs.push(`${label(c)} {${sendsHex(c)}}: we would send 0x${ours.toString(16)}, mosquitto sent 0x${theirs.toString(16)}`);
      }
      continue;
    }
    c.ourReject = v.reject;
    c.error = v.error;
    const cat = STATE_DEPENDENT.find((s) => s.applies(c));
    const line = `${label(c)} {${sendsHex(c)}}: expected ${c.expectDisconnect ? 'reject' : 'accept'}, codec says ${v.reject ? `reject (${v.error?.code ?? 'incomplete'})` : 'accept'}`;
    if (cat) byCategory.set(cat.id, [...(byCategory.get(cat.id) ?? []), line]);
    else mismatched.push(line);
  }
  const stateDependent = [...byCategory.values()].reduce((n, l) => n + l.length, 0);

  it('loads the corpus (set CORPUS_REPORT=<file> to write the per-category listing)', () => {
    expect(cases.length).toBeGreaterThan(2500);
    if (process.env.CORPUS_REPORT) {
      const out = [`matched ${matched.length} / state-dependent ${stateDependent} / mismatched ${mismatched.length}`];
      for (const [id, lines] of byCategory) out.push(`\n== ${id} (${lines.length})`, ...lines);
      out.push('\n== MISMATCHED', ...mismatched, `\n== REASON CODES: ${sameReason} same`, ...[...byDivergence].map(([id, n]) => `${id}: ${n}`), ...reasonDiffs);
      writeFileSync(process.env.CORPUS_REPORT, out.join('\n') + '\n');
    }
  });

  it(`every codec-decidable verdict agrees with mosquitto (${matched.length} matched, ${stateDependent} state-dependent)`, () => {
    expect(mismatched, `${mismatched.length} mismatches:\n${mismatched.join('\n')}`).toEqual([]);
  });

  it(`the reason code we would send matches mosquitto's broker (${sameReason} same, v5 rejections)`, () => {
    expect(sameReason).toBeGreaterThan(800);
    expect(reasonDiffs, `${reasonDiffs.length} unexplained reason codes:\n${reasonDiffs.join('\n')}`).toEqual([]);
    expect(REASON_DIVERGENCES.filter((r) => !byDivergence.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  it('every packet mosquitto is expected to send (`recv`) decodes and re-encodes byte for byte', () => {
    const problems: string[] = [];
    let n = 0;
    for (const c of cases) {
      for (const r of c.recvs) {
        n++;
        // mosquitto answers a protocol level it does not know in the MQTT 5 form (CONNACK 0x84)
        const version = r[0] === 0x20 && r[1] === 3 && r[3] === 0x84 ? 5 : c.version;
        try {
          const d = new FrameDecoder({ version });
          const packets = d.push(r);
          if (d.buffered !== 0 || packets.length !== 1) throw new Error(`${packets.length} packets, ${d.buffered} bytes left`);
          const again = encodePacket(packets[0]!, version).toString('hex');
          if (again !== r.toString('hex')) throw new Error(`re-encodes as ${again}`);
        } catch (e) {
          problems.push(`${label(c)} recv ${r.toString('hex')}: ${(e as Error).message}`);
        }
      }
    }
    expect(n).toBeGreaterThan(1000);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('every state-dependent category is still needed (the list stays honest)', () => {
    const unused = STATE_DEPENDENT.filter((s) => !byCategory.has(s.id)).map((s) => s.id);
    expect(unused).toEqual([]);
  });
});
