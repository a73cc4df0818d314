// MQTT over WebSocket (ws:// and wss://): binary frames, subprotocol 'mqtt',
// default path '/mqtt'. The ws socket is wrapped as a Duplex of raw MQTT bytes.
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { createWebSocketStream, WebSocket, type ClientOptions } from 'ws';
import { MqttToolError } from '../../errors.js';
import type { WebSocketTransportOptions } from '../types.js';
import { connectionLost } from '../client-errors.js';
import { abortError, hostPort, isTlsFailure, transportError } from './socket-errors.js';
import { attachKeylog, insecureWarning, loadTlsMaterial, tlsConnectOptions } from './tls-options.js';
import type { CancelSignal } from '../cancel.js';

const MAX_MQTT_PACKET = 268_435_455 + 5;

export function webSocketUrl(o: WebSocketTransportOptions): string {
  const path = o.path === undefined || o.path === '' ? '/mqtt' : o.path.startsWith('/') ? o.path : `/${o.path}`;
  return `${o.kind}://${hostPort(o.host, o.port)}${path}`;
}

async function clientOptions(o: WebSocketTransportOptions, warn?: (line: string) => void, via?: Duplex): Promise<ClientOptions> {
  const opts: ClientOptions = {
    perMessageDeflate: false,
    // ws refuses messages over 100 MiB by default; an MQTT packet may be up to 256 MiB + 5 header bytes.
    maxPayload: MAX_MQTT_PACKET,
    ...(o.headers ? { headers: o.headers } : {}),
  };
  let tlsOpts: ConnectionOptions | undefined;
  if (o.kind === 'wss') {
    const t = o.tls ?? {};
    tlsOpts = tlsConnectOptions(o.host, t, await loadTlsMaterial(t));
    const warning = insecureWarning(t);
    if (warning !== undefined) warn?.(warning);
    // ws hands these to tls.connect; an IP literal gets no SNI there (servername '').
    Object.assign(opts, tlsOpts);
  }
  const keylog = (sock: TLSSocket): TLSSocket => {
    attachKeylog(sock, o.tls ?? {});
    return sock;
  };
  if (via !== undefined) {
    // Through a proxy: the HTTP upgrade runs over the tunnel instead of a new socket.
    const tunnel = via;
    const secure = tlsOpts;
    const createConnection = (): Duplex => (secure ? keylog(tlsConnect({ ...secure, host: o.host, socket: tunnel })) : tunnel);
    Object.assign(opts, { createConnection });
  } else if (tlsOpts !== undefined && o.tls?.keylogFile !== undefined) {
    // ws opens the TLS socket itself; open it here instead, so --tls-keylog sees it.
    Object.assign(opts, { createConnection: (c: ConnectionOptions) => keylog(tlsConnect(c)) });
  }
  return opts;
}

/** Opens the WebSocket and resolves once the upgrade succeeded. */
export async function openWebSocket(
  o: WebSocketTransportOptions,
  signal?: CancelSignal,
  warn?: (line: string) => void,
  via?: Duplex,
): Promise<{ stream: Duplex; description: string }> {
  const url = webSocketUrl(o);
  const opts = await clientOptions(o, warn, via);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      via?.destroy();
      return reject(abortError(signal));
    }
    const ws = new WebSocket(url, 'mqtt', opts);
    // Wrap at once so no message can arrive before someone listens for it.
    const stream = createWebSocketStream(ws);
    // While opening, failures are reported through the ws 'error' below; the
    // stream re-emits them later, so it keeps this listener unless we succeed.
    const swallow = (): void => {};
    stream.on('error', swallow);
    const cleanup = (): void => {
      ws.off('open', onOpen);
      ws.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (err: MqttToolError): void => {
      cleanup();
      stream.destroy();
      via?.destroy();
      reject(err);
    };
    const onOpen = (): void => {
      if (ws.protocol !== 'mqtt') {
        return fail(new MqttToolError('CONNECT_FAILED', `WebSocket server did not agree to the 'mqtt' subprotocol (${url}).`));
      }
      cleanup();
      stream.off('error', swallow);
      // ws's stream neither ends its writable side nor emits 'close' when the
      // server hangs up; behave like a socket (allowHalfOpen false) instead.
      stream.once('end', () => stream.destroy());
      resolve({ stream, description: `${o.kind} ${url}` });
    };
    const onError = (err: Error): void => {
      // ws reports a refused upgrade (wrong path, not a WebSocket listener) as a plain Error.
      if (/^Unexpected server response/.test(err.message)) {
        return fail(new MqttToolError('CONNECT_FAILED', `WebSocket upgrade failed: ${err.message} (${url}).`, { cause: err }));
      }
      const code = (err as NodeJS.ErrnoException).code;
      // wss: OpenSSL's failures (EPROTO: "wrong version number" from a plain port) are TLS errors, as on tcp.
      if (o.kind === 'wss' && (code === 'EPROTO' || code === 'ECONNRESET' || isTlsFailure(err))) return fail(transportError(err, 'tls'));
      // Connected, then hung up on during the HTTP upgrade (not a WebSocket listener): as 2.1 says, the link was lost.
      if (code === 'ECONNRESET' || code === 'EPIPE') return fail(connectionLost('hung up during the WebSocket upgrade', err));
      fail(transportError(err, 'connect'));
    };
    const onAbort = (): void => fail(abortError(signal as CancelSignal));
    ws.once('open', onOpen);
    ws.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
