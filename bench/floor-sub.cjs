// The least a Node subscriber does: CONNECT (MQTT 3.1.1), SUBSCRIBE at QoS 0,
// count PUBLISH frames without printing them, exit 0 at -C. The floor of the
// live-stream row for any Node client (issue 14):
//   unpaced   reads every chunk as it arrives (what mqtt-sub cost before its
//             reads were paced);
//   --pace    reads through one reused buffer and, like mqtt-sub
//             (client/connection.ts), stops reading until the next millisecond
//             after a second small chunk within one.
// Takes the flags the bench gives the real tools: -p -i -t -C.
'use strict';
const args = process.argv.slice(2);
const get = (flag) => args[args.indexOf(flag) + 1];
const port = Number(get('-p'));
const id = Buffer.from(get('-i') ?? '');
const topic = Buffer.from(get('-t'));
const want = Number(get('-C'));
const paced = args.includes('--pace');
const net = require('node:net');
const readBuf = Buffer.allocUnsafe(64 * 1024);
const s = paced
  ? net.connect({ port, host: '127.0.0.1', onread: { buffer: readBuf, callback: (n) => onChunk(readBuf.subarray(0, n)) } })
  : net.connect(port, '127.0.0.1');
const u16 = (n) => [n >> 8, n & 0xff];
s.write(Buffer.from([0x10, 12 + id.length, 0, 4, 77, 81, 84, 84, 4, 2, 0, 60, ...u16(id.length), ...id]));
s.write(Buffer.from([0x82, 5 + topic.length, 0, 1, ...u16(topic.length), ...topic, 0]));
let got = 0;
let pending = Buffer.alloc(0);
let lastRead = 0;
function onChunk(chunk) {
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
  // A copy when paced: the read buffer is reused.
  pending = paced ? Buffer.from(b.subarray(i)) : b.subarray(i);
  if (got >= want) process.exit(0);
  if (paced && chunk.length < 16 * 1024) pace();
}
function pace() {
  const now = Date.now();
  if (now !== lastRead) {
    lastRead = now;
    return;
  }
  s.pause();
  setTimeout(() => s.resume(), 1);
}
if (!paced) s.on('data', onChunk);
s.on('error', (e) => {
  console.error(e.message);
  process.exit(1);
});
