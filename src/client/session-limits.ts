// CONNACK limits with the spec's defaults filled in, and the local checks that
// refuse a request the broker announced it cannot take, before anything is sent.
import type { ConnackPacket, Properties, QoS, Subscription } from '../codec/types.js';
import type { MqttToolError } from '../errors.js';
import type { ConnackInfo } from './types.js';
import { notSupported } from './client-errors.js';

/** Before any CONNACK: everything allowed, nothing negotiated yet. */
export function defaultConnack(keepalive: number): ConnackInfo {
  return connackInfo({ type: 'connack', sessionPresent: false, reasonCode: 0 }, keepalive);
}

export function connackInfo(p: ConnackPacket, keepalive: number): ConnackInfo {
  const pr = p.properties ?? {};
  return {
    sessionPresent: p.sessionPresent,
    reasonCode: p.reasonCode,
    properties: pr,
    ...(pr.assignedClientIdentifier !== undefined ? { assignedClientId: pr.assignedClientIdentifier } : {}),
    keepalive: pr.serverKeepAlive ?? keepalive,
    maximumQoS: (pr.maximumQoS ?? 2) as QoS,
    retainAvailable: pr.retainAvailable !== 0,
    ...(pr.maximumPacketSize !== undefined ? { maximumPacketSize: pr.maximumPacketSize } : {}),
    receiveMaximum: pr.receiveMaximum ?? 65535,
    topicAliasMaximum: pr.topicAliasMaximum ?? 0,
    wildcardSubscriptionAvailable: pr.wildcardSubscriptionAvailable !== 0,
    subscriptionIdentifierAvailable: pr.subscriptionIdentifierAvailable !== 0,
    sharedSubscriptionAvailable: pr.sharedSubscriptionAvailable !== 0,
  };
}

function hasWildcard(filter: string): boolean {
  return filter.includes('+') || filter.includes('#');
}

/** 0xA2 wildcard / 0x9E shared / 0xA1 subscription identifier refusals. */
export function checkSubscribe(c: ConnackInfo, subs: Subscription[], properties: Properties | undefined, version: number): MqttToolError | undefined {
  if (version !== 5) return undefined;
  for (const s of subs) {
    const shared = s.topicFilter.startsWith('$share/');
    if (shared && !c.sharedSubscriptionAvailable) {
      return notSupported(`the broker does not support shared subscriptions ('${s.topicFilter}')`, 0x9e);
    }
    if (hasWildcard(s.topicFilter) && !c.wildcardSubscriptionAvailable) {
      return notSupported(`the broker does not support wildcard subscriptions ('${s.topicFilter}')`, 0xa2);
    }
  }
  if (properties?.subscriptionIdentifiers?.length && !c.subscriptionIdentifierAvailable) {
    return notSupported('the broker does not support subscription identifiers', 0xa1);
  }
  return undefined;
}

/** Topic aliases are the client's business and subscription ids never go on an outgoing PUBLISH ([MQTT-3.3.4-6]). */
export function withoutClientOwnedProperties(p: Properties | undefined): Properties | undefined {
  if (!p || (p.topicAlias === undefined && p.subscriptionIdentifiers === undefined)) return p;
  const { topicAlias: _a, subscriptionIdentifiers: _s, ...rest } = p;
  return rest;
}
