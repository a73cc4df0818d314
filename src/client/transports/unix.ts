// Unix domain socket (mosquitto's --unix).
import type { Socket } from 'node:net';
import type { UnixTransportOptions } from '../types.js';
import { transportError } from './socket-errors.js';
import { connectSocket } from './tcp.js';
import type { CancelSignal } from '../cancel.js';

export async function openUnix(o: UnixTransportOptions, signal?: CancelSignal): Promise<{ stream: Socket; description: string; direct: true }> {
  try {
    return { stream: await connectSocket({ path: o.path }, signal), description: `unix ${o.path}`, direct: true };
  } catch (err) {
    throw transportError(err, 'connect');
  }
}
