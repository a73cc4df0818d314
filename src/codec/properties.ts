import { CodecError } from '../errors.js';
// MQTT 5 properties as data: id → name, wire type, where allowed. Decoding
// reads the whole block first and reports malformed bytes before protocol
// errors (duplicates, wrong packet type, bad values), as Mosquitto does.
import type { Properties } from './types.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';
import { hex, invalidArgument, malformed, protocolError } from './codec-errors.js';
import { checkedStringLength, quote } from './validate.js';
import { vbiSize, MAX_VBI } from './varint.js';

export type PropertyType = 'byte' | 'u16' | 'u32' | 'vbi' | 'string' | 'binary' | 'pair';

/** Property contexts: control packet type numbers, plus the CONNECT will. */
export const CTX = {
  connect: 1, connack: 2, publish: 3, puback: 4, pubrec: 5, pubrel: 6, pubcomp: 7, subscribe: 8,
  suback: 9, unsubscribe: 10, unsuback: 11, disconnect: 14, auth: 15, will: 16,
} as const;
export type PropertyContext = (typeof CTX)[keyof typeof CTX];

export interface PropertyDef {
  id: number;
  name: keyof Properties;
  /** Spec name, for messages. */
  label: string;
  type: PropertyType;
  /** Contexts (CTX values) where it may appear. */
  contexts: readonly PropertyContext[];
  /** Allowed values for byte properties that are booleans / QoS in disguise. */
  max?: number;
  /** Whether 0 is a Protocol Error. */
  nonZero?: boolean;
}

const C = CTX;
/** The table, and what is derived from it: built on first use, since a v3 run never needs it (~0.15 ms of a start). */
interface PropertyTables {
  defs: readonly PropertyDef[];
  byId: (PropertyDef | undefined)[];
  byName: Map<string, PropertyDef>;
  /** Per property id, a bit per context (1 << CTX value) where it may appear. */
  allowedMask: number[];
  ctxNames: Record<number, string>;
}
let tables: PropertyTables | undefined;

function propertyTables(): PropertyTables {
  return (tables ??= buildTables());
}

function propertyList(): readonly PropertyDef[] {
  const ACK_LIKE = [C.connack, C.puback, C.pubrec, C.pubrel, C.pubcomp, C.suback, C.unsuback, C.disconnect, C.auth];
  const MESSAGE = [C.publish, C.will];
  return [
    { id: 0x01, name: 'payloadFormatIndicator', label: 'payload-format-indicator', type: 'byte', contexts: MESSAGE, max: 1 },
    { id: 0x02, name: 'messageExpiryInterval', label: 'message-expiry-interval', type: 'u32', contexts: MESSAGE },
    { id: 0x03, name: 'contentType', label: 'content-type', type: 'string', contexts: MESSAGE },
    { id: 0x08, name: 'responseTopic', label: 'response-topic', type: 'string', contexts: MESSAGE },
    { id: 0x09, name: 'correlationData', label: 'correlation-data', type: 'binary', contexts: MESSAGE },
    { id: 0x0b, name: 'subscriptionIdentifiers', label: 'subscription-identifier', type: 'vbi', contexts: [C.publish, C.subscribe], nonZero: true },
    { id: 0x11, name: 'sessionExpiryInterval', label: 'session-expiry-interval', type: 'u32', contexts: [C.connect, C.connack, C.disconnect] },
    { id: 0x12, name: 'assignedClientIdentifier', label: 'assigned-client-identifier', type: 'string', contexts: [C.connack] },
    { id: 0x13, name: 'serverKeepAlive', label: 'server-keep-alive', type: 'u16', contexts: [C.connack] },
    { id: 0x15, name: 'authenticationMethod', label: 'authentication-method', type: 'string', contexts: [C.connect, C.connack, C.auth] },
    { id: 0x16, name: 'authenticationData', label: 'authentication-data', type: 'binary', contexts: [C.connect, C.connack, C.auth] },
    { id: 0x17, name: 'requestProblemInformation', label: 'request-problem-information', type: 'byte', contexts: [C.connect], max: 1 },
    { id: 0x18, name: 'willDelayInterval', label: 'will-delay-interval', type: 'u32', contexts: [C.will] },
    { id: 0x19, name: 'requestResponseInformation', label: 'request-response-information', type: 'byte', contexts: [C.connect], max: 1 },
    { id: 0x1a, name: 'responseInformation', label: 'response-information', type: 'string', contexts: [C.connack] },
    { id: 0x1c, name: 'serverReference', label: 'server-reference', type: 'string', contexts: [C.connack, C.disconnect] },
    { id: 0x1f, name: 'reasonString', label: 'reason-string', type: 'string', contexts: ACK_LIKE },
    { id: 0x21, name: 'receiveMaximum', label: 'receive-maximum', type: 'u16', contexts: [C.connect, C.connack], nonZero: true },
    { id: 0x22, name: 'topicAliasMaximum', label: 'topic-alias-maximum', type: 'u16', contexts: [C.connect, C.connack] },
    { id: 0x23, name: 'topicAlias', label: 'topic-alias', type: 'u16', contexts: [C.publish], nonZero: true },
    { id: 0x24, name: 'maximumQoS', label: 'maximum-qos', type: 'byte', contexts: [C.connack], max: 1 },
    { id: 0x25, name: 'retainAvailable', label: 'retain-available', type: 'byte', contexts: [C.connack], max: 1 },
    { id: 0x26, name: 'userProperties', label: 'user-property', type: 'pair', contexts: [...ACK_LIKE, C.connect, C.publish, C.will, C.subscribe, C.unsubscribe] },
    { id: 0x27, name: 'maximumPacketSize', label: 'maximum-packet-size', type: 'u32', contexts: [C.connect, C.connack], nonZero: true },
    { id: 0x28, name: 'wildcardSubscriptionAvailable', label: 'wildcard-subscription-available', type: 'byte', contexts: [C.connack], max: 1 },
    { id: 0x29, name: 'subscriptionIdentifierAvailable', label: 'subscription-identifier-available', type: 'byte', contexts: [C.connack], max: 1 },
    { id: 0x2a, name: 'sharedSubscriptionAvailable', label: 'shared-subscription-available', type: 'byte', contexts: [C.connack], max: 1 },
  ];
}

