import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { fileChunks } from '../../src/cli/pub/stdin-chunks.js';

const dir = mkdtempSync(join(tmpdir(), 'stdin-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stdin chunks from a file', () => {
  it('every byte, in order, through one reused buffer, from the descriptor\'s current offset', async () => {
    const bytes = randomBytes(200_000); // three full 64 KiB reads and a short one
    const file = join(dir, 'in.bin');
    writeFileSync(file, bytes);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, Buffer.alloc(10), 0, 10, null); // a shell or parent may have read some already
      const copies: Buffer[] = [];
      const backing = new Set<ArrayBufferLike>();
      for await (const c of fileChunks(fd)) {
        copies.push(Buffer.from(c));
        backing.add(c.buffer);
      }
      expect(Buffer.concat(copies).equals(bytes.subarray(10))).toBe(true);
      expect(copies.map((c) => c.length)).toEqual([65536, 65536, 65536, 200_000 - 10 - 3 * 65536]);
      expect(backing.size).toBe(1);
    } finally {
      closeSync(fd);
    }
  });

  it('an empty file yields nothing', async () => {
    const file = join(dir, 'empty');
    writeFileSync(file, '');
    const fd = openSync(file, 'r');
    const got: Buffer[] = [];
    for await (const c of fileChunks(fd)) got.push(c);
    closeSync(fd);
    expect(got).toEqual([]);
  });
});
