// --spool DIR: a journal of QoS 1/2 messages not yet acknowledged, so a run that
// is killed (or loses the broker for good) leaves them for the next run to send
// first: at least once, even across crashes (test plan F7).
//
// DIR/journal is a sequence of records: u32 length, u32 CRC-32 of the body,
// then the body: 1 <u32 id> <the message as an MQTT 5 PUBLISH packet>, or
// 2 <u32 id> "done" (acknowledged, or refused by the broker: resending would
// not help). Messages are fsynced before they go on the wire; "done" records
// are written with the next batch, so a crash can only cause a resend, never a
// loss. A torn record at the end (a crash mid-write) is cut off on load.
// DIR/lock holds the pid of the one run using the spool.
import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { decodePacket, encodePacket } from '../../codec/index.js';
import type { OutgoingMessage } from '../../client/types.js';
import { MqttToolError } from '../../errors.js';
import { linkIntoPlace, pidAlive } from '../shared/lock-file.js';

const MESSAGE = 1;
const DONE = 2;
/** Rewrite the journal with only the live messages once it has grown this much. */
const COMPACT_AT = 32 * 1024 * 1024;

export interface SpooledMessage {
  id: number;
  msg: OutgoingMessage;
}

function spoolError(dir: string, e: unknown): MqttToolError {
  const why = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
  return new MqttToolError('IO_ERROR', `Unable to use spool directory "${dir}" (${why}).`, { cause: e });
}

function record(kind: number, id: number, packet?: Buffer): Buffer {
  const body = Buffer.allocUnsafe(5 + (packet?.length ?? 0));
  body[0] = kind;
  body.writeUInt32BE(id, 1);
  packet?.copy(body, 5);
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32BE(body.length, 0);
  head.writeUInt32BE(crc32(body), 4);
  return Buffer.concat([head, body]);
}

function messageRecord(id: number, m: OutgoingMessage): Buffer {
  const packet = encodePacket(
    { type: 'publish', topic: m.topic, payload: m.payload, qos: m.qos, retain: m.retain, dup: false, packetId: 1, ...(m.properties ? { properties: m.properties } : {}) },
    5,
  );
  return record(MESSAGE, id, packet);
}

/** The journal's live messages in order, and where its last whole record ends. */
export function readJournal(data: Buffer): { live: Map<number, OutgoingMessage>; validLength: number; lastId: number } {
  const live = new Map<number, OutgoingMessage>();
  let off = 0;
  let lastId = 0;
  while (off + 8 <= data.length) {
    const len = data.readUInt32BE(off);
    if (len < 5 || off + 8 + len > data.length) break;
    const body = data.subarray(off + 8, off + 8 + len);
    if (crc32(body) !== data.readUInt32BE(off + 4)) break;
    const id = body.readUInt32BE(1);
    if (body[0] === MESSAGE) {
      let p;
      try {
        p = decodePacket(body.subarray(5), 5);
      } catch {
        break;
      }
      if (p.type !== 'publish' || p.qos === 0) break;
      live.set(id, { topic: p.topic, payload: Buffer.from(p.payload), qos: p.qos, retain: p.retain, ...(p.properties ? { properties: p.properties } : {}) });
      lastId = Math.max(lastId, id);
    } else if (body[0] === DONE) live.delete(id);
    else break;
    off += 8 + len;
  }
  return { live, validLength: off, lastId };
}

/** Creates `path` holding `text`, complete from the first moment. */
function createWhole(path: string, text: string): boolean {
  const staging = `${path}.${process.pid}`;
  writeFileSync(staging, text, { mode: 0o600 });
  try {
    return linkIntoPlace(staging, path, text);
  } finally {
    rmSync(staging, { force: true });
  }
}

/** Takes DIR/lock for this process; a lock left by a dead process is taken over. */
function lock(dir: string): string {
  const path = join(dir, 'lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      if (createWhole(path, `${process.pid}\n`)) return path;
    } catch (e) {
      throw spoolError(dir, e);
    }
    let owner = NaN;
    try {
      owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
    } catch {
      continue; // released meanwhile
    }
    if (owner > 0 && pidAlive(owner)) {
      throw new MqttToolError('IO_ERROR', `Spool directory "${dir}" is in use by process ${owner}.`);
    }
    try {
      unlinkSync(path); // stale: its owner is gone
    } catch {
      /* someone else broke it first */
    }
  }
  throw new MqttToolError('IO_ERROR', `Spool directory "${dir}" is locked (${path}).`);
}

