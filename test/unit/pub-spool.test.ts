// The --spool journal: what survives a reopen, a torn or corrupt tail, and the
// lock that keeps two runs apart.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJournal, Spool } from '../../src/cli/pub/spool.js';
import type { OutgoingMessage } from '../../src/client/types.js';

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'spool-')), 'spool');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

const msg = (n: number, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  topic: `t/${n}`,
  payload: Buffer.from([n, 0, 255, n]),
  qos: 1,
  retain: false,
  ...extra,
});

describe('Spool', () => {
  it('messages not marked done come back, in order, with every field; done ones do not', () => {
    const a = Spool.open(dir);
    expect(a.leftover).toEqual([]);
    const props = { correlationData: Buffer.from([1, 2, 3]), userProperties: [['k', 'v'] as [string, string]], contentType: 'x/y' };
    const ids = [a.add(msg(1)), a.add(msg(2, { qos: 2, retain: true, properties: props })), a.add(msg(3))];
    a.sync();
    a.done(ids[0] as number);
    a.sync();
    // Killed here: no close().
    rmSync(join(dir, 'lock'));
    const b = Spool.open(dir);
    expect(b.leftover.map((m) => m.id)).toEqual([ids[1], ids[2]]);
    const two = b.leftover[0]?.msg;
    expect(two?.topic).toBe('t/2');
    expect([...(two?.payload ?? [])]).toEqual([2, 0, 255, 2]);
    expect([two?.qos, two?.retain]).toEqual([2, true]);
    expect(Buffer.from(two?.properties?.correlationData ?? []).toString('hex')).toBe('010203');
    expect(two?.properties?.userProperties).toEqual([['k', 'v']]);
    expect(two?.properties?.contentType).toBe('x/y');
    // New ids never reuse old ones.
    expect(b.add(msg(4))).toBeGreaterThan(ids[2] as number);
  });

  it('close() with nothing pending removes the journal and the lock', () => {
    const s = Spool.open(dir);
    s.done(s.add(msg(1)));
    s.sync();
    expect(s.close()).toBe(0);
    expect(existsSync(join(dir, 'journal'))).toBe(false);
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('close() with messages pending keeps only those', () => {
    const s = Spool.open(dir);
    const ids = Array.from({ length: 50 }, (_, i) => s.add(msg(i)));
    s.sync();
    for (const id of ids.slice(0, 49)) s.done(id);
    s.sync();
    const before = statSync(join(dir, 'journal')).size;
    expect(s.close()).toBe(1);
    expect(statSync(join(dir, 'journal')).size).toBeLessThan(before / 10);
    expect(Spool.open(dir).leftover.map((m) => m.id)).toEqual([ids[49]]);
  });

  it('a torn last record is cut off; what came before is kept', () => {
    const s = Spool.open(dir);
    s.add(msg(1));
    s.add(msg(2));
    s.sync();
    rmSync(join(dir, 'lock'));
    const journal = join(dir, 'journal');
    const whole = readFileSync(journal);
    writeFileSync(journal, whole.subarray(0, whole.length - 3)); // a crash mid-write
    const r = Spool.open(dir);
    expect(r.leftover.map((m) => m.msg.topic)).toEqual(['t/1']);
    r.add(msg(3));
    r.sync();
    rmSync(join(dir, 'lock'));
    expect(Spool.open(dir).leftover.map((m) => m.msg.topic)).toEqual(['t/1', 't/3']);
  });

  it('one flipped bit costs one record, not the rest: the journal is set aside, counted, and what could be read is kept', () => {
    const s = Spool.open(dir);
    for (let i = 0; i < 50; i++) s.add(msg(i));
    s.sync();
    rmSync(join(dir, 'lock')); // killed
    const journal = join(dir, 'journal');
    const data = readFileSync(journal);
    const at = data.indexOf(Buffer.from('t/10'));
    data[at + 6] = (data[at + 6] as number) ^ 0x01; // one bit inside record 11's payload
    writeFileSync(journal, data);
    expect(readJournal(data).damaged).toBe(1);
    expect(readJournal(data).live.size).toBe(49);
    let err: unknown;
    try {
      Spool.open(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'SPOOL_DAMAGED', count: 1 });
    expect(String((err as Error).message)).toMatch(/1 record .* could not be read; it was moved to ".*journal\.corrupt-.*"\. The 49 messages that could be read are kept/);
    const aside = readdirSync(dir).filter((f) => f.startsWith('journal.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0] as string))).toEqual(data);
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    const again = Spool.open(dir);
    expect(again.leftover.map((m) => m.msg.topic)).toEqual(Array.from({ length: 50 }, (_, i) => `t/${i}`).filter((t) => t !== 't/10'));
  });

  it('a complete last record that fails its checksum is damage, not a torn tail', () => {
    const s = Spool.open(dir);
    s.add(msg(1));
    s.add(msg(2));
    s.sync();
    rmSync(join(dir, 'lock'));
    const data = readFileSync(join(dir, 'journal'));
    data[data.length - 1] = (data[data.length - 1] as number) ^ 0x80;
    expect(readJournal(data)).toMatchObject({ damaged: 1 });
    expect(readJournal(Buffer.concat([data.subarray(0, 17), Buffer.from('garbage!garbage!')])).live.size).toBe(0);
  });

  it('a journal without our header is refused and left alone', () => {
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, '.mqtt-pub-spool'), '');
    writeFileSync(join(dir, 'journal'), 'precious data that is not a journal\n');
    expect(() => Spool.open(dir)).toThrow(/was not written by mqtt-pub \(no spool header\); refusing to use or remove it/);
    expect(readFileSync(join(dir, 'journal'), 'utf8')).toBe('precious data that is not a journal\n');
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('a directory that is not empty and not a spool is refused, its files untouched', () => {
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'lock'), 'mine\n');
    writeFileSync(join(dir, 'journal'), '');
    expect(() => Spool.open(dir)).toThrow(/is not an mqtt-pub spool \(no \.mqtt-pub-spool\) and is not empty/);
    expect(readdirSync(dir).sort()).toEqual(['journal', 'lock']);
    expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe('mine\n');
  });

  it('symlinks in the spool are never followed: journal, lock, or the directory itself', () => {
    const victim = join(dir, '..', 'victim');
    writeFileSync(victim, 'keep me\n');
    Spool.open(dir).close();
    symlinkSync(victim, join(dir, 'journal'));
    expect(() => Spool.open(dir)).toThrow(/Unable to use spool directory .* \(ELOOP\)/);
    rmSync(join(dir, 'journal'));
    symlinkSync(victim, join(dir, 'lock'));
    expect(() => Spool.open(dir)).toThrow(/lock file mqtt-pub did not write/);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(existsSync(join(dir, 'lock'))).toBe(true);
    const link = join(dir, '..', 'link');
    symlinkSync(dir, link);
    expect(() => Spool.open(link)).toThrow(/must be a directory of yours/);
  });

  it('a live owner keeps others out; a dead mqtt-pub\'s lock is taken over, a lock we did not write is not', () => {
    const s = Spool.open(dir);
    expect(() => Spool.open(dir)).toThrow(/in use by process \d+/);
    s.close();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    writeFileSync(join(dir, 'lock'), `mqtt-pub ${dead}\n`);
    expect(() => Spool.open(dir).close()).not.toThrow();
    writeFileSync(join(dir, 'lock'), `${dead}\n`);
    expect(() => Spool.open(dir)).toThrow(/holds a lock file mqtt-pub did not write/);
    expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe(`${dead}\n`);
  });

  it('a directory others can write to is refused (a planted symlink could take the journal)', () => {
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o777);
    expect(() => Spool.open(dir)).toThrow(/must be a directory of yours, writable by you alone/);
    chmodSync(dir, 0o1777); // sticky does not help: files can still be planted
    expect(() => Spool.open(dir)).toThrow(/must be a directory of yours/);
    chmodSync(dir, 0o755);
    expect(() => Spool.open(dir).close()).not.toThrow();
  });

  it('an unusable directory is a clear IO error', () => {
    const file = join(dir, '..', 'plain-file');
    writeFileSync(file, '');
    expect(() => Spool.open(join(file, 'spool'))).toThrow(/Unable to use spool directory .* \(ENOTDIR\)\./);
  });
});
