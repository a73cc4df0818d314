// PINGREQ (12) and PINGRESP (13): fixed header only.
import type { PingreqPacket, PingrespPacket } from '../types.js';
import type { PacketCodec } from './common.js';

function pingCodec<P extends PingreqPacket | PingrespPacket>(type: P['type'], bytes: readonly number[]): PacketCodec<P> {
  const name = type.toUpperCase();
  return {
    type,
    flags: 0,
    size: () => 2,
    // A fresh copy each time: callers own what they get and may hand it to a socket.
    encode: () => Buffer.from(bytes),
    decode: (r) => {
      r.done(name);
      return { type } as P;
    },
  };
}

export const PINGREQ = pingCodec<PingreqPacket>('pingreq', [0xc0, 0x00]);
export const PINGRESP = pingCodec<PingrespPacket>('pingresp', [0xd0, 0x00]);
