// Topic aliases in both directions (MQTT 5). Mappings live for one network
// connection only ([MQTT-3.3.2-7]): callers reset() them on every reconnect.
import { CodecError } from '../errors.js';

/**
 * Outbound: the first `max` distinct topics get aliases 1..max; alias 0 is never used.
 * An alias goes alone ('' + alias) only once the broker has accepted a PUBLISH that
 * carried its topic: a broker that refuses a PUBLISH need not have registered its
 * alias, and an alias-only follow-up would then be a protocol error that drops the
 * link. QoS 0 gives no feedback, so a mapping set by a QoS 0 PUBLISH counts at once.
 */
export class OutboundTopicAliases {
  private readonly byTopic = new Map<string, { alias: number; confirmed: boolean }>();
  /** QoS>0 PUBLISH packets that carried topic + alias, by packet id, until acknowledged. */
  private readonly awaiting = new Map<number, string>();

  constructor(private max = 0) {}

  reset(max: number): void {
    this.max = max;
    this.byTopic.clear();
    this.awaiting.clear();
  }

  /**
   * How to put `topic` on the wire: a confirmed alias goes as '' + alias, a new or
   * unconfirmed one as topic + alias, otherwise the plain topic.
   */
  forTopic(topic: string, qos = 0, packetId = 0): { topic: string; alias?: number; fresh?: boolean } {
    const known = this.byTopic.get(topic);
    if (known?.confirmed) return { topic: '', alias: known.alias };
    if (!known && this.byTopic.size >= this.max) return { topic };
    const entry = known ?? { alias: this.byTopic.size + 1, confirmed: qos === 0 };
    if (!known) this.byTopic.set(topic, entry);
    if (qos > 0) this.awaiting.set(packetId, topic);
    return known ? { topic, alias: entry.alias } : { topic, alias: entry.alias, fresh: true };
  }

  /** PUBACK/PUBREC for `packetId`: a success confirms the mapping that PUBLISH carried. */
  acked(packetId: number, success: boolean): void {
    const topic = this.awaiting.get(packetId);
    if (topic === undefined) return;
    this.awaiting.delete(packetId);
    const entry = this.byTopic.get(topic);
    if (success && entry) entry.confirmed = true;
  }

  /** Undo the latest fresh assignment when it was not sent after all (e.g. it made the packet too large). */
  release(topic: string, packetId = 0): void {
    if (this.awaiting.get(packetId) === topic) this.awaiting.delete(packetId);
    if (this.byTopic.get(topic)?.alias === this.byTopic.size) this.byTopic.delete(topic);
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
