// Which messages on the response topic are answers to our request. Pure:
// main.ts prints what this accepts and ends the run when it says so.
//   - A retained message was on the topic before we subscribed: it cannot be
//     the answer to a request not yet sent (mosquitto_rr prints it unless -R).
//   - MQTT 5: the answer carries the request's Correlation Data; anything else
//     is someone else's answer (mosquitto_rr prints whatever comes first).
//   - MQTT 3.1.1 has neither property: the first live message is the answer.
import type { ReceivedMessage } from '../../client/types.js';

export type Verdict =
  | { accept: true; last: boolean }
  | { accept: false; why: string };

export class ResponseMatcher {
  private accepted = 0;

  constructor(
    private readonly correlation: Uint8Array | undefined,
    private readonly count: number,
  ) {}

  /** Responses accepted so far. */
  get received(): number {
    return this.accepted;
  }

  get complete(): boolean {
    return this.accepted >= this.count;
  }

  judge(msg: ReceivedMessage): Verdict {
    if (this.complete) return { accept: false, why: 'the expected responses have all arrived' };
    if (msg.retain) return { accept: false, why: 'it is a retained message, older than the request' };
    if (this.correlation) {
      const got = msg.properties.correlationData;
      if (!got) return { accept: false, why: 'it has no correlation data' };
      if (!sameBytes(got, this.correlation)) return { accept: false, why: 'its correlation data is not the request\'s' };
    }
    this.accepted++;
    return { accept: true, last: this.complete };
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}
