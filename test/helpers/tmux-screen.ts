// A real terminal for the e2e tests: a tmux pane (its own server socket per
// screen, so parallel tests never meet) running one command under bash. Tests
// assert on what the screen shows (capture-pane), text or with its SGR codes.
import { spawnSync } from 'node:child_process';

let seq = 0;

export function requireTmux(): void {
  if (spawnSync('tmux', ['-V']).error) throw new Error('tmux is needed for the terminal tests (apt-get install tmux).');
}

export interface ScreenOptions {
  env?: Record<string, string | undefined>;
  cols?: number;
  rows?: number;
  cwd?: string;
}

export class TmuxScreen {
  private constructor(private readonly socket: string) {}

  /**
   * Runs `command` (bash syntax) in a fresh pane. When it ends the pane shows
   * "[exit N]" and stays, so the last screen can still be read.
   */
  static start(command: string, o: ScreenOptions = {}): TmuxScreen {
    const socket = `mqtt-cli-test-${process.pid}-${++seq}`;
    const env = Object.entries({ TERM: 'xterm-256color', ...o.env })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${shellQuote(v!)}`)
      .join(' ');
    // env -u: the test runner's own colour settings must not leak in.
    const script = `env -u NO_COLOR -u FORCE_COLOR -u CI ${env} bash --norc --noprofile -c ${shellQuote(command)}; echo "[exit $?]"; sleep 600`;
    const r = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-x', String(o.cols ?? 120), '-y', String(o.rows ?? 40), ...(o.cwd ? ['-c', o.cwd] : []), script]);
    if (r.status !== 0) throw new Error(`tmux failed: ${r.stderr.toString()}`);
    return new TmuxScreen(socket);
  }

  /** The screen's text (trailing blank lines dropped); with `sgr`, its colour codes too. */
  text(sgr = false): string {
    const r = spawnSync('tmux', ['-L', this.socket, 'capture-pane', '-p', '-J', ...(sgr ? ['-e'] : [])]);
    return r.stdout.toString().replace(/\n+$/, '\n');
  }

  /** Waits until the screen matches `re`; returns the screen text (rejects with it on timeout). */
  async waitFor(re: RegExp, timeoutMs = 15_000, sgr = false): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const t = this.text(sgr);
      if (re.test(t)) return t;
      if (Date.now() > deadline) throw new Error(`screen never matched ${re}:\n${t}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  keys(...keys: string[]): void {
    spawnSync('tmux', ['-L', this.socket, 'send-keys', ...keys]);
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
