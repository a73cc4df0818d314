// --stats: a live view on stderr, only when stderr is a terminal: messages/s,
// bytes/s and the busiest topics over the last few seconds, redrawn in place
// once a second. Never written to stdout. When stdout shares the screen, the
// view is wiped before each batch of messages and drawn again below them.
import { escapeControls } from '../shared/terminal-text.js';

const WINDOW_S = 5;
const TOP = 5;

interface Second {
  at: number;
  msgs: number;
  bytes: number;
  topics: Map<string, number>;
}

export interface StatsOut {
  write(text: string): void;
  columns?: number;
}

export class StatsView {
  private seconds: Second[] = [];
  private total = 0;
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: StatsOut,
    private readonly nowMs: () => number = Date.now,
  ) {}

  start(intervalMs = 1000): void {
    this.timer = setInterval(() => this.draw(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  count(topic: string, bytes: number): void {
    const sec = this.current();
    sec.msgs++;
    sec.bytes += bytes;
    sec.topics.set(topic, (sec.topics.get(topic) ?? 0) + 1);
    this.total++;
  }

  /** Wipes the view (messages are about to be printed on the same screen). */
  clear(): void {
    if (this.drawn === 0) return;
    this.out.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }

  draw(): void {
    const lines = this.lines();
    this.clear();
    this.out.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }

  /** The view's text: a rate line, then the busiest topics. */
  lines(): string[] {
    const now = Math.floor(this.nowMs() / 1000);
    this.seconds = this.seconds.filter((s) => s.at > now - WINDOW_S);
    // Rates over the whole seconds seen so far in the window (the current one is partial).
    const span = Math.max(1, Math.min(WINDOW_S, now - (this.seconds[0]?.at ?? now) + 1));
    let msgs = 0;
    let bytes = 0;
    const topics = new Map<string, number>();
    for (const s of this.seconds) {
      msgs += s.msgs;
      bytes += s.bytes;
      for (const [t, n] of s.topics) topics.set(t, (topics.get(t) ?? 0) + n);
    }
    const width = Math.max(20, (this.out.columns ?? 80) - 1);
    const head = `\x1b[1m${rate(msgs / span)} msg/s  ${byteRate(bytes / span)}  ${this.total} total\x1b[22m`;
    const busiest = [...topics].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP);
    return [head, ...busiest.map(([t, n]) => fit(`${rate(n / span).padStart(8)}/s  ${escapeControls(t)}`, width))];
  }

  private current(): Second {
    const at = Math.floor(this.nowMs() / 1000);
    const last = this.seconds[this.seconds.length - 1];
    if (last?.at === at) return last;
    const sec: Second = { at, msgs: 0, bytes: 0, topics: new Map() };
    this.seconds.push(sec);
    return sec;
  }
}

const rate = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

function byteRate(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB/s`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB/s`;
  return `${n.toFixed(0)} B/s`;
}

/** Cut to the terminal's width, so a long topic cannot wrap and break the redraw. */
function fit(s: string, width: number): string {
  return s.length > width ? `${s.slice(0, width - 1)}…` : s;
}
