// An edit of a password file as two streaming passes, memory independent of
// the file's size. Pass 1 reads every line (refusing a corrupt file before
// anything is written) and finds the first line the edit changes; pass 2
// rewrites from that line to the end. Everything before it stays as it is on
// disk, so only the tail is written: appending a user to 1,000,000 writes one line.
import { fromBinary, parseLine, type PasswdLine } from './passwd-file.js';
import { LineReader } from './line-scan.js';

export interface LineEdit {
  /** Pass 1, every line in order: true for a line the edit changes. */
  changes(line: PasswdLine): boolean;
  /** Between the passes (e.g. hash the password now the file's default hash is known). */
  prepare?(): Promise<void>;
  /** Pass 2, a batch at a time from the first changed line: each line's new text with its '\n', '' to remove it. */
  rewrite(lines: PasswdLine[]): Promise<string[]> | string[];
  /** Text after the last line; `needsNewline` when what precedes it does not end with '\n'. */
  finish(needsNewline: boolean): string;
  /** Lines per rewrite() call (memory bound); -U takes more, so its hashing threads start less often. */
  batchLines?: number;
  /** -c: the old content is not read at all (a corrupt or foreign file is simply replaced). */
  replacesAll?: boolean;
}

/** Where the new tail starts; its bytes, to the end of the file, went through `write`. */
export interface TailResult {
  offset: number;
}

const BATCH_LINES = 4096;
const FLUSH_CHARS = 1 << 20;

/** The unchanged text of a line, as it was on disk. */
export const keep = (l: PasswdLine): string => (l.eol ? `${l.raw}\n` : l.raw);

/** Runs `edit` over the open file `fd`; null when it changes nothing. */
export async function streamEdit(fd: number, edit: LineEdit, write: (chunk: Buffer) => void): Promise<TailResult | null> {
  if (edit.replacesAll) {
    await edit.prepare?.();
    write(fromBinary(edit.finish(false)));
    return { offset: 0 };
  }
  let first: { offset: number; lineNo: number } | undefined;
  let size = 0;
  let lastEol = true;
  const pass1 = new LineReader(fd);
  const inspect = (raw: string, eol: boolean, lineNo: number, offset: number): void => {
    if (edit.changes(parseLine(raw, lineNo, eol)) && !first) first = { offset, lineNo };
    size = offset + raw.length + (eol ? 1 : 0);
    lastEol = eol;
  };
  while (pass1.next(inspect));
  await edit.prepare?.();
  let out = '';
  let wrote = false;
  let endsWithNewline = lastEol;
  const flush = (): void => {
    if (out.length === 0) return;
    write(fromBinary(out));
    wrote = true;
    endsWithNewline = out.endsWith('\n');
    out = '';
  };
  if (first) {
    let batch: PasswdLine[] = [];
    const rewrite = async (): Promise<void> => {
      for (const t of await edit.rewrite(batch)) out += t;
      batch = [];
      if (out.length >= FLUSH_CHARS) flush();
    };
    const pass2 = new LineReader(fd, first.offset, first.lineNo);
    const collect = (raw: string, eol: boolean, lineNo: number): void => void batch.push(parseLine(raw, lineNo, eol));
    for (let more = true; more; ) {
      more = pass2.next(collect);
      if (batch.length >= (edit.batchLines ?? BATCH_LINES) || !more) await rewrite();
    }
    flush();
    // Everything from the first changed line on was removed: the text before it ends with '\n'.
    if (!wrote) endsWithNewline = true;
  }
  const offset = first?.offset ?? size;
  out = edit.finish(offset > 0 && !endsWithNewline);
  flush();
  return first || wrote ? { offset } : null;
}
