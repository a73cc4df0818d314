// File-system failures as one line in mosquitto's style:
// "Unable to open password file f1. No such file or directory."
import { MqttToolError } from '../../errors.js';

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
  EIO: 'Input/output error',
  EXDEV: 'Invalid cross-device link',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  EBUSY: 'Device or resource busy',
  ETXTBSY: 'Text file busy',
};

export function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && STRERROR[code]) return STRERROR[code];
  return code ?? (e instanceof Error ? e.message : String(e));
}

/** `what` is the start of the sentence, e.g. "Unable to open password file f1". */
export function ioError(e: unknown, what: string): MqttToolError {
  if (e instanceof MqttToolError) return e;
  return new MqttToolError('IO_ERROR', `${what}. ${strerror(e)}.`, { cause: e });
}
