// Shared by the mqtt-rr end-to-end suites: a responder written here on our own
// client against the real broker, scripted to answer well or badly, and a
// runner for mqtt-rr and mosquitto_rr that collects stdout, stderr and status.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MqttClient } from '../../src/client/client.js';
import type { ReceivedMessage } from '../../src/client/types.js';
import type { Properties, QoS } from '../../src/codec/types.js';
import { tcpOptions } from '../helpers/client-helpers.js';
import { ROOT, testEnv, type Finished } from './sub-helpers.js';

export const RR_BIN = join(ROOT, 'bin', 'mqtt-rr.js');

/** What the responder does with each request. */
export type Behaviour =
  | 'answer' // one response, with the request's correlation data
  | 'twice' // the same response twice
  | 'wrong-correlation' // a response with other correlation data only
  | 'wrong-then-right' // one with other correlation data, then the right one
  | 'never'; // records the request, answers nothing

export interface Responder {
  /** Requests received so far. */
  requests: ReceivedMessage[];
  close(): Promise<void>;
}

export interface ResponderOptions {
  port: number;
  topic: string;
  behaviour: Behaviour;
  /** Response payload (default: 're:' + the request payload). */
  reply?: (req: ReceivedMessage) => Buffer;
  /** QoS of the responses (default 0). */
  qos?: QoS;
  /** Properties every response carries (besides the correlation data). */
  replyProperties?: Properties;
  /** MQTT 3.1.1 (no properties: answers on a fixed topic). */
  v311ResponseTopic?: string;
}

export async function startResponder(o: ResponderOptions): Promise<Responder> {
  const version = o.v311ResponseTopic ? 4 : 5;
  const client = await MqttClient.connect(tcpOptions(o.port, version));
  const requests: ReceivedMessage[] = [];
  const answer = (req: ReceivedMessage, correlation: Uint8Array | undefined): void => {
    const properties: Properties = { ...o.replyProperties };
    if (correlation) properties.correlationData = correlation;
    const topic = o.v311ResponseTopic ?? req.properties.responseTopic;
    if (!topic) return;
    const payload = o.reply ? o.reply(req) : Buffer.concat([Buffer.from('re:'), req.payload]);
    void client.publish({ topic, payload, qos: o.qos ?? 0, retain: false, properties });
  };
  client.onMessage((req) => {
    requests.push(req);
    const right = req.properties.correlationData;
    const wrong = Buffer.from('someone-else');
    switch (o.behaviour) {
      case 'answer':
        return answer(req, right);
      case 'twice':
        answer(req, right);
        return answer(req, right);
      case 'wrong-correlation':
        return answer(req, wrong);
      case 'wrong-then-right':
        answer(req, wrong);
        return answer(req, right);
      case 'never':
        return;
    }
  });
  await client.subscribe([{ topicFilter: o.topic, qos: 2 }]);
  return { requests, close: () => client.disconnect() };
}

export function requireRrBuild(): void {
  if (!existsSync(join(ROOT, 'dist', 'mqtt-rr.js'))) {
    throw new Error('dist/mqtt-rr.js is missing: run `npm run build` first (npm test does).');
  }
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: Buffer | string;
  killAfterMs?: number;
}

/** Runs a request/response client to its end: `cmd` is RR_BIN (through node) or a mosquitto_rr path. */
export function runRr(cmd: string, args: string[], o: RunOptions = {}): Promise<Finished & { ms: number }> {
  if (cmd === RR_BIN) requireRrBuild();
  const started = performance.now();
  const proc =
    cmd === RR_BIN
      ? spawn(process.execPath, [RR_BIN, ...args], { env: o.env ?? testEnv(), stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn(cmd, args, { env: o.env ?? testEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  proc.stdout.on('data', (d: Buffer) => out.push(d));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  proc.stdin.on('error', () => {});
  proc.stdin.end(o.input ?? '');
  const timer = setTimeout(() => proc.kill('SIGKILL'), o.killAfterMs ?? 20_000);
  return new Promise((resolve) => {
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err, ms: performance.now() - started });
    });
  });
}
