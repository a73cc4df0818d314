// Start-up layer (bench/issue14.bench.mjs): the codec layer (codec.ts) plus
// mqtt-pub's own argv parsing and publish plan (its option tables, options-file
// lookup and checks): what taking mosquitto_pub's command line costs.
import { connect } from 'node:net';
import { encodePacket, FrameDecoder } from '../../src/codec/index.js';
import { MOSQUITTO_CONFIG, PUB_OPTIONS, TOOL } from '../../src/cli/pub/command.js';
import { toPublishPlan } from '../../src/cli/pub/options.js';
import { PUB_CHECKS } from '../../src/cli/shared/parse-checks.js';
import { parseOrAnswer } from '../../src/cli/shared/tool-requests.js';
import { exitOnError, failed } from './layer-common.js';

async function main(): Promise<void> {
  const args = await parseOrAnswer(process.argv.slice(2), TOOL, PUB_OPTIONS, () => import('../../src/cli/pub/help.js'), {
    configFallbacks: [MOSQUITTO_CONFIG],
    checks: PUB_CHECKS,
  });
  if (typeof args === 'number') return process.exit(args);
  const plan = toPublishPlan(args, { pid: process.pid });
  const { client } = plan.connection;
  if (client.transport.kind !== 'tcp' || plan.source.kind !== 'message') throw new Error('layer: -h/-p/-t/-m only');
  const payload = plan.source.payload;
  const s = connect({ host: client.transport.host, port: client.transport.port });
  exitOnError(s);
  const connectPacket = { type: 'connect', protocolVersion: 4, clientId: client.clientId, cleanStart: true, keepalive: client.keepalive } as const;
  s.on('connect', () => s.write(encodePacket(connectPacket, 4)));
  const frames = new FrameDecoder({ version: 4 });
  s.on('data', (chunk: Buffer) => {
    if (!frames.push(chunk).some((p) => p.type === 'connack')) return;
    s.write(encodePacket({ type: 'publish', topic: plan.topic, payload, qos: 0, retain: false, dup: false }, 4));
    s.end(encodePacket({ type: 'disconnect', reasonCode: 0 }, 4), () => process.exit(0));
  });
}
main().catch(failed);
