// PINGREQ (12) and PINGRESP (13): fixed header only.
import type { PingreqPacket, PingrespPacket } from '../types.js';
import type { PacketCodec } from './common.js';
import { startPacket } from '../writer.js';

function pingCodec<P extends PingreqPacket | PingrespPacket>(type: P['type'], firstByte: number): PacketCodec<P> {
  const name = type.toUpperCase();
  return {
    type,
    flags: 0,
    size: () => 2,
    // Without `out`, fresh bytes each time: callers own what they get and may hand it to a socket.
    encode: (_p, _v, out) => startPacket(firstByte, 0, out).done(),
    decode: (r) => {
      r.done(name);
      return { type } as P;
    },
  };
}

export const PINGREQ = pingCodec<PingreqPacket>('pingreq', 0xc0);
export const PINGRESP = pingCodec<PingrespPacket>('pingresp', 0xd0);
