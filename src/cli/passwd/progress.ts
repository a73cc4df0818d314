// A "Hashing passwords 1200/5000" spinner on stderr for long runs (-U on a big
// file). Only on a terminal, and ora is imported only then: scripts never pay for it.
import { colourEnabled } from '../shared/tty.js';
import { importExternal } from '../../import-external.js';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

const NONE: Progress = { update() {}, stop() {} };

/** Below this many hashes the run is over before a spinner would be seen. */
const MIN_ITEMS = 50;

export async function startProgress(label: string, total: number, env: NodeJS.ProcessEnv = process.env): Promise<Progress> {
  if (total < MIN_ITEMS || process.stderr.isTTY !== true || env.TERM === 'dumb' || env.CI) return NONE;
  // A terminal that reports no width (some ptys) sends ora's line clearing into a loop.
  if (!(process.stderr.columns >= 20)) return NONE;
  const { default: ora } = await importExternal<typeof import('ora')>('ora');
  const text = (done: number): string => `${label} ${done}/${total}`;
  const spinner = ora({ text: text(0), stream: process.stderr, color: colourEnabled(env) ? 'cyan' : false }).start();
  let shown = 0;
  return {
    update(done) {
      // Repainting on every hash would cost more than the hashing at low iteration counts.
      if (done - shown < Math.max(1, total / 100) && done !== total) return;
      shown = done;
      spinner.text = text(done);
    },
    stop() {
      spinner.stop();
    },
  };
}
