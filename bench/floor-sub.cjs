// The least a Node subscriber does that reads every chunk as it arrives: CONNECT
// (MQTT 3.1.1), SUBSCRIBE at QoS 0, count PUBLISH frames without printing them,
// exit 0 at -C. Once the live-stream floor for any Node client (issue 14); since
// mqtt-sub paces its reads (client/connection.ts) it shows what that pacing buys.
// Takes the flags the bench gives the real tools: -p -i -t -C.
'use strict';
const args = process.argv.slice(2);
const get = (flag) => args[args.indexOf(flag) + 1];
const port = Number(get('-p'));
const id = Buffer.from(get('-i') ?? '');
const topic = Buffer.from(get('-t'));
const want = Number(get('-C'));
const s = require('node:net').connect(port, '127.0.0.1');
const u16 = (n) => [n >> 8, n & 0xff];
s.write(Buffer.from([0x10, 12 + id.length, 0, 4, 77, 81, 84, 84, 4, 2, 0, 60, ...u16(id.length), ...id]));
s.write(Buffer.from([0x82, 5 + topic.length, 0, 1, ...u16(topic.length), ...topic, 0]));
let got = 0;
let pending = Buffer.alloc(0);
s.on('data', (chunk) => {
  const b = pending.length ? Buffer.concat([pending, chunk]) : chunk;
  let i = 0;
  for (;;) {
    // Fixed header: type byte, then the remaining length as a variable byte integer.
    let len = 0;
    let mul = 1;
    let j = i + 1;
    let complete = false;
    while (j < b.length) {
      const byte = b[j++];
      len += (byte & 127) * mul;
      mul *= 128;
      if ((byte & 128) === 0) {
        complete = true;
        break;
      }
    }
    if (!complete || j + len > b.length) break;
    if (b[i] >> 4 === 3) got++;
    i = j + len;
  }
  pending = b.subarray(i);
  if (got >= want) process.exit(0);
});
s.on('error', (e) => {
  console.error(e.message);
  process.exit(1);
});
