// Small checks shared by the packet encoders, and the record type each packet
// file exports for the codec to dispatch on.
import type { Packet, ProtocolVersion } from '../types.js';
import type { Reader } from '../reader.js';
import type { OutBuffer } from '../writer.js';
import { invalidArgument } from '../codec-errors.js';
import { MAX_VBI, vbiSize } from '../varint.js';

export function checkPacketId(id: unknown, what: string): number {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > 0xffff) {
    invalidArgument(`${what} packet identifier must be 1-65535, got ${String(id)}`);
  }
  return id as number;
}

export function checkQos(qos: unknown, what: string): 0 | 1 | 2 {
  if (qos !== 0 && qos !== 1 && qos !== 2) invalidArgument(`${what} QoS must be 0, 1 or 2, got ${String(qos)}`);
  return qos as 0 | 1 | 2;
}

export function checkBytes(b: unknown, what: string, max = Infinity): number {
  if (!(b instanceof Uint8Array)) invalidArgument(`${what} must be a Uint8Array`);
  const n = (b as Uint8Array).length;
  if (n > max) invalidArgument(`${what} is ${n} bytes, more than ${max}`);
  return n;
}

export function checkRemainingLength(rl: number, what: string): number {
  if (rl > MAX_VBI) invalidArgument(`${what} needs a remaining length of ${rl}, more than ${MAX_VBI}`);
  return rl;
}

/** Total packet size from its remaining length. */
export function totalSize(rl: number): number {
  return 1 + vbiSize(rl) + rl;
}

/**
 * Everything the codec knows about one packet type, in that packet's file:
 * packet-codec.ts dispatches on these records, so a new packet type is its
 * file plus one line in the registry there.
 */
export interface PacketCodec<P extends Packet> {
  readonly type: P['type'];
  /** Fixed-header flags a received frame must carry; undefined when decode judges them itself. */
  readonly flags: number | undefined;
  /** The first protocol version that has this packet (AUTH: 5); a frame of it before is malformed. */
  readonly since?: ProtocolVersion;
  /** Encoded size, fixed header included, with the same validation as encode. */
  size(p: P, version: ProtocolVersion): number;
  /** With `out`, the bytes are written into its lent room and the result is a view of them. */
  encode(p: P, version: ProtocolVersion, out?: OutBuffer): Buffer;
  /** r spans the frame's body; flags is the fixed header's low nibble. */
  decode(r: Reader, flags: number, version: ProtocolVersion): P;
}