function buildTables(): PropertyTables {
  const defs = propertyList();
  const byId: (PropertyDef | undefined)[] = new Array(0x2b).fill(undefined);
  const byName = new Map<string, PropertyDef>();
  const allowedMask: number[] = new Array(0x2b).fill(0);
  for (const d of defs) {
    byId[d.id] = d;
    byName.set(d.name, d);
    for (const c of d.contexts) allowedMask[d.id] |= 1 << c;
  }
  const ctxNames = Object.fromEntries(Object.entries(CTX).map(([k, v]) => [v, k.toUpperCase()]));
  return { defs, byId, byName, allowedMask, ctxNames };
}

/** Every property, in identifier order. */
export function propertyDefs(): readonly PropertyDef[] {
  return propertyTables().defs;
}

export function propertyById(id: number): PropertyDef | undefined {
  const { byId } = propertyTables();
  return id < byId.length ? byId[id] : undefined;
}
export function propertyByName(name: string): PropertyDef | undefined {
  return propertyTables().byName.get(name);
}

/** Reads a property length and block. Returns undefined when the block is empty. */
export function readProperties(r: Reader, ctx: PropertyContext): Properties | undefined {
  const len = r.vbi('property length');
  if (len === 0) return undefined;
  if (len > r.remaining()) malformed(`property length ${len} exceeds the ${r.remaining()} bytes left`);
  const outerEnd = r.end;
  r.end = r.pos + len;
  const t = propertyTables();
  const props: Record<string, unknown> = {};
  let problem: string | undefined; // first protocol error, reported after the block parsed
  let aliasZero = false;
  while (r.pos < r.end) {
    const id = r.vbi('property identifier');
    const def = id < t.byId.length ? t.byId[id] : undefined;
    if (!def) malformed(`unknown property identifier ${hex(id)}`);
    const value = readValue(r, def);
    if (problem !== undefined) continue;
    if ((t.allowedMask[id]! & (1 << ctx)) === 0) {
      problem = `property ${def.label} is not allowed in ${t.ctxNames[ctx]}`;
    } else if (id === 0x23 && value === 0) {
      // [MQTT-3.3.2-8]: the receiver answers alias 0 with 0x94 Topic Alias invalid, not 0x82.
      aliasZero = true;
      problem = 'topic-alias 0 is not allowed';
    } else if (typeof value === 'number' && ((def.nonZero && value === 0) || (def.max !== undefined && value > def.max))) {
      problem = `property ${def.label} has invalid value ${value}`;
    } else if (def.type === 'pair') {
      ((props.userProperties ??= []) as unknown[]).push(value);
    } else if (def.id === 0x0b) {
      const ids = (props.subscriptionIdentifiers ??= []) as number[];
      if (ids.length > 0 && ctx !== C.publish) problem = `duplicate property ${def.label}`;
      else ids.push(value as number);
    } else if (props[def.name] !== undefined) {
      problem = `duplicate property ${def.label}`;
    } else {
      props[def.name] = value;
    }
  }
  r.end = outerEnd;
  problem ??= relationProblem(props as Properties, ctx);
  if (aliasZero) throw new CodecError('TOPIC_ALIAS_INVALID', `protocol error: ${problem}`);
  if (problem !== undefined) protocolError(problem);
  return props as Properties;
}

/** Rules between properties and on string values, shared by decode and encode. */
function relationProblem(props: Properties, ctx: PropertyContext): string | undefined {
  // The spec states this for CONNECT only (Mosquitto's client accepts it in CONNACK).
  if (ctx === C.connect && props.authenticationData !== undefined && props.authenticationMethod === undefined) {
    return 'authentication-data without authentication-method';
  }
  const rt = props.responseTopic;
  if (rt !== undefined && (rt.length === 0 || rt.indexOf('+') !== -1 || rt.indexOf('#') !== -1)) {
    return `response-topic ${quote(rt)} is not a valid topic name`;
  }
  return undefined;
}

