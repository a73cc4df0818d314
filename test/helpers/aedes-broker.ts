// A second, independent broker for the interop suite: aedes (npm, MQTT 3.1 and
// 3.1.1 only), in this test process, on free loopback ports: plain TCP and
// WebSocket. Mosquitto stays the main reference; this shows the tools do not
// lean on Mosquitto's quirks. Tests that use it must spawn the tools
// asynchronously (spawnSync would stop this broker).
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';

export interface AedesBroker {
  port: number;
  wsPort: number;
  /** Resolves once a client subscribed to `filter` (counting subscriptions made since the start). */
  subscribed(filter: string, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface AedesOptions {
  /** Accept only this user name and password (a refusal is CONNACK 5, not authorised). */
  credentials?: { username: string; password: string };
}

export async function startAedes(o: AedesOptions = {}): Promise<AedesBroker> {
  const broker = await Aedes.createBroker();
  const creds = o.credentials;
  if (creds) {
    broker.authenticate = (_client, username, password, done) => {
      const ok = username === creds.username && password !== undefined && Buffer.from(password).toString() === creds.password;
      done(null, ok);
    };
  }
  const seen = new Map<string, number>();
  let wake: (() => void)[] = [];
  broker.on('subscribe', (subs) => {
    for (const s of subs) seen.set(s.topic, (seen.get(s.topic) ?? 0) + 1);
    const w = wake;
    wake = [];
    for (const f of w) f();
  });
  const tcp: Server = createServer(broker.handle);
  const http: HttpServer = createHttpServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket, req) => broker.handle(createWebSocketStream(socket), req));
  await Promise.all([
    new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r)),
    new Promise<void>((r) => http.listen(0, '127.0.0.1', r)),
  ]);
  const portOf = (s: Server | HttpServer): number => (s.address() as { port: number }).port;
  return {
    port: portOf(tcp),
    wsPort: portOf(http),
    async subscribed(filter, ms = 5000) {
      const deadline = Date.now() + ms;
      while (!seen.get(filter)) {
        if (Date.now() > deadline) throw new Error(`no subscription to ${filter} reached aedes`);
        await new Promise<void>((r) => {
          wake.push(r);
          setTimeout(r, 50);
        });
      }
      seen.set(filter, (seen.get(filter) ?? 1) - 1);
    },
    async stop() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => broker.close(() => r()));
      await Promise.all([new Promise((r) => tcp.close(r)), new Promise((r) => http.close(r))]);
    },
  };
}
