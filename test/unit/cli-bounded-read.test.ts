import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileBounded } from '../../src/bounded-read.js';

const dir = mkdtempSync(join(tmpdir(), 'bounded-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readFileBounded', () => {
  it('reads a file up to the limit whole; one byte more is incomplete', () => {
    const f = join(dir, 'ten');
    writeFileSync(f, '0123456789');
    expect(readFileBounded(f, 10)).toEqual({ data: Buffer.from('0123456789'), complete: true });
    expect(readFileBounded(f, 9)).toEqual({ data: Buffer.alloc(0), complete: false });
    expect(readFileBounded(f, 4, { head: true })).toEqual({ data: Buffer.from('0123'), complete: false });
  });

  it('stops on an endless device instead of reading it all', () => {
    expect(readFileBounded('/dev/zero', 200_000)).toEqual({ data: Buffer.alloc(0), complete: false });
    const head = readFileBounded('/dev/zero', 100_000, { head: true });
    expect(head.complete).toBe(false);
    expect(head.data.length).toBe(100_000);
  });
});
