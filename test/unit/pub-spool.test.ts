// The --spool journal: what survives a reopen, a torn or corrupt tail, and the
// lock that keeps two runs apart.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  it('a record whose checksum fails ends the journal there', () => {
    const s = Spool.open(dir);
    s.add(msg(1));
    s.sync();
    s.add(msg(2));
    s.sync();
    const data = readFileSync(join(dir, 'journal'));
    const first = 8 + data.readUInt32BE(0);
    data[first + 12] = (data[first + 12] as number) ^ 0xff; // flip a byte inside record 2
    expect([...readJournal(data).live.values()].map((m) => m.topic)).toEqual(['t/1']);
    expect(readJournal(data).validLength).toBe(first);
    expect(readJournal(Buffer.from('garbage!garbage!')).live.size).toBe(0);
  });

  it('a live owner keeps others out; a dead owner\'s lock is taken over', () => {
    const s = Spool.open(dir);
    expect(() => Spool.open(dir)).toThrow(/in use by process \d+/);
    s.close();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    writeFileSync(join(dir, 'lock'), `${dead}\n`);
    expect(() => Spool.open(dir).close()).not.toThrow();
  });

  it('a directory others can write to is refused (a planted symlink could take the journal)', () => {
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o777);
    expect(() => Spool.open(dir)).toThrow(/must be yours and writable by you alone/);
    chmodSync(dir, 0o1777); // sticky does not help: files can still be planted
    expect(() => Spool.open(dir)).toThrow(/must be yours/);
    chmodSync(dir, 0o755);
    expect(() => Spool.open(dir).close()).not.toThrow();
  });

  it('an unusable directory is a clear IO error', () => {
    const file = join(dir, '..', 'plain-file');
    writeFileSync(file, '');
    expect(() => Spool.open(join(file, 'spool'))).toThrow(/Unable to use spool directory .* \(ENOTDIR\)\./);
  });
});