function readValue(r: Reader, def: PropertyDef): unknown {
  switch (def.type) {
    case 'byte':
      return r.u8(def.label);
    case 'u16':
      return r.u16(def.label);
    case 'u32':
      return r.u32(def.label);
    case 'vbi':
      return r.vbi(def.label);
    case 'string':
      return r.utf8(def.label);
    case 'binary':
      return r.binary(def.label);
    case 'pair':
      return [r.utf8('user-property name'), r.utf8('user-property value')];
  }
}

/**
 * Validates props for ctx and returns the byte length of the property block
 * (without its length prefix). Throws INVALID_ARGUMENT for anything unsendable.
 */
export function propertiesLength(props: Properties | undefined, ctx: PropertyContext): number {
  if (props === undefined || props === null) return 0;
  const t = propertyTables();
  let n = 0;
  for (const key in props) {
    const value = (props as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const def = t.byName.get(key);
    if (!def) invalidArgument(`unknown property ${quote(key)}`);
    if ((t.allowedMask[def.id]! & (1 << ctx)) === 0) invalidArgument(`property ${def.label} is not allowed in ${t.ctxNames[ctx]}`);
    n += valueLength(def, value, ctx);
  }
  const problem = relationProblem(props, ctx);
  if (problem !== undefined) invalidArgument(problem);
  return n;
}

function valueLength(def: PropertyDef, value: unknown, ctx: PropertyContext): number {
  switch (def.type) {
    case 'byte':
      checkInt(def, value, def.max ?? 0xff);
      return 2;
    case 'u16':
      checkInt(def, value, 0xffff);
      return 3;
    case 'u32':
      checkInt(def, value, 0xffffffff);
      return 5;
    case 'string':
      return 3 + checkedStringLength(value, def.label);
    case 'binary':
      return 3 + checkBinary(def, value);
    case 'vbi': {
      if (!Array.isArray(value)) return invalidArgument(`${def.name} must be an array of numbers`);
      if (value.length > 1 && ctx !== C.publish) invalidArgument(`only one ${def.label} is allowed in ${propertyTables().ctxNames[ctx]}`);
      let n = 0;
      for (const v of value) {
        checkInt(def, v, MAX_VBI);
        n += 1 + vbiSize(v as number);
      }
      return n;
    }
    case 'pair': {
      if (!Array.isArray(value)) return invalidArgument(`userProperties must be an array of [name, value] pairs`);
      let n = 0;
      for (const p of value) {
        if (!Array.isArray(p) || p.length !== 2) invalidArgument(`each user property must be a [name, value] pair`);
        n += 5 + checkedStringLength(p[0], 'user-property name') + checkedStringLength(p[1], 'user-property value');
      }
      return n;
    }
  }
}

function checkInt(def: PropertyDef, v: unknown, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max || (def.nonZero && v === 0)) {
    invalidArgument(`property ${def.label} has invalid value ${String(v)}`);
  }
}

function checkBinary(def: PropertyDef, v: unknown): number {
  if (!(v instanceof Uint8Array)) return invalidArgument(`property ${def.label} must be a Uint8Array`);
  if (v.length > 0xffff) invalidArgument(`property ${def.label} is ${v.length} bytes, more than 65535`);
  return v.length;
}

/** Writes the property length and the block measured by propertiesLength. */
export function writeProperties(w: Writer, props: Properties | undefined, len: number): void {
  w.vbi(len);
  if (len === 0 || !props) return;
  for (const key in props) {
    const value = (props as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const def = propertyTables().byName.get(key)!;
    writeValue(w, def, value);
  }
}

function writeValue(w: Writer, def: PropertyDef, value: unknown): void {
  if (def.type === 'vbi' || def.type === 'pair') {
    // The repeatable properties: one identifier per value.
    for (const v of value as (number | [string, string])[]) {
      w.u8(def.id);
      if (typeof v === 'number') w.vbi(v);
      else {
        w.utf8(v[0]);
        w.utf8(v[1]);
      }
    }
    return;
  }
  w.u8(def.id);
  switch (def.type) {
    case 'byte':
      return w.u8(value as number);
    case 'u16':
      return w.u16(value as number);
    case 'u32':
      return w.u32(value as number);
    case 'string':
      return w.utf8(value as string);
    case 'binary':
      return w.binary(value as Uint8Array);
  }
}

/** True when props holds at least one defined property. */
export function hasProperties(props: Properties | undefined): boolean {
  if (!props) return false;
  for (const key in props) if ((props as Record<string, unknown>)[key] !== undefined) return true;
  return false;
}

/** Under MQTT 3.x nothing can carry properties; refuse rather than drop them silently. */
export function checkNoProperties(props: Properties | undefined): void {
  if (hasProperties(props)) invalidArgument('properties require MQTT 5 (protocol version 5)');
}

/** Property block length for v5, 0 (after checking there are none) for v3.x. */
export function propsLengthFor(props: Properties | undefined, ctx: PropertyContext, version: number): number {
  if (version === 5) return propertiesLength(props, ctx);
  checkNoProperties(props);
  return 0;
}
