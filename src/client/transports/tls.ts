// TLS over TCP (or over an already open stream, e.g. a SOCKS tunnel). Resolves
// only after the handshake succeeded and the server was verified.
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { TlsTransportOptions } from '../types.js';
import { abortError, hostPort, transportError } from './socket-errors.js';
import { attachKeylog, insecureWarning, loadTlsMaterial, tlsConnectOptions } from './tls-options.js';
import { tcpConnectOptions } from './tcp.js';
import type { CancelSignal } from '../cancel.js';

/** Starts the handshake and waits for 'secureConnect'. `overStream` set: TCP is already up. */
export function handshake(
  opts: ConnectionOptions,
  overStream: boolean,
  signal?: CancelSignal,
  onSocket?: (sock: TLSSocket) => void,
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    let sock: TLSSocket;
    try {
      sock = tlsConnect(opts);
    } catch (err) {
      // Bad key/cert/passphrase/cipher list: thrown while building the context.
      return reject(transportError(err, 'tls'));
    }
    onSocket?.(sock); // before the handshake: --tls-keylog must see its first lines
    let tcpUp = overStream;
    const cleanup = (): void => {
      sock.off('connect', onTcp);
      sock.off('secureConnect', onSecure);
      sock.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onTcp = (): void => {
      tcpUp = true;
    };
    const onSecure = (): void => {
      cleanup();
      resolve(sock);
    };
    const onError = (err: Error): void => {
      cleanup();
      sock.destroy();
      reject(transportError(err, tcpUp ? 'tls' : 'connect'));
    };
    const onAbort = (): void => {
      cleanup();
      sock.destroy();
      reject(abortError(signal as CancelSignal));
    };
    sock.once('connect', onTcp);
    sock.once('secureConnect', onSecure);
    sock.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function describeTls(sock: TLSSocket, target: string): string {
  const proto = sock.getProtocol() ?? 'TLS';
  const cipher = sock.getCipher()?.name;
  return `tls ${target} (${proto}${cipher ? `, ${cipher}` : ''})`;
}

/** TLS to o.host:o.port, directly or through `via` (a connected tunnel). */
export async function openTls(
  o: TlsTransportOptions,
  signal?: CancelSignal,
  warn?: (line: string) => void,
  via?: Duplex,
): Promise<{ stream: TLSSocket; description: string }> {
  const material = await loadTlsMaterial(o.tls);
  const opts = tlsConnectOptions(o.host, o.tls, material);
  const warning = insecureWarning(o.tls);
  if (warning !== undefined) warn?.(warning);
  // Node checks the host name against `host` when no servername is set (IP literals).
  opts.host = o.host;
  if (via !== undefined) {
    opts.socket = via;
  } else {
    Object.assign(opts, await tcpConnectOptions(o));
  }
  const sock = await handshake(opts, via !== undefined, signal, (ts) => attachKeylog(ts, o.tls));
  if (o.noDelay) sock.setNoDelay(true);
  return { stream: sock, description: describeTls(sock, hostPort(o.host, o.port)) };
}
