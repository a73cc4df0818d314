// Start-up layer (bench/issue14.bench.mjs): the codec layer (codec.ts) plus
// mqtt-pub's own argv parsing and publish plan (its option tables, options-file
// lookup and checks): what taking mosquitto_pub's command line costs.
import { connect } from 'node:net';
import { encodePacket, FrameDecoder } from '../../src/codec/index.js';
import { pubPlan } from './pub-plan.js';
import { exitOnError, failed } from './layer-common.js';

async function main(): Promise<void> {
  const plan = await pubPlan();
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
    s.end(encodePacket({ type: 'disconnect', reasonCode: 0 }, 4));
    process.exit(0); // as mqtt-pub and bench/floor-pub.cjs end: once the kernel holds the bytes
  });
}
main().catch(failed);
