// Start-up layer (bench/issue14.bench.mjs): the bench's bare net.connect + CONNECT
// floor, run through dist/launch.js with a code cache: what the launcher costs.
import { connect } from 'node:net';
import { exitOnError, reportKind } from './layer-common.js';

reportKind('floor');
const [host = '127.0.0.1', port = '1883'] = process.argv.slice(2);
const s = connect({ host, port: Number(port) });
exitOnError(s);
s.on('connect', () => s.write(Buffer.from([16, 14, 0, 4, 77, 81, 84, 84, 4, 2, 0, 60, 0, 2, 98, 102])));
s.once('data', () => s.end(Buffer.from([48, 12, 0, 5, 98, 47, 111, 110, 101, 104, 101, 108, 108, 111]), () => process.exit(0)));
