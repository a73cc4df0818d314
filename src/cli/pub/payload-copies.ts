// Copies of pub -l lines. Each line is a view of a read buffer that the next
// read overwrites (stdin-chunks.ts), and a message at QoS 1/2 keeps its payload
// until acknowledged, so every payload is copied. Copies are cut from small
// slabs of their own, not from Buffer's 8 KiB pool: a slab lives as long as the
// last message cut from it, and an 8 KiB one (~250 short lines plus their wait
// for acknowledgements) outlived two scavenges often enough to be promoted; a
// promoted slab then stays until a full GC that a run of -l does not reach.
// Node 24, 200k lines at QoS 1/2: +5 MB of peak RSS from such slabs; with 2 KiB
// slabs, as at QoS 0. Copies on V8's heap are no answer either: promoted, they
// stay just the same (pub -l reconnects at QoS 2: ~12 MB more in scripts/soak.mjs).

/** Slab size: short-lived enough to die young at tens of thousands of lines a second. */
const SLAB = 2 * 1024;
/** Longer lines get a buffer each; cut from a slab they would fill it in a few lines. */
const OWN_BUFFER_FROM = SLAB / 4;

export class PayloadCopies {
  private slab: Buffer = Buffer.alloc(0);
  private at = 0;

  /** A copy of `src` that no later copy shares bytes with. */
  copy(src: Uint8Array): Buffer {
    const n = src.length;
    if (n >= OWN_BUFFER_FROM) {
      const own = Buffer.allocUnsafeSlow(n);
      own.set(src);
      return own;
    }
    if (this.at + n > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(SLAB);
      this.at = 0;
    }
    const out = this.slab.subarray(this.at, this.at + n);
    out.set(src);
    // 8-byte aligned, as Buffer's pool does.
    this.at = (this.at + n + 7) & ~7;
    return out;
  }
}
