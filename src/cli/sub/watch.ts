// -w / --watch (mosquitto_sub 2.1): one fixed screen line per topic. The bytes are
// 2.1's exactly, on any stdout: clear the screen and print the broker's name once;
// before each message move the cursor to its topic's line (first seen, first line),
// after it to the line below the last topic.
import type { ReceivedMessage } from '../../client/types.js';
import type { ByteSink } from './output.js';
import type { Printer } from './printer.js';

/** What 2.1's output_init writes before connecting. */
export function watchHeader(sink: ByteSink, host: string): void {
  sink.ascii('\x1b[2J\x1b[1;1H');
  sink.utf8(`Broker: ${host}\n`);
}

/** Wraps a printer so each message lands on its topic's line. */
export function watchPrinter(sink: ByteSink, print: Printer): Printer {
  const lines = new Map<string, number>();
  let next = 2; // line 1 holds "Broker: …"
  return (msg: ReceivedMessage) => {
    let line = lines.get(msg.topic);
    if (line === undefined) {
      line = next++;
      lines.set(msg.topic, line);
    }
    sink.ascii(`\x1b[${line};1H`);
    print(msg);
    sink.ascii(`\x1b[${next - 1};1H\n`);
  };
}
