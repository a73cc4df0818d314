// Plain TCP, and the one place that turns a net.connect into a promise that
// honours a CancelSignal. Imports node:net only, so a plain publish loads
// nothing heavier.
import { connect, type NetConnectOpts, type Socket, type TcpNetConnectOpts } from 'node:net';
import type { LookupAddress } from 'node:dns';
import type { TcpTransportOptions } from '../types.js';
import { abortError, hostPort, transportError } from './socket-errors.js';
import { importExternal } from '../../import-external.js';
import { fromHostsFile, isIpLiteral, lookupFrom } from './hosts-file.js';
import type { CancelSignal } from '../cancel.js';

/**
 * Connects and resolves with the socket once 'connect' fired; rejects with the
 * raw Node error (callers map it, since the same failure means different things
 * for a broker and a proxy). An abort destroys the socket.
 * The caller must attach its own 'error' listener straight away.
 */
export function connectSocket(opts: NetConnectOpts, signal?: CancelSignal, created?: (sock: Socket) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const sock = connect(opts);
    created?.(sock);
    const cleanup = (): void => {
      sock.off('connect', onConnect);
      sock.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onConnect = (): void => {
      cleanup();
      resolve(sock);
    };
    const onError = (err: Error): void => {
      cleanup();
      sock.destroy();
      reject(err);
    };
    const onAbort = (): void => {
      cleanup();
      sock.destroy();
      reject(abortError(signal as CancelSignal));
    };
    sock.once('connect', onConnect);
    sock.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** -A may name a host; net wants an address, so resolve it first. */
export async function resolveBindAddress(bindAddress: string | undefined): Promise<string | undefined> {
  if (bindAddress === undefined || isIpLiteral(bindAddress)) return bindAddress;
  try {
    // Loaded only here: a plain connect need not pay for node:dns/promises.
    const { lookup } = await importExternal<typeof import('node:dns/promises')>('node:dns/promises');
    return (await lookup(bindAddress)).address;
  } catch (err) {
    throw transportError(err, 'connect');
  }
}

/** Socket options shared by TCP and TLS-over-TCP. */
export async function tcpConnectOptions(o: Omit<TcpTransportOptions, 'kind'>): Promise<TcpNetConnectOpts> {
  return (await socketOptions(o)).opts;
}

/** The socket options, and the addresses /etc/hosts gave the host (when it did). */
async function socketOptions(o: Omit<TcpTransportOptions, 'kind'>): Promise<{ opts: TcpNetConnectOpts; known?: LookupAddress[] }> {
  const localAddress = await resolveBindAddress(o.bindAddress);
  // A name in /etc/hosts (the default `localhost`) skips the resolver's thread pool.
  const known = isIpLiteral(o.host) ? undefined : fromHostsFile(o.host);
  const opts: TcpNetConnectOpts = {
    host: o.host,
    port: o.port,
    ...(known ? { lookup: lookupFrom(o.host, known) } : {}),
    ...(localAddress !== undefined ? { localAddress } : {}),
    ...(o.noDelay ? { noDelay: true } : {}),
  };
  return known ? { opts, known } : { opts };
}

export async function openTcp(o: TcpTransportOptions, signal?: CancelSignal): Promise<{ stream: Socket; description: string; direct: true; pausable?: boolean }> {
  const { opts, known } = await socketOptions(o);
  // One address for the name: connect to it as a literal, so net neither looks it
  // up nor tests the name against its IPv6 pattern. (TLS keeps the name: it is
  // what the certificate is checked against.)
  if (known?.length === 1) {
    opts.host = (known[0] as LookupAddress).address;
    delete opts.lookup;
  }
  let sock: Socket;
  let reader: Socket | undefined; // the socket, known from its creation on: before any read can happen
  if (o.pausableReads) {
    // With `onread`, pause() stops libuv reading (with 'data' events it only holds
    // them back while the socket goes on reading). Each chunk is copied out of the
    // reused buffer, since decoded packets keep views into it, and handed on as
    // the 'data' event the connection listens for.
    const buffer = Buffer.allocUnsafe(64 * 1024);
    opts.onread = {
      buffer,
      callback: (n: number, buf: Uint8Array) => {
        reader?.emit('data', Buffer.from(buf.subarray(0, n)));
        return true; // pausing is the connection's to decide (it calls pause() from its 'data' handler)
      },
    };
  }
  try {
    sock = await connectSocket(opts, signal, (s) => (reader = s));
  } catch (err) {
    throw transportError(err, 'connect');
  }
  if (o.noDelay) sock.setNoDelay(true);
  return { stream: sock, description: `tcp ${hostPort(o.host, o.port)}`, direct: true, ...(o.pausableReads ? { pausable: true } : {}) };
}
