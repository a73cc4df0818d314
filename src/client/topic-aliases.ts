// Topic aliases in both directions (MQTT 5). Mappings live for one network
// connection only ([MQTT-3.3.2-7]): callers reset() them on every reconnect.
import { CodecError } from '../errors.js';

/** Outbound: the first `max` distinct topics get aliases 1..max; alias 0 is never used. */
export class OutboundTopicAliases {
  private readonly byTopic = new Map<string, number>();

  constructor(private max = 0) {}

  reset(max: number): void {
    this.max = max;
    this.byTopic.clear();
  }

  /**
   * How to put `topic` on the wire: an established alias goes as '' + alias,
   * a newly assigned one as topic + alias, otherwise the plain topic.
   */
  forTopic(topic: string): { topic: string; alias?: number; fresh?: boolean } {
    const known = this.byTopic.get(topic);
    if (known !== undefined) return { topic: '', alias: known };
    if (this.byTopic.size >= this.max) return { topic };
    const alias = this.byTopic.size + 1;
    this.byTopic.set(topic, alias);
    return { topic, alias, fresh: true };
  }

  /** Undo the latest fresh assignment when it was not sent after all (e.g. it made the packet too large). */
  release(topic: string): void {
    if (this.byTopic.get(topic) === this.byTopic.size) this.byTopic.delete(topic);
  }
}

/** Inbound: aliases 1..max (our CONNECT Topic Alias Maximum) set by the broker. */
export class InboundTopicAliases {
  private readonly byAlias = new Map<number, string>();

  constructor(private readonly max: number) {}

  reset(): void {
    this.byAlias.clear();
  }

  /** The real topic of an incoming PUBLISH; throws 0x94 / 0x82 per [MQTT-3.3.2-10]. */
  resolve(topic: string, alias: number | undefined): string {
    if (alias === undefined) {
      if (topic === '') throw new CodecError('PROTOCOL_ERROR', 'protocol error: PUBLISH with an empty topic and no topic alias');
      return topic;
    }
    if (alias === 0 || alias > this.max) {
      throw new CodecError('TOPIC_ALIAS_INVALID', `topic alias ${alias} is outside 1..${this.max}`);
    }
    if (topic !== '') {
      this.byAlias.set(alias, topic);
      return topic;
    }
    const known = this.byAlias.get(alias);
    if (known === undefined) throw new CodecError('TOPIC_ALIAS_INVALID', `unknown topic alias ${alias}`);
    return known;
  }
}