export class Spool {
  /** Messages left by earlier runs, oldest first: send these before anything new. */
  readonly leftover: SpooledMessage[];
  private readonly live: Map<number, OutgoingMessage>;
  private readonly journal: string;
  private fd: number;
  private nextId: number;
  private size: number;
  private buffered: Buffer[] = [];
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly lockPath: string,
  ) {
    this.journal = join(dir, 'journal');
    let data: Buffer;
    try {
      data = readFileSync(this.journal);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw spoolError(dir, e);
      data = Buffer.alloc(0);
    }
    const j = readJournal(data);
    this.live = j.live;
    this.nextId = j.lastId + 1;
    this.leftover = [...j.live].map(([id, msg]) => ({ id, msg }));
    try {
      this.fd = openSync(this.journal, 'a+', 0o600);
      if (j.validLength < data.length) ftruncateSync(this.fd, j.validLength); // a torn tail
    } catch (e) {
      throw spoolError(dir, e);
    }
    this.size = j.validLength;
  }

  static open(dir: string): Spool {
    let st;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      st = statSync(dir);
    } catch (e) {
      throw spoolError(dir, e);
    }
    // Others able to write here could plant a symlink where the journal goes.
    const uid = process.getuid?.();
    if ((uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
      throw new MqttToolError('IO_ERROR', `Spool directory "${dir}" must be yours and writable by you alone (chmod 700).`);
    }
    const lockPath = lock(dir);
    try {
      return new Spool(dir, lockPath);
    } catch (e) {
      unlinkSync(lockPath);
      throw e;
    }
  }

  /** Records a new message (on disk at the next sync()); returns its id. */
  add(msg: OutgoingMessage): number {
    const id = this.nextId++;
    this.live.set(id, msg);
    this.buffered.push(messageRecord(id, msg));
    return id;
  }

  /** The message is settled for good (acknowledged, or refused by the broker). */
  done(id: number): void {
    if (this.closed || !this.live.delete(id)) return;
    this.buffered.push(record(DONE, id));
  }

  /** Writes what was recorded and makes it durable: call before the messages are sent. */
  sync(): void {
    if (this.buffered.length === 0) return;
    const chunk = Buffer.concat(this.buffered);
    this.buffered = [];
    try {
      for (let off = 0; off < chunk.length; ) off += writeSync(this.fd, chunk, off);
      fdatasyncSync(this.fd);
    } catch (e) {
      throw spoolError(this.dir, e);
    }
    this.size += chunk.length;
    if (this.size > COMPACT_AT && this.live.size * 64 < this.size) this.compact();
  }

  /** Messages not settled yet. */
  get pending(): number {
    return this.live.size;
  }

  /**
   * Ends this run's use: with nothing pending the journal goes; otherwise it is
   * rewritten with just the pending messages. Returns how many were kept.
   */
  close(): number {
    if (this.closed) return this.live.size;
    this.closed = true;
    this.buffered = [];
    try {
      if (this.live.size === 0) {
        closeSync(this.fd);
        unlinkSync(this.journal);
      } else this.compact(true);
    } catch {
      // Left as it is, the journal still replays correctly (at worst a resend).
    }
    try {
      unlinkSync(this.lockPath);
    } catch {
      /* gone already */
    }
    return this.live.size;
  }

  /** Rewrites the journal with only the live messages (new file, fsync, rename). */
  private compact(last = false): void {
    const tmp = `${this.journal}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    let size = 0;
    try {
      for (const [id, msg] of this.live) {
        const r = messageRecord(id, msg);
        for (let off = 0; off < r.length; ) off += writeSync(fd, r, off);
        size += r.length;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.journal);
    const dirFd = openSync(this.dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    closeSync(this.fd);
    if (last) return;
    this.fd = openSync(this.journal, 'a+', 0o600);
    this.size = size;
  }
}
