// Terminal niceties, on stderr only and only when stderr is a terminal: a
// "connecting" spinner (ora) and red error lines (chalk). Both are imported on
// demand so scripts (no TTY) never pay for them; stdout stays data only.
// NO_COLOR (any non-empty value) turns colour off; FORCE_COLOR (not '0') turns it on
// even when stderr is not a terminal. The spinner needs a real terminal.
import { importExternal } from '../../import-external.js';
import { escapeControlLines } from './terminal-text.js';
import { stderrIsTerminal } from './std-streams.js';

interface Chalk {
  red(s: string): string;
}
let chalk: Chalk | undefined;

/** `stream`: what is painted (stderr unless given; its isTTY is read only when the env leaves it open). */
export function colourEnabled(env: NodeJS.ProcessEnv = process.env, stream?: { isTTY?: boolean }): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return (stream ? stream.isTTY === true : stderrIsTerminal()) && env.TERM !== 'dumb';
}

/** Starts loading chalk if colour will be used, so error lines can be painted synchronously later. */
export async function prepareColour(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!colourEnabled(env) || chalk) return;
  const mod = await importExternal<typeof import('chalk')>('chalk');
  chalk = new mod.Chalk({ level: 1 });
}

/**
 * What goes to stderr: control characters escaped (broker text, echoed
 * arguments; see terminal-text.ts), then painted red when colour is on.
 */
export function stderrText(text: string): string {
  const safe = escapeControlLines(text);
  return chalk && safe ? chalk.red(safe) : safe;
}

export interface Spinner {
  stop(): void;
  /** New text for the spinner; false when there is no spinner to show it (not a terminal). */
  setText(text: string): boolean;
}

/**
 * A spinner on stderr while connecting, shown only if connecting takes longer than
 * `delayMs` (one-shot runs against a local broker never load ora at all).
 */
export function connectingSpinner(text: string, env: NodeJS.ProcessEnv = process.env, delayMs = 250): Spinner {
  // A terminal that reports no width (some ptys) would make ora's redraw arithmetic loop.
  if (!stderrIsTerminal() || !(process.stderr.columns > 0) || env.TERM === 'dumb' || env.CI) return { stop() {}, setText: () => false };
  let stopped = false;
  let spinner: { stop(): void; text: string } | undefined;
  // An exit while spinning (Ctrl-C before CONNACK exits at once) still clears the line and shows the cursor.
  const onExit = (): void => spinner?.stop();
  const timer = setTimeout(() => {
    void importExternal<typeof import('ora')>('ora').then(({ default: ora }) => {
      if (stopped) return;
      // discardStdin off: ora's would put the terminal in raw mode, so Ctrl-C no longer
      // raised SIGINT and lines typed for -l lost their echo and their newline.
      const options = { text, stream: process.stderr, color: env.NO_COLOR ? undefined : ('cyan' as const), discardStdin: false };
      spinner = ora(options).start();
      process.once('exit', onExit);
    });
  }, delayMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      spinner?.stop();
      process.off('exit', onExit);
    },
    setText(t: string) {
      text = t;
      if (spinner) spinner.text = t;
      return true;
    },
  };
}
