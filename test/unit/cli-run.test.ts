// The single runner: a tool's own errors in the tool's words; anything else is a
// bug and says "internal error" in one line (the stack only under -d), never a
// usage line, and never exit 0.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runTool, type Run } from '../../src/cli/shared/run.js';
import { describeError } from '../../src/cli/shared/describe-error.js';
import { MqttToolError } from '../../src/errors.js';
import { ArgvError } from '../../src/cli/shared/argv-error.js';

let stderr: string;
let exited: Promise<number>;
const before = {
  exception: process.listeners('uncaughtException'),
  rejection: process.listeners('unhandledRejection'),
  beforeExit: process.listeners('beforeExit'),
};

beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  exited = new Promise((resolve) => {
    vi.spyOn(process, 'exit').mockImplementation(((status: number) => {
      resolve(status);
      return undefined as never;
    }) as typeof process.exit);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  // runTool installs process-wide handlers: leave the process as we found it.
  for (const l of process.listeners('uncaughtException')) if (!before.exception.includes(l)) process.off('uncaughtException', l);
  for (const l of process.listeners('unhandledRejection')) if (!before.rejection.includes(l)) process.off('unhandledRejection', l);
  process.stdout.removeAllListeners('error');
  for (const l of process.listeners('beforeExit')) if (!before.beforeExit.includes(l)) process.off('beforeExit', l);
});

/** Run a tool whose main fails with `err`; `debug` as -d would set it. */
async function failWith(err: Error, debug = false): Promise<{ status: number; stderr: string }> {
  runTool({
    name: 'mqtt-test',
    main: async (_argv: string[], run?: Run) => {
      if (debug) run!.debug = true;
      throw err;
    },
    describeError: (e, run?: Run) => describeError(e, run ?? { tool: 'mqtt-test' }),
  });
  const status = await exited;
  return { status, stderr };
}

function bug(): Error {
  const e = new TypeError("Cannot read properties of undefined (reading 'x')");
  e.stack = `${e.name}: ${e.message}\n    at somewhere (file.ts:1:1)`;
  return e;
}

describe('runTool', () => {
  it('an event loop that runs dry while main is still pending is an internal error (status 1), never a silent exit 0', async () => {
    runTool({ name: 'mqtt-test', main: () => new Promise<number>(() => {}) });
    process.emit('beforeExit', 0);
    expect(await exited).toBe(1);
    expect(stderr).toBe('Error: mqtt-test: internal error: Error: the run stalled: nothing left to wait for, with work unfinished\n');
  });

  it('a non-tool error is an internal error: one line with the program name, status 1, no stack, no usage hint', async () => {
    expect(await failWith(bug())).toEqual({
      status: 1,
      stderr: "Error: mqtt-test: internal error: TypeError: Cannot read properties of undefined (reading 'x')\n",
    });
  });

  it('under -d the stack follows the line', async () => {
    const r = await failWith(bug(), true);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "Error: mqtt-test: internal error: TypeError: Cannot read properties of undefined (reading 'x')\n" +
        "TypeError: Cannot read properties of undefined (reading 'x')\n    at somewhere (file.ts:1:1)\n",
    );
  });

  it('control characters in a bug message cannot reach the terminal', async () => {
    expect((await failWith(new Error('a\u001b[2Jb\nc'))).stderr).toBe('Error: mqtt-test: internal error: Error: a [2Jb c\n');
  });

  it("a tool's own errors keep the tool's words and status", async () => {
    expect(await failWith(new MqttToolError('PUBLISH_REJECTED', '1 of 1 message rejected by the broker.'))).toEqual({
      status: 40,
      stderr: 'Error: 1 of 1 message rejected by the broker.\n',
    });
  });

  it('an argument error keeps its usage hint', async () => {
    const r = await failWith(new ArgvError('Unknown option "-Z".'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("Error: Unknown option \"-Z\".\n\nUse 'mqtt-test --help' to see usage.\n");
  });

  it('a system error nobody wrapped (ENOSPC) is reported as it is, not as a bug', async () => {
    const e = Object.assign(new Error('ENOSPC: no space left on device, write'), { errno: -28, code: 'ENOSPC', syscall: 'write' });
    expect(await failWith(e)).toEqual({ status: 1, stderr: 'Error: ENOSPC: no space left on device, write\n' });
  });
});
