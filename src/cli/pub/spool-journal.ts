// The --spool journal's format, pure. DIR/journal is a header line, then records:
// u32 length, u32 CRC-32 of the body, then the body: 1 <u32 id> <the message as
// an MQTT 5 PUBLISH packet>, or 2 <u32 id> "done" (acknowledged, or refused by
// the broker: resending would not help). A torn record at the end (a crash
// mid-write) is cut off on load; a damaged record elsewhere is skipped and
// counted, so one flipped bit costs one record, not the rest of the journal.
import { crc32 } from 'node:zlib';
import { decodePacket, encodePacket } from '../../codec/index.js';
import type { OutgoingMessage } from '../../client/types.js';

/** First bytes of every journal we write: a file without them is not ours. */
export const JOURNAL_HEADER = Buffer.from('mqtt-pub spool 1\n');
const MESSAGE = 1;
const DONE = 2;

export function record(kind: number, id: number, packet?: Buffer): Buffer {
  const body = Buffer.allocUnsafe(5 + (packet?.length ?? 0));
  body[0] = kind;
  body.writeUInt32BE(id, 1);
  packet?.copy(body, 5);
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32BE(body.length, 0);
  head.writeUInt32BE(crc32(body), 4);
  return Buffer.concat([head, body]);
}

export function messageRecord(id: number, m: OutgoingMessage): Buffer {
  const packet = encodePacket(
    { type: 'publish', topic: m.topic, payload: m.payload, qos: m.qos, retain: m.retain, dup: false, packetId: 1, ...(m.properties ? { properties: m.properties } : {}) },
    5,
  );
  return record(MESSAGE, id, packet);
}

export const doneRecord = (id: number): Buffer => record(DONE, id);

export interface JournalContents {
  live: Map<number, OutgoingMessage>;
  /** Where the last whole record ends (a torn tail after it is cut off). */
  validLength: number;
  lastId: number;
  /** Damaged records skipped before the end: messages (or their "done") that could not be read. */
  damaged: number;
}

type Parsed = { kind: 'message'; id: number; msg: OutgoingMessage } | { kind: 'done'; id: number };

/** The record at `off` when it is whole and sound; undefined when not. */
function parseAt(data: Buffer, off: number): { parsed: Parsed; end: number } | undefined {
  if (off + 8 > data.length) return undefined;
  const len = data.readUInt32BE(off);
  if (len < 5 || off + 8 + len > data.length) return undefined;
  const body = data.subarray(off + 8, off + 8 + len);
  if (crc32(body) !== data.readUInt32BE(off + 4)) return undefined;
  const id = body.readUInt32BE(1);
  const end = off + 8 + len;
  if (body[0] === DONE && len === 5) return { parsed: { kind: 'done', id }, end };
  if (body[0] !== MESSAGE) return undefined;
  try {
    const p = decodePacket(body.subarray(5), 5);
    if (p.type !== 'publish' || p.qos === 0) return undefined;
    const msg: OutgoingMessage = { topic: p.topic, payload: Buffer.from(p.payload), qos: p.qos, retain: p.retain, ...(p.properties ? { properties: p.properties } : {}) };
    return { parsed: { kind: 'message', id, msg }, end };
  } catch {
    return undefined;
  }
}

/** The next offset after `off` where a sound record starts, if any. */
function resync(data: Buffer, off: number): number | undefined {
  for (let at = off + 1; at + 8 <= data.length; at++) if (parseAt(data, at)) return at;
  return undefined;
}

/** Reads the records after the header (`data` starts with JOURNAL_HEADER). */
export function readJournal(data: Buffer): JournalContents {
  const live = new Map<number, OutgoingMessage>();
  let off = JOURNAL_HEADER.length;
  let validLength = off;
  let lastId = 0;
  let damaged = 0;
  while (off < data.length) {
    const r = parseAt(data, off);
    if (!r) {
      const next = resync(data, off);
      if (next === undefined) {
        // An incomplete last record is a crash mid-write; a complete but unsound one is damage.
        const len = off + 8 <= data.length ? data.readUInt32BE(off) : 0;
        if (len >= 5 && off + 8 + len === data.length) damaged++;
        break;
      }
      damaged++;
      off = next;
      continue;
    }
    if (r.parsed.kind === 'message') {
      live.set(r.parsed.id, r.parsed.msg);
      lastId = Math.max(lastId, r.parsed.id);
    } else live.delete(r.parsed.id);
    off = validLength = r.end;
  }
  return { live, validLength, lastId, damaged };
}
