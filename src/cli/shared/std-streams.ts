// Questions about stdout and stderr answered without creating process.stdout or
// process.stderr: Node builds each on first use (a net.Socket for a pipe, with
// its stream machinery), ~0.3-0.8 ms apiece at start-up (measured, Node 20), and a
// plain publish writes to neither.
import { fstatSync } from 'node:fs';

/** Whether fd 2 is a terminal (process.stderr.isTTY), creating process.stderr only for a character device. */
export function stderrIsTerminal(): boolean {
  return isCharacterDevice(2) && process.stderr.isTTY === true;
}

/** A terminal is a character device; a pipe or a file (what scripts give us) is not, and is answered by one fstat. */
function isCharacterDevice(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return false; // a closed descriptor is no terminal
  }
}

/**
 * Calls `onCreate` with process.stdout when something first uses it, not before
 * (process.stdout is a lazy getter in Node; this wraps it once, then puts Node's
 * own back). `used()` says whether it has been created since.
 */
export function whenStdoutCreated(onCreate: (stdout: NodeJS.WriteStream) => void): { used(): boolean } {
  let created = false;
  const own = Object.getOwnPropertyDescriptor(process, 'stdout');
  const getter = own?.get;
  if (!own || !getter || !own.configurable) {
    created = true;
    onCreate(process.stdout);
    return { used: () => true };
  }
  Object.defineProperty(process, 'stdout', {
    configurable: true,
    enumerable: own.enumerable ?? true,
    get() {
      const stdout = getter.call(process) as NodeJS.WriteStream;
      Object.defineProperty(process, 'stdout', own);
      if (!created) {
        created = true;
        onCreate(stdout);
      }
      return stdout;
    },
  });
  return { used: () => created };
}
