// Packet identifiers 1..65535 shared by PUBLISH (QoS>0), SUBSCRIBE and
// UNSUBSCRIBE; an id is never reused while it is still in use ([MQTT-2.2.1-3]).
import { MqttToolError } from '../errors.js';

export class PacketIds {
  private next = 1;
  private readonly used = new Set<number>();

  alloc(): number {
    for (let tries = 0; tries < 65535; tries++) {
      const id = this.next;
      this.next = id === 65535 ? 1 : id + 1;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
    throw new MqttToolError('NOT_SUPPORTED', 'all 65535 packet identifiers are in use');
  }

  free(id: number): void {
    this.used.delete(id);
  }

  inUse(id: number): boolean {
    return this.used.has(id);
  }
}
