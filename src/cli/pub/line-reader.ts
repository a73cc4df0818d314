// Splits a byte stream into lines at '\n' without decoding anything: each line
// is a Buffer (mosquitto_pub removes the '\n' and keeps a '\r'), maybe a view of
// the chunk, so valid only as long as the chunk's bytes are; nothing of a chunk
// is kept after push() returns (its caller may reuse the buffer). A last line
// with no newline is still a line; an empty input yields nothing. Synchronous
// per chunk, so a caller can publish a whole chunk's lines without a promise
// per line (mqtt-pub -l's hot loop).

/** Thrown by push() when a line grows past the splitter's limit (no newline in sight). */
export class LineTooLong extends Error {
  constructor(
    readonly lineNo: number,
    readonly limit: number,
  ) {
    super(`Line ${lineNo} is longer than ${limit} bytes.`);
  }
}

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private lines = 0;

  /** `maxLine`: the longest line accepted (`-l </dev/zero` must not grow one line for ever). */
  constructor(private readonly maxLine = Infinity) {}

  /** Calls `onLine` for every complete line in `chunk`, in order; throws LineTooLong past the limit. */
  push(chunk: Buffer, onLine: (line: Buffer) => void): void {
    let start = 0;
    let nl = chunk.indexOf(0x0a, start);
    while (nl >= 0) {
      this.check(this.pendingBytes + nl - start);
      this.lines++;
      if (this.pending.length > 0) {
        this.pending.push(chunk.subarray(start, nl));
        onLine(Buffer.concat(this.pending));
        this.pending = [];
        this.pendingBytes = 0;
      } else onLine(chunk.subarray(start, nl));
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) {
      this.check(this.pendingBytes + chunk.length - start);
      // A copy: the chunk may be a read buffer its caller reuses (stdin-chunks.ts).
      this.pending.push(Buffer.from(chunk.subarray(start)));
      this.pendingBytes += chunk.length - start;
    }
  }

  private check(lineBytes: number): void {
    if (lineBytes > this.maxLine) throw new LineTooLong(this.lines + 1, this.maxLine);
  }

  /** Calls `onLine` for a last line that had no newline. */
  end(onLine: (line: Buffer) => void): void {
    if (this.pending.length > 0) onLine(Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** The same split as an async generator (for callers that want one line at a time). */
export async function* readLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const split = new LineSplitter();
  let lines: Buffer[] = [];
  const collect = (l: Buffer): void => void lines.push(l);
  for await (const raw of input) {
    split.push(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw, collect);
    const ready = lines;
    lines = [];
    yield* ready;
  }
  split.end(collect);
  yield* lines;
}
