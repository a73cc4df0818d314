// SOCKS5 tunnel (mosquitto's --proxy) built with the `socks` package. We open
// the TCP connection to the proxy ourselves so -A, abort and error wording
// work as for a direct connection, then let `socks` run the handshake on it.
import { isIP, type Socket } from 'node:net';
import { lookup } from 'node:dns/promises';
import { SocksClient } from 'socks';
import { MqttToolError } from '../../errors.js';
import type { ProxyOptions } from '../types.js';
import { abortError, hostPort, transportError } from './socket-errors.js';
import { connectSocket, resolveBindAddress } from './tcp.js';
import type { CancelSignal } from '../cancel.js';

export interface TunnelTarget {
  host: string;
  port: number;
  bindAddress?: string;
}

/** socks5: we resolve the broker's name here; socks5h: the proxy does. */
async function destinationHost(proxy: ProxyOptions, host: string): Promise<string> {
  if (proxy.protocol === 'socks5h' || isIP(host) !== 0) return host;
  try {
    return (await lookup(host)).address;
  } catch (err) {
    throw transportError(err, 'connect');
  }
}

export function describeProxy(proxy: ProxyOptions): string {
  return `${proxy.protocol} proxy ${hostPort(proxy.host, proxy.port)}`;
}

/**
 * `socks` resumes the socket on a later tick, even with nobody listening, so
 * bytes could be dropped before the caller attaches 'data'. Pause it and let
 * the first 'data' listener start the flow again.
 */
function holdUntilRead(sock: Socket): void {
  sock.pause();
  const onListener = (event: string | symbol): void => {
    if (event !== 'data') return;
    sock.off('newListener', onListener);
    process.nextTick(() => sock.resume());
  };
  sock.on('newListener', onListener);
}

/** Resolves with a socket whose bytes reach target.host:target.port through the proxy. Errors: CONNECT_FAILED (the proxy unreachable), PROXY_ERROR (its SOCKS answer). */
export async function openSocksTunnel(proxy: ProxyOptions, target: TunnelTarget, signal?: CancelSignal): Promise<Socket> {
  const where = describeProxy(proxy);
  const destination = { host: await destinationHost(proxy, target.host), port: target.port };
  const localAddress = await resolveBindAddress(target.bindAddress);
  let sock: Socket;
  try {
    sock = await connectSocket({ host: proxy.host, port: proxy.port, ...(localAddress ? { localAddress } : {}) }, signal);
  } catch (err) {
    // Not reaching the proxy is a failed connect, worded and numbered as for a broker (mosquitto: status 1).
    throw transportError(err, 'connect');
  }
  const onAbort = (): void => void sock.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await SocksClient.createConnection({
      proxy: {
        host: proxy.host,
        port: proxy.port,
        type: 5,
        ...(proxy.username !== undefined ? { userId: proxy.username } : {}),
        ...(proxy.password !== undefined ? { password: proxy.password } : {}),
      },
      command: 'connect',
      destination,
      existing_socket: sock,
    });
  } catch (err) {
    sock.destroy();
    if (signal?.aborted) throw abortError(signal);
    const msg = err instanceof Error ? err.message : String(err);
    throw new MqttToolError('PROXY_ERROR', `Proxy error: ${msg} (${where})`, { cause: err });
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  // `socks` resumes on setImmediate after 'established'; wait for that, then hold.
  await new Promise((r) => setImmediate(r));
  holdUntilRead(sock);
  return sock;
}
