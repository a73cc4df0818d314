// parse → run → catch → exit. The only place in the suite that calls process.exit.
// A tool's own failures (MqttToolError) are described by the tool; anything else
// that reaches here is a bug in the tool, and says so.
import { isToolError } from '../../errors.js';
import { recoverArgv } from './argv-bytes.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { whenStdoutCreated } from './std-streams.js';

/** What one run knows about itself: the tool fills it in once its options are parsed. */
export interface Run {
  /** The name the tool was invoked as, for error lines: 'mqtt-pub', or 'mosquitto_pub' through a link of that name. */
  readonly tool: string;
  /** --quiet: runtime errors are not shown (argument errors still are). */
  quiet: boolean;
  /** The MQTT version in use (CONNACK texts differ). */
  version: number;
  /** -d/--debug: an internal error also prints its stack. */
  debug: boolean;
  /** Stop now with `status` (signals, -W expiry). */
  exitNow(status: number): never;
}

export interface ToolMain {
  /** Tool name for error prefixes, e.g. 'mqtt-pub'. */
  name: string;
  /** The name it was started as (invokedName), for usage errors; default `name`. */
  invokedAs?: string;
  /** Resolves with the exit status (0 on success); throws MqttToolError on failure. */
  main(argv: string[], run: Run): Promise<number>;
  /** Turns a tool error into the stderr line(s) ('' for none); default `Error: <message>`. */
  describeError?(err: Error, run: Run): string;
  /**
   * What a closed stdout means. 'data' (default): the reader has what it wanted
   * (`| head -1`), end with 0. 'diagnostics': stdout only carries -d lines, so
   * the work goes on, writes to stdout are dropped, and the status is the work's.
   */
  stdout?: 'data' | 'diagnostics';
  /** Status when standard output is closed under us (EPIPE); default 0, a normal end for a data stream. */
  closedStdoutStatus?: number;
}

export function runTool(tool: ToolMain): void {
  let exiting = false;
  const exit = (status: number): never => {
    exiting = true;
    process.exit(status);
  };
  const run: Run = { tool: tool.invokedAs ?? tool.name, quiet: false, version: 4, debug: false, exitNow: exit };
  const finish = (status: number): void => {
    if (exiting) return;
    exiting = true;
    process.exitCode = status;
    // Let stdout drain before exiting: a pipe may still hold buffered data (a closed one never drains).
    if (!stdout.used() || process.stdout.writableLength === 0 || process.stdout.destroyed) process.exit(status);
    else process.stdout.once('drain', () => process.exit(status));
  };
  const fail = (err: unknown): void => {
    if (exiting) return;
    const e = err instanceof Error ? err : new Error(String(err));
    const line = errorText(tool, run, e);
    if (line) process.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
    finish(isToolError(e) ? exitCodeFor(e) : EXIT.USAGE);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // The event loop ran dry with main unsettled: nothing can finish the run any more
  // (e.g. a socket paused for good). A bug to report, never a silent exit 0.
  process.on('beforeExit', () => fail(new Error('the run stalled: nothing left to wait for, with work unfinished')));
  // Only once something writes to stdout: a plain publish never creates the stream (std-streams.ts).
  const stdout = whenStdoutCreated((out) =>
    out.on('error', (err: NodeJS.ErrnoException) => {
      const closed = err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED';
      if (closed && tool.stdout === 'diagnostics') {
        out.destroy(); // later writes are dropped; the pending ones will not drain
        return;
      }
      // A closed stdout (e.g. `| head -1`) is a normal end for a data tool, not an error.
      if (err.code === 'EPIPE') exit(tool.closedStdoutStatus ?? EXIT.OK);
      fail(err);
    }),
  );
  // Arguments keep their exact bytes (see argv-bytes.ts); a failure to recover them is an argv error.
  Promise.resolve()
    .then(() => tool.main(recoverArgv(process.argv.slice(2)), run))
    .then(finish, fail);
}

/** The basename the tool was started as, without `.js` (bin/mqtt-pub.js → mqtt-pub), else `fallback`. */
export function invokedName(script: string | undefined, fallback: string): string {
  const base = (script ?? '').split('/').pop()?.replace(/\.js$/, '') ?? '';
  return base === '' ? fallback : base;
}

/** The stderr text for a failure: the tool's words for its own errors, "internal error" for a bug. */
export function errorText(tool: Pick<ToolMain, 'name' | 'describeError'>, run: Run, e: Error): string {
  if (isToolError(e) || isSystemError(e)) return tool.describeError ? tool.describeError(e, run) : `Error: ${e.message}`;
  const line = `Error: ${tool.name}: internal error: ${oneLine(e)}`;
  return run.debug && e.stack ? `${line}\n${e.stack}` : line;
}

/** A failure of the system (a file, a pipe, the network) that no layer wrapped: not a bug, reported as it is. */
function isSystemError(e: Error): boolean {
  const s = e as NodeJS.ErrnoException;
  return typeof s.syscall === 'string' || typeof s.errno === 'number';
}

function oneLine(e: Error): string {
  const text = `${e.name}: ${e.message}`;
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}
