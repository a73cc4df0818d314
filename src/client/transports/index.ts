// The client's one way to get a byte stream to the broker. TCP and Unix
// sockets need only node:net; TLS, WebSocket and SOCKS live in modules that are
// imported on first use, so the bundler puts them in chunks a plain TCP
// publish never loads.
import type { Duplex } from 'node:stream';
import { MqttToolError } from '../../errors.js';
import type { ProxyOptions, TransportOptions } from '../types.js';
import { hostPort } from './socket-errors.js';
import { openTcp } from './tcp.js';
import { openUnix } from './unix.js';
import type { CancelSignal } from '../cancel.js';

export interface OpenedTransport {
  stream: Duplex;
  /** for -d and errors */
  description: string;
  /** stream.pause() stops reading from the socket, not only the 'data' events (TcpTransportOptions.pausableReads). */
  pausable?: boolean;
  /** A TCP or Unix socket itself: bytes it no longer counts in writableLength are in the kernel. */
  direct?: boolean;
}

/**
 * Resolves once the stream can carry MQTT: TCP connected, TLS handshake done
 * and verified, or WebSocket open. Rejects with MqttToolError: CONNECT_FAILED,
 * TLS_ERROR, PROXY_ERROR; USAGE/IO_ERROR for unusable TLS options or files.
 * An abort destroys the socket and rejects with the signal's reason when that
 * is an MqttToolError (else CONNECT_FAILED). The caller must attach its own
 * 'error' listener to the stream at once.
 */
export async function openTransport(
  opts: TransportOptions,
  proxy?: ProxyOptions,
  signal?: CancelSignal,
  warn?: (line: string) => void,
): Promise<OpenedTransport> {
  if (opts.kind === 'unix') {
    if (proxy) throw new MqttToolError('USAGE', 'A SOCKS proxy cannot be used with a Unix socket.');
    return openUnix(opts, signal);
  }
  if (opts.kind === 'tcp' && !proxy) return openTcp(opts, signal);

  let via: Duplex | undefined;
  let suffix = '';
  if (proxy) {
    const socks = await import('./socks.js');
    const bindAddress = opts.kind === 'tcp' || opts.kind === 'tls' ? opts.bindAddress : undefined;
    const tunnel = await socks.openSocksTunnel(proxy, { host: opts.host, port: opts.port, ...(bindAddress ? { bindAddress } : {}) }, signal);
    if ((opts.kind === 'tcp' || opts.kind === 'tls') && opts.noDelay) tunnel.setNoDelay(true);
    via = tunnel;
    suffix = ` via ${socks.describeProxy(proxy)}`;
  }
  try {
    const opened = await openOver(opts, via, signal, warn);
    return { stream: opened.stream, description: `${opened.description}${suffix}` };
  } catch (err) {
    via?.destroy();
    throw err;
  }
}

async function openOver(
  opts: Exclude<TransportOptions, { kind: 'unix' }>,
  via: Duplex | undefined,
  signal?: CancelSignal,
  warn?: (line: string) => void,
): Promise<OpenedTransport> {
  switch (opts.kind) {
    case 'tcp':
      // Only reached with a proxy: the tunnel is the stream.
      return { stream: via as Duplex, description: `tcp ${hostPort(opts.host, opts.port)}` };
    case 'tls':
      return (await import('./tls.js')).openTls(opts, signal, warn, via);
    case 'ws':
    case 'wss':
      return (await import('./websocket.js')).openWebSocket(opts, signal, warn, via);
  }
}
