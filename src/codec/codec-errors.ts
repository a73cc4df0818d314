// Throw helpers so every codec failure is a CodecError with a stable code and
// a one-line message; `never` return types let callers use them in expressions.
import { CodecError } from '../errors.js';

export function malformed(detail: string): never {
  throw new CodecError('MALFORMED_PACKET', `malformed packet: ${detail}`);
}

export function protocolError(detail: string): never {
  throw new CodecError('PROTOCOL_ERROR', `protocol error: ${detail}`);
}

export function invalidArgument(detail: string): never {
  throw new CodecError('INVALID_ARGUMENT', `invalid argument: ${detail}`);
}

export function tooLarge(detail: string): never {
  throw new CodecError('PACKET_TOO_LARGE', `packet too large: ${detail}`);
}

export function hex(n: number): string {
  return '0x' + n.toString(16).toUpperCase().padStart(2, '0');
}
