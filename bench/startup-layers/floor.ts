// Start-up layer (bench/issue14.bench.mjs): the bench's bare net.connect + CONNECT
// floor (bench/floor-pub.cjs), run through dist/launch.js with a code cache:
// what the launcher costs.
import { reportKind } from './layer-common.js';
import '../floor-pub.cjs';

reportKind('floor');
