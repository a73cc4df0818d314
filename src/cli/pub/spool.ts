// --spool DIR: a journal of QoS 1/2 messages not yet acknowledged, so a run that
// is killed (or loses the broker for good) leaves them for the next run to send
// first: at least once, even across crashes (test plan F7). The format is in
// spool-journal.ts. Messages are fsynced before they go on the wire; "done"
// records are written with the next batch, so a crash can only cause a resend,
// never a loss. DIR/lock holds the pid of the one run using the spool.
//
// The directory may hold only what we wrote: it is marked as a spool when
// created, a journal or lock not in our format is refused and never removed,
// and nothing there is opened through a symlink (O_NOFOLLOW, lstat).
import { closeSync, constants, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { OutgoingMessage } from '../../client/types.js';
import { MqttToolError } from '../../errors.js';
import { linkIntoPlace, pidAlive } from '../shared/lock-file.js';
import { doneRecord, JOURNAL_HEADER, messageRecord, readJournal, type JournalContents } from './spool-journal.js';

/** Rewrite the journal with only the live messages once it has grown this much. */
const COMPACT_AT = 32 * 1024 * 1024;
/** Marks a directory as a spool we created: one without it (and not empty) is not ours. */
const MARKER = '.mqtt-pub-spool';
const { O_RDONLY, O_RDWR, O_WRONLY, O_CREAT, O_EXCL, O_APPEND, O_NOFOLLOW, O_NONBLOCK } = constants;

export { readJournal };

export interface SpooledMessage {
  id: number;
  msg: OutgoingMessage;
}

function spoolError(dir: string, e: unknown): MqttToolError {
  if (e instanceof MqttToolError) return e;
  const why = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
  return new MqttToolError('IO_ERROR', `Unable to use spool directory "${dir}" (${why}).`, { cause: e });
}

function refuse(text: string): MqttToolError {
  return new MqttToolError('IO_ERROR', text);
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

const ours = (st: Stats): boolean => st.isFile() && (process.getuid === undefined || st.uid === process.getuid());

/** Reads a whole regular file through `fd`. */
function readFd(fd: number): Buffer {
  const size = fstatSync(fd).size;
  const data = Buffer.alloc(size);
  for (let off = 0; off < size; ) {
    const n = readSync(fd, data, off, size - off, off);
    if (n === 0) return data.subarray(0, off);
    off += n;
  }
  return data;
}

function writeAll(fd: number, chunk: Buffer): void {
  for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
}

/** A new file (never through a symlink, never over an existing one). */
function createExclusive(path: string): number {
  return openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
}

/** Creates `path` holding `text`, complete from the first moment. */
function createWhole(path: string, text: string): boolean {
  const staging = `${path}.${process.pid}`;
  const fd = createExclusive(staging);
  try {
    writeAll(fd, Buffer.from(text));
  } finally {
    closeSync(fd);
  }
  try {
    return linkIntoPlace(staging, path, text);
  } finally {
    unlinkSync(staging);
  }
}

const lockText = (pid: number): string => `mqtt-pub ${pid}\n`;

/** The pid in a lock file we wrote; throws when the file is not one of ours. */
function lockOwner(dir: string, path: string): number | undefined {
  const st = lstatOrUndefined(path);
  if (!st) return undefined; // released meanwhile
  let text = '';
  if (ours(st) && st.nlink === 1 && st.size < 64) {
    const fd = openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    try {
      text = readFd(fd).toString('latin1');
    } finally {
      closeSync(fd);
    }
  }
  const m = /^mqtt-pub ([1-9]\d{0,9})\n$/.exec(text);
  if (!m) throw refuse(`Spool directory "${dir}" holds a lock file mqtt-pub did not write (${path}); remove it yourself if no run uses the spool.`);
  return Number(m[1]);
}

/** Takes DIR/lock for this process; a lock left by a dead mqtt-pub is taken over. */
function lock(dir: string): string {
  const path = join(dir, 'lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      if (createWhole(path, lockText(process.pid))) return path;
      const owner = lockOwner(dir, path);
      if (owner === undefined) continue;
      if (pidAlive(owner)) throw refuse(`Spool directory "${dir}" is in use by process ${owner}.`);
      unlinkSync(path); // stale: the mqtt-pub that wrote it is gone
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone else broke it first
      throw spoolError(dir, e);
    }
  }
  throw refuse(`Spool directory "${dir}" is locked (${path}).`);
}

/** Creates DIR or checks it is a spool we made, private to us. */
function checkDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  // Others able to write here could plant a symlink where the journal goes.
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
    throw refuse(`Spool directory "${dir}" must be a directory of yours, writable by you alone (chmod 700).`);
  }
  const marker = join(dir, MARKER);
  const mark = lstatOrUndefined(marker);
  if (mark) {
    if (!ours(mark)) throw refuse(`Spool directory "${dir}" was not created by mqtt-pub (${marker} is not a plain file of yours).`);
    return;
  }
  if (readdirSync(dir).length > 0) {
    throw refuse(`Directory "${dir}" is not an mqtt-pub spool (no ${MARKER}) and is not empty; refusing to use it.`);
  }
  closeSync(createExclusive(marker));
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
    // One open, never through a symlink; a FIFO or device there is refused before any read.
    this.fd = openSync(this.journal, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK, 0o600);
    let j: JournalContents;
    try {
      const st = fstatSync(this.fd);
      if (!ours(st) || st.nlink !== 1) throw refuse(`Spool journal "${this.journal}" is not a plain file of yours; refusing to use it.`);
      const data = readFd(this.fd);
      const start = data.subarray(0, JOURNAL_HEADER.length);
      if (!JOURNAL_HEADER.subarray(0, start.length).equals(start)) {
        throw refuse(`Spool journal "${this.journal}" was not written by mqtt-pub (no spool header); refusing to use or remove it.`);
      }
      if (data.length < JOURNAL_HEADER.length) {
        // New (or torn while its header was written).
        ftruncateSync(this.fd, 0);
        writeAll(this.fd, JOURNAL_HEADER);
        fdatasyncSync(this.fd);
        j = { live: new Map(), validLength: JOURNAL_HEADER.length, lastId: 0, damaged: 0 };
      } else {
        j = readJournal(data);
        if (j.validLength < data.length && j.damaged === 0) ftruncateSync(this.fd, j.validLength); // a torn tail
      }
    } catch (e) {
      closeSync(this.fd);
      throw e;
    }
    this.live = j.live;
    this.nextId = j.lastId + 1;
    this.leftover = [...j.live].map(([id, msg]) => ({ id, msg }));
    this.size = j.validLength;
    if (j.damaged > 0) this.setAsideDamaged(j.damaged);
  }

  /**
   * A damaged journal is renamed aside (for a human to look at), the messages
   * that could be read are kept in a fresh one for the next run, and this run
   * stops: the user must learn that messages were lost.
   */
  private setAsideDamaged(damaged: number): never {
    const aside = `${this.journal}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    let kept = '';
    try {
      renameSync(this.journal, aside);
      this.compact(true);
      kept = ` The ${this.live.size} message${this.live.size === 1 ? '' : 's'} that could be read ${this.live.size === 1 ? 'is' : 'are'} kept for the next run.`;
    } catch (e) {
      closeSync(this.fd);
      throw spoolError(this.dir, e);
    }
    throw new MqttToolError(
      'SPOOL_DAMAGED',
      `Spool journal "${this.journal}" is damaged: ${damaged} record${damaged === 1 ? '' : 's'} (spooled messages or their acknowledgements) could not be read; it was moved to "${aside}".${kept}`,
      { count: damaged },
    );
  }

  static open(dir: string): Spool {
    try {
      checkDirectory(dir);
    } catch (e) {
      throw spoolError(dir, e);
    }
    const lockPath = lock(dir);
    try {
      return new Spool(dir, lockPath);
    } catch (e) {
      unlinkSync(lockPath);
      throw spoolError(dir, e);
    }
  }

  /**
   * Journals `count` copies of a message before the first connection attempt, so
   * a run that never reaches the broker leaves them for the next; publish()
   * then takes them in order (see SpoolingPublisher).
   */
  reserve(msg: OutgoingMessage, count: number): number[] {
    const ids = Array.from({ length: count }, () => this.add(msg));
    this.sync();
    return ids;
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
    this.buffered.push(doneRecord(id));
  }

  /** Writes what was recorded and makes it durable: call before the messages are sent. */
  sync(): void {
    if (this.buffered.length === 0) return;
    const chunk = Buffer.concat(this.buffered);
    this.buffered = [];
    try {
      writeAll(this.fd, chunk);
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
      if (this.live.size === 0) this.removeJournal();
      else this.compact(true);
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

  /** Removes the journal only while the path is still the file we hold open. */
  private removeJournal(): void {
    const held = fstatSync(this.fd);
    closeSync(this.fd);
    const now = lstatOrUndefined(this.journal);
    if (now && now.ino === held.ino && now.dev === held.dev) unlinkSync(this.journal);
  }

  /** Rewrites the journal with only the live messages (new file, fsync, rename). */
  private compact(last = false): void {
    const tmp = `${this.journal}.${process.pid}.tmp`;
    const fd = createExclusive(tmp);
    let size = JOURNAL_HEADER.length;
    try {
      writeAll(fd, JOURNAL_HEADER);
      for (const [id, msg] of this.live) {
        const r = messageRecord(id, msg);
        writeAll(fd, r);
        size += r.length;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.journal);
    const dirFd = openSync(this.dir, O_RDONLY | O_NOFOLLOW);
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    closeSync(this.fd);
    if (last) return;
    this.fd = openSync(this.journal, O_RDWR | O_APPEND | O_NOFOLLOW, 0o600);
    this.size = size;
  }
}
