// Failure injection for the crash-safety tests (test plan W3/W4). Set
// MQTT_PASSWD_FAULT=<step> to make that step fail as a full disk would, or
// MQTT_PASSWD_FAULT=kill:<step> to die there with SIGKILL (no clean-up runs).
// Unset, this costs one environment lookup per step.

export type FaultStep =
  | 'lock'
  | 'open-temp'
  | 'write'
  | 'fsync'
  | 'rename'
  | 'dir-fsync'
  | 'write-in-place'
  | 'fsync-in-place'
  | 'remove-sidecar'
  | 'unlock';

/** In the order an edit takes them (in-place.ts). */
export const FAULT_STEPS: readonly FaultStep[] = [
  'lock',
  'open-temp',
  'write',
  'fsync',
  'rename',
  'dir-fsync',
  'write-in-place',
  'fsync-in-place',
  'remove-sidecar',
  'unlock',
];

const ERRNO: Record<FaultStep, string> = {
  lock: 'EROFS',
  'open-temp': 'EROFS',
  write: 'ENOSPC',
  fsync: 'EIO',
  rename: 'EXDEV',
  'dir-fsync': 'EIO',
  'write-in-place': 'ENOSPC',
  'fsync-in-place': 'EIO',
  'remove-sidecar': 'EIO',
  unlock: 'EIO',
};

export function faultAt(step: FaultStep): void {
  const fault = process.env.MQTT_PASSWD_FAULT;
  if (!fault) return;
  if (fault === `kill:${step}`) process.kill(process.pid, 'SIGKILL');
  if (fault === step) {
    const err = new Error(`injected fault at ${step}`) as NodeJS.ErrnoException;
    err.code = ERRNO[step];
    throw err;
  }
}

/** A write that stops halfway, as a disk filling up mid-write would. */
export function faultPartialWrite(step: FaultStep): boolean {
  const fault = process.env.MQTT_PASSWD_FAULT;
  return fault === step || fault === `kill:${step}`;
}
