// Start-up layer (bench/issue14.bench.mjs): one QoS 0 publish made with our codec
// and nothing else of ours: argv taken as host, port, topic, message. Run through
// dist/launch.js with its own code cache, as the tools are.
import { connect } from 'node:net';
import { encodePacket, FrameDecoder } from '../../src/codec/index.js';
import { reportKind, exitOnError } from './layer-common.js';

reportKind('codec');
const [host = '127.0.0.1', port = '1883', topic = 't', message = ''] = process.argv.slice(2);
const s = connect({ host, port: Number(port) });
exitOnError(s);
s.on('connect', () => s.write(encodePacket({ type: 'connect', protocolVersion: 4, clientId: `layer-${process.pid}`, cleanStart: true, keepalive: 60 }, 4)));
const frames = new FrameDecoder({ version: 4 });
s.on('data', (chunk: Buffer) => {
  if (!frames.push(chunk).some((p) => p.type === 'connack')) return;
  s.write(encodePacket({ type: 'publish', topic, payload: Buffer.from(message), qos: 0, retain: false, dup: false }, 4));
  s.end(encodePacket({ type: 'disconnect', reasonCode: 0 }, 4));
  process.exit(0); // as mqtt-pub and bench/floor-pub.cjs end: once the kernel holds the bytes
});
