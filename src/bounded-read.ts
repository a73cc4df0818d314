// Reading a file the user names (-f, --password-file, a zone file from $TZ)
// without trusting its size: /dev/zero or an endless FIFO must end in a clear
// error, not in memory exhaustion. At most limit + 1 bytes are ever read.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface BoundedRead {
  /** The whole file when `complete`; otherwise its first `limit` bytes with `head`, else nothing. */
  data: Buffer;
  /** False when the file holds more than `limit` bytes. */
  complete: boolean;
}

const CHUNK = 64 * 1024;

/**
 * Reads `path` up to `limit` bytes; throws what openSync/readSync throw.
 * `head`: the caller wants the first `limit` bytes even of a longer file (a
 * password file's first line); otherwise a longer file is not read at all
 * when its size shows it, and what was read is dropped.
 */
export function readFileBounded(path: string, limit: number, o: { head?: boolean } = {}): BoundedRead {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (!o.head && st.isFile() && st.size > limit) return { data: Buffer.alloc(0), complete: false };
    const chunks: Buffer[] = [];
    let total = 0;
    if (st.isFile() && st.size <= limit) {
      // Known size: one buffer, read in place (a 256 MB -f must not cost twice its size), plus
      // a byte to notice a file that grew meanwhile.
      const buf = Buffer.allocUnsafe(st.size + 1);
      while (total < buf.length) {
        const n = readSync(fd, buf, total, buf.length - total, null);
        if (n === 0) return { data: buf.subarray(0, total), complete: true };
        total += n;
      }
      chunks.push(buf);
      if (total > limit) return { data: o.head ? buf.subarray(0, limit) : Buffer.alloc(0), complete: false };
    }
    for (;;) {
      // One byte past the limit tells "exactly full" from "more to come".
      const want = Math.min(CHUNK, limit + 1 - total);
      const buf = Buffer.allocUnsafe(want);
      const n = readSync(fd, buf, 0, want, null);
      if (n === 0) return { data: Buffer.concat(chunks, total), complete: true };
      chunks.push(n === want ? buf : buf.subarray(0, n));
      total += n;
      if (total > limit) {
        return { data: o.head ? Buffer.concat(chunks, total).subarray(0, limit) : Buffer.alloc(0), complete: false };
      }
    }
  } finally {
    closeSync(fd);
  }
}
