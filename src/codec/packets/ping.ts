// PINGREQ (12) and PINGRESP (13): fixed header only.
import type { PingreqPacket, PingrespPacket } from '../types.js';
import type { Reader } from '../reader.js';

const PINGREQ = Buffer.from([0xc0, 0x00]);
const PINGRESP = Buffer.from([0xd0, 0x00]);

export function encodePing(p: PingreqPacket | PingrespPacket): Buffer {
  // A fresh copy: callers own what they get and may hand it to a socket.
  return Buffer.from(p.type === 'pingreq' ? PINGREQ : PINGRESP);
}

export function pingSize(): number {
  return 2;
}

export function decodePing(r: Reader, typeId: number): PingreqPacket | PingrespPacket {
  r.done(typeId === 12 ? 'PINGREQ' : 'PINGRESP');
  return typeId === 12 ? { type: 'pingreq' } : { type: 'pingresp' };
}
