// The start-up row's floor: what any Node MQTT client must do at least for one
// QoS 0 publish (connect, send CONNECT, wait for CONNACK, send PUBLISH), with
// nothing of ours. bench/issue14.bench.mjs runs this text with `node -e`, and
// bench/startup-layers/floor.ts runs it through our launcher. Its last two
// arguments are the broker's port and host.
const [port, host] = process.argv.slice(-2);
const s = require('net').connect(+port, host);
s.on('connect', () => s.write(Buffer.from([16, 14, 0, 4, 77, 81, 84, 84, 4, 2, 0, 60, 0, 2, 98, 102])));
// Ends as mqtt-pub does (src/client/connection.ts end()): once the kernel holds the bytes.
s.once('data', () => {
  s.end(Buffer.from([48, 12, 0, 5, 98, 47, 111, 110, 101, 104, 101, 108, 108, 111]));
  process.exit(0);
});
