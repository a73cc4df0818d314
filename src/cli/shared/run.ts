// parse → run → catch → exit. The only place in the suite that calls process.exit.
import { isToolError } from '../../errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';

export interface ToolMain {
  /** Tool name for error prefixes, e.g. 'mqtt-pub'. */
  name: string;
  /** Resolves with the exit status (0 on success); throws MqttToolError on failure. */
  main(argv: string[]): Promise<number>;
  /** Turns an error into the stderr line(s); default `Error: <message>`. */
  describeError?(err: Error): string;
}

let exiting = false;

export function runTool(tool: ToolMain): void {
  const finish = (status: number): void => {
    if (exiting) return;
    exiting = true;
    process.exitCode = status;
    // Let stdout drain before exiting: a pipe may still hold buffered data.
    if (process.stdout.writableLength === 0) process.exit(status);
    else process.stdout.once('drain', () => process.exit(status));
  };
  const fail = (err: unknown): void => {
    if (exiting) return;
    const e = err instanceof Error ? err : new Error(String(err));
    const line = tool.describeError ? tool.describeError(e) : `Error: ${e.message}`;
    if (line) process.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
    if (process.env.MQTT_CLI_DEBUG_STACK && e.stack) process.stderr.write(`${e.stack}\n`);
    finish(isToolError(e) ? exitCodeFor(e) : EXIT.USAGE);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // A closed stdout (e.g. `| head -1`) is a normal end for a data tool, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      exiting = true;
      process.exit(EXIT.OK);
    }
    fail(err);
  });
  tool.main(process.argv.slice(2)).then(finish, fail);
}

/** For tools that need to stop now with a given status (signals, -W expiry). */
export function exitNow(status: number): never {
  exiting = true;
  process.exit(status);
}
