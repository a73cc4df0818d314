// JSON output. Two shapes:
//  - %j / %J: mosquitto_sub 2.1's object, byte for byte (field order tst, topic,
//    qos, retain, payloadlen, mid if qos>0, properties in arrival order,
//    payload), built and printed as cJSON would, --pretty included. Where 2.0
//    and 2.1 differ we print 2.1's: "retain" is true/false (2.0: 0/1) and
//    user properties are an array of one-key objects (2.0: one object, whose
//    repeated keys JSON parsers drop);
//  - --json: our line format, always valid JSON and binary-safe (payload as
//    text when it is valid UTF-8, otherwise base64, and a field saying which).
import { isUtf8 } from 'node:buffer';
import type { Properties } from '../../codec/types.js';
import type { ReceivedMessage } from '../../client/types.js';
import { parseCJson, printCJson, type JNode } from './cjson.js';
import type { ByteSink } from './output.js';
import { jsonTimestamp, type Instant } from './time-format.js';

const str = (s: string): JNode => ({ t: 'str', bytes: Buffer.from(s, 'utf8') });
const num = (v: number): JNode => ({ t: 'num', v });
const key = (s: string): Uint8Array => Buffer.from(s, 'latin1');

// Pre-encoded keys: building the object is on the hot path of -F %j.
const K = {
  tst: key('tst'),
  topic: key('topic'),
  qos: key('qos'),
  retain: key('retain'),
  payloadlen: key('payloadlen'),
  mid: key('mid'),
  properties: key('properties'),
  payload: key('payload'),
  userProperties: key('user-properties'),
  subId: key('subscription-identifier'),
};

/** The properties object, in the order the properties arrived (the codec keeps wire order). */
function propertiesNode(p: Properties): JNode {
  const entries: Array<[Uint8Array, JNode]> = [];
  for (const name of Object.keys(p) as Array<keyof Properties>) {
    switch (name) {
      case 'payloadFormatIndicator':
      case 'messageExpiryInterval':
      case 'topicAlias':
        entries.push([key(kebab(name)), num(p[name]!)]);
        break;
      case 'contentType':
      case 'responseTopic':
        entries.push([key(kebab(name)), str(p[name]!)]);
        break;
      case 'correlationData':
        // cJSON_CreateString on the raw bytes: a NUL ends it (handled when printed).
        entries.push([key('correlation-data'), { t: 'str', bytes: p.correlationData! }]);
        break;
      case 'subscriptionIdentifiers':
        for (const id of p.subscriptionIdentifiers!) entries.push([K.subId, num(id)]);
        break;
      case 'userProperties':
        entries.push([
          K.userProperties,
          { t: 'arr', items: p.userProperties!.map(([k, v]): JNode => ({ t: 'obj', entries: [[Buffer.from(k, 'utf8'), str(v)]] })) },
        ]);
        break;
      default:
        break; // not a PUBLISH property; mosquitto prints no others
    }
  }
  return { t: 'obj', entries };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function hasProperties(p: Properties | undefined): p is Properties {
  if (!p) return false;
  for (const k in p) if ((p as Record<string, unknown>)[k] !== undefined) return true;
  return false;
}

/**
 * Writes mosquitto's JSON object for %j (escaped=true) or %J (escaped=false).
 * Returns false, having written nothing, when %J meets a payload that is not
 * JSON (the caller reports it on stderr).
 */
export function writeMosquittoJson(
  sink: ByteSink,
  msg: ReceivedMessage,
  time: Instant,
  escaped: boolean,
  pretty: boolean,
): boolean {
  let payload: JNode;
  if (msg.payload.length === 0) payload = { t: 'lit', text: 'null' };
  else if (escaped) payload = { t: 'str', bytes: msg.payload };
  else {
    const parsed = parseCJson(msg.payload);
    if (!parsed) return false;
    payload = parsed;
  }
  const entries: Array<[Uint8Array, JNode]> = [
    [K.tst, { t: 'str', bytes: Buffer.from(jsonTimestamp(time), 'latin1') }],
    [K.topic, str(msg.topic)],
    [K.qos, num(msg.qos)],
    [K.retain, { t: 'lit', text: msg.retain ? 'true' : 'false' }],
    [K.payloadlen, num(msg.payload.length)],
  ];
  if (msg.qos > 0) entries.push([K.mid, num(msg.packetId ?? 0)]);
  if (hasProperties(msg.properties)) entries.push([K.properties, propertiesNode(msg.properties)]);
  entries.push([K.payload, payload]);
  printCJson(sink, { t: 'obj', entries }, pretty);
  return true;
}

/** Bytes as JSON: text when valid UTF-8, else base64. */
function binaryField(name: string, bytes: Uint8Array): string {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (isUtf8(b)) return `${JSON.stringify(name)}:${JSON.stringify(b.toString('utf8'))}`;
  return `${JSON.stringify(name)}:${JSON.stringify(b.toString('base64'))},${JSON.stringify(`${name}-encoding`)}:"base64"`;
}

function jsonProperties(p: Properties): string {
  const parts: string[] = [];
  for (const name of Object.keys(p) as Array<keyof Properties>) {
    const v = p[name];
    if (v === undefined) continue;
    const k = kebab(name);
    if (name === 'userProperties') {
      const list = (v as Array<[string, string]>).map(([a, b]) => `{${JSON.stringify(a)}:${JSON.stringify(b)}}`);
      parts.push(`"user-properties":[${list.join(',')}]`);
    } else if (v instanceof Uint8Array) parts.push(binaryField(k, v));
    else parts.push(`${JSON.stringify(k)}:${JSON.stringify(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * --json: one object per line; "encoding" says whether "payload" is the
 * payload as UTF-8 text ("utf8") or base64 of its bytes ("base64"), or (with
 * --pretty, `payloadJson` given) the payload itself as JSON ("json").
 */
export function writeJsonLine(sink: ByteSink, msg: ReceivedMessage, time: Instant, payloadJson?: string): void {
  const payload = Buffer.isBuffer(msg.payload)
    ? msg.payload
    : Buffer.from(msg.payload.buffer, msg.payload.byteOffset, msg.payload.length);
  const text = isUtf8(payload);
  let line =
    `{"tst":"${jsonTimestamp(time)}","topic":${JSON.stringify(msg.topic)},"qos":${msg.qos},` +
    `"retain":${msg.retain},"dup":${msg.dup}`;
  if (msg.qos > 0) line += `,"mid":${msg.packetId ?? 0}`;
  line += `,"payloadlen":${payload.length}`;
  if (hasProperties(msg.properties)) line += `,"properties":${jsonProperties(msg.properties)}`;
  if (payloadJson !== undefined) line += `,"payload":${payloadJson},"encoding":"json"}`;
  else line += `,"payload":${JSON.stringify(payload.toString(text ? 'utf8' : 'base64'))},"encoding":"${text ? 'utf8' : 'base64'}"}`;
  sink.utf8(line);
}
