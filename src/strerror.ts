// strerror(3)'s words (glibc) for the errno codes Node reports: mosquitto's tools
// print these, so ours do too. The one table, for sockets and files alike.
const TEXT: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EADDRINUSE: 'Address already in use',
  ENOTSOCK: 'Socket operation on non-socket',
  EPIPE: 'Broken pipe',
  EINVAL: 'Invalid argument',
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

/** The text for an errno code, or undefined when the table has none. */
export function errnoName(code: string | undefined): string | undefined {
  return code === undefined ? undefined : TEXT[code];
}

/** An error's strerror text; its code, or its message, when the table has none. */
export function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return errnoName(code) ?? code ?? (e instanceof Error ? e.message : String(e));
}
