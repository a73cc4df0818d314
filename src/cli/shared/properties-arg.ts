// `-D <command> <identifier> <value>` (and `-D <command> user-property <name> <value>`):
// mosquitto's property table as data, its per-command allow lists, and the parse
// of one -D into a typed value. Pure: throws ArgvError with mosquitto's wording.
import type { Properties, UserProperty } from '../../codec/types.js';
import { argBytes, hasEscapedBytes } from './argv-bytes.js';
import { ArgvError, optionError } from './argv-error.js';
import { escapeControls } from './terminal-text.js';

export type PropertyCommand =
  | 'connect'
  | 'connack'
  | 'publish'
  | 'puback'
  | 'pubrec'
  | 'pubrel'
  | 'pubcomp'
  | 'subscribe'
  | 'unsubscribe'
  | 'disconnect'
  | 'auth'
  | 'will';

const COMMANDS: readonly PropertyCommand[] = [
  'connect',
  'connack',
  'publish',
  'puback',
  'pubrec',
  'pubrel',
  'pubcomp',
  'subscribe',
  'unsubscribe',
  'disconnect',
  'auth',
  'will',
];

type ValueType = 'byte' | 'u16' | 'u32' | 'varint' | 'string' | 'binary' | 'pair';
type Key = Exclude<keyof Properties, 'userProperties' | 'subscriptionIdentifiers'>;

interface PropertyDef {
  key: Key | 'userProperties' | 'subscriptionIdentifiers';
  type: ValueType;
}

/** mosquitto's identifier spellings → our camel-case Properties key and value type. */
const DEFS: Record<string, PropertyDef> = {
  'payload-format-indicator': { key: 'payloadFormatIndicator', type: 'byte' },
  'message-expiry-interval': { key: 'messageExpiryInterval', type: 'u32' },
  'content-type': { key: 'contentType', type: 'string' },
  'response-topic': { key: 'responseTopic', type: 'string' },
  'correlation-data': { key: 'correlationData', type: 'binary' },
  'subscription-identifier': { key: 'subscriptionIdentifiers', type: 'varint' },
  'session-expiry-interval': { key: 'sessionExpiryInterval', type: 'u32' },
  'assigned-client-identifier': { key: 'assignedClientIdentifier', type: 'string' },
  'server-keep-alive': { key: 'serverKeepAlive', type: 'u16' },
  'authentication-method': { key: 'authenticationMethod', type: 'string' },
  'authentication-data': { key: 'authenticationData', type: 'binary' },
  'request-problem-information': { key: 'requestProblemInformation', type: 'byte' },
  'will-delay-interval': { key: 'willDelayInterval', type: 'u32' },
  'request-response-information': { key: 'requestResponseInformation', type: 'byte' },
  'response-information': { key: 'responseInformation', type: 'string' },
  'server-reference': { key: 'serverReference', type: 'string' },
  'reason-string': { key: 'reasonString', type: 'string' },
  'receive-maximum': { key: 'receiveMaximum', type: 'u16' },
  'topic-alias-maximum': { key: 'topicAliasMaximum', type: 'u16' },
  'topic-alias': { key: 'topicAlias', type: 'u16' },
  'maximum-qos': { key: 'maximumQoS', type: 'byte' },
  'retain-available': { key: 'retainAvailable', type: 'byte' },
  'user-property': { key: 'userProperties', type: 'pair' },
  'maximum-packet-size': { key: 'maximumPacketSize', type: 'u32' },
  'wildcard-subscription-available': { key: 'wildcardSubscriptionAvailable', type: 'byte' },
  'subscription-identifier-available': { key: 'subscriptionIdentifierAvailable', type: 'byte' },
  'shared-subscription-available': { key: 'sharedSubscriptionAvailable', type: 'byte' },
};

/**
 * What the MQTT 5 spec lets each packet carry (mosquitto's first check, "not allowed"),
 * then what mosquitto's clients actually send (second check, "not supported").
 */
const SPEC_ALLOWED: Record<PropertyCommand, readonly string[]> = {
  connect: ['session-expiry-interval', 'authentication-method', 'authentication-data', 'request-problem-information',
    'request-response-information', 'receive-maximum', 'topic-alias-maximum', 'maximum-packet-size', 'user-property'],
  connack: ['session-expiry-interval', 'assigned-client-identifier', 'server-keep-alive', 'authentication-method',
    'authentication-data', 'response-information', 'server-reference', 'reason-string', 'receive-maximum',
    'topic-alias-maximum', 'maximum-qos', 'retain-available', 'user-property', 'maximum-packet-size',
    'wildcard-subscription-available', 'subscription-identifier-available', 'shared-subscription-available'],
  publish: ['payload-format-indicator', 'message-expiry-interval', 'content-type', 'response-topic', 'correlation-data',
    'subscription-identifier', 'topic-alias', 'user-property'],
  puback: ['reason-string', 'user-property'],
  pubrec: ['reason-string', 'user-property'],
  pubrel: ['reason-string', 'user-property'],
  pubcomp: ['reason-string', 'user-property'],
  subscribe: ['subscription-identifier', 'user-property'],
  unsubscribe: ['user-property'],
  disconnect: ['session-expiry-interval', 'server-reference', 'reason-string', 'user-property'],
  auth: ['authentication-method', 'authentication-data', 'reason-string', 'user-property'],
  will: ['payload-format-indicator', 'message-expiry-interval', 'content-type', 'response-topic', 'correlation-data',
    'will-delay-interval', 'user-property'],
};

const CLIENT_SUPPORTED: Record<PropertyCommand, readonly string[]> = {
  ...SPEC_ALLOWED,
  connack: [],
  puback: [],
  pubrec: [],
  pubrel: [],
  pubcomp: [],
  auth: [],
  publish: SPEC_ALLOWED.publish.filter((p) => p !== 'subscription-identifier'),
};

export interface PropertyArg {
  command: PropertyCommand;
  /** mosquitto's spelling, lower-cased (e.g. 'user-property'). */
  name: string;
  key: PropertyDef['key'];
  value: number | string | Uint8Array | UserProperty;
}

/** How many argv tokens a -D takes after the flag, judged from its identifier. */
export function propertyArity(identifier: string | undefined): number {
  return identifier !== undefined && identifier.toLowerCase() === 'user-property' ? 4 : 3;
}

/** The -D at tokens[at]: its property and how many values it took (3, or 4 for user-property). */
export function readPropertyArg(tokens: readonly string[], at: number): { arg: PropertyArg; values: number } {
  const n = propertyArity(tokens[at + 2]);
  if (at + n >= tokens.length) throw optionError('--property argument given but not enough arguments specified.');
  return { arg: parsePropertyArg(tokens.slice(at + 1, at + 1 + n)), values: n };
}

/** Parses the tokens after -D: [command, identifier, value] or [command, 'user-property', name, value]. */
export function parsePropertyArg(tokens: readonly string[]): PropertyArg {
  const [rawCmd = '', rawName = ''] = tokens;
  const command = rawCmd.toLowerCase() as PropertyCommand;
  if (!COMMANDS.includes(command)) throw optionError('Invalid command given in --property argument.');
  const name = rawName.toLowerCase();
  const def = DEFS[name];
  if (!def) {
    const note = `'${escapeControls(rawName)}' is not a property name; ${validFor(command)}`;
    throw optionError('Invalid property name given in --property argument.', { note });
  }
  if (!SPEC_ALLOWED[command].includes(name)) {
    throw optionError(`${name} property not allowed for ${command} in --property argument.`, { note: validFor(command) });
  }
  if (!CLIENT_SUPPORTED[command].includes(name)) {
    throw optionError(`${name} property not supported for ${command} in --property argument.`);
  }
  if (def.type === 'pair') {
    const pair: UserProperty = [tokens[2] ?? '', tokens[3] ?? ''];
    checkString(pair[0], name, 7, 'name');
    checkString(pair[1], name, 7);
    return { command, name, key: def.key, value: pair };
  }
  return { command, name, key: def.key, value: parseValue(def.type, tokens[2] ?? '', name) };
}

/** Our line after mosquitto's: which property names -D takes for this packet. */
function validFor(command: PropertyCommand): string {
  const names = CLIENT_SUPPORTED[command];
  return names.length === 0 ? `-D ${command} takes no properties here.` : `-D ${command} takes: ${names.join(', ')}.`;
}

/** The most each number type takes on the command line: mosquitto reads a varint as 32 bits, then refuses what it cannot hold. */
const READ_MAX: Record<string, number> = { byte: 0xff, u16: 0xffff, u32: 0xffffffff, varint: 0xffffffff };
const MAX_VARINT = 268435455;

const MAX_FIELD = 65535; // an MQTT string or binary field has a 2-byte length

/**
 * An MQTT string: UTF-8 of at most 65535 bytes. libmosquitto refuses others while
 * adding the property ("Error adding property <name> <type>", 6 a string, 7 a pair); we say which rule.
 */
function checkString(text: string, name: string, type: 6 | 7, what: 'name' | 'value' = 'value'): void {
  let why: string | undefined;
  if (hasEscapedBytes(text)) why = `The ${what} is not valid UTF-8.`;
  else if (Buffer.byteLength(text) > MAX_FIELD) why = `The ${what} is longer than ${MAX_FIELD} bytes.`;
  if (why) throw new ArgvError(`Error adding property ${name} ${type}`, { bare: true, note: why });
}

function parseValue(type: ValueType, text: string, name: string): number | string | Uint8Array {
  if (type === 'string') {
    checkString(text, name, 6);
    return text;
  }
  if (type === 'binary') {
    const bytes = argBytes(text);
    if (bytes.length > MAX_FIELD) throw optionError(`Property value too long for property ${name}.`);
    return bytes;
  }
  // mosquitto reads numbers with atol: leading digits count, junk after them is ignored.
  const m = /^\s*([+-]?\d+)/.exec(text);
  if (!m) throw optionError(`Property value (${text}) not a number for property ${name}.`);
  const n = Number(m[1]);
  if (n < 0 || n > (READ_MAX[type] ?? 0)) throw optionError(`Property value (${n}) out of range for property ${name}.`);
  if (type === 'varint' && n > MAX_VARINT) throw new ArgvError(`Error adding property ${name} 4`, { bare: true });
  // Ours: mosquitto sends 0, which the broker takes as a protocol error.
  if (type === 'varint' && n === 0) throw optionError(`Property value (0) out of range for property ${name}.`);
  return n;
}

/** The -D values for one command folded into a Properties object (user properties in order); checked first (property-checks.ts). */
export function propertiesFor(args: readonly PropertyArg[], command: PropertyCommand): Properties | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const a of args) {
    if (a.command !== command) continue;
    any = true;
    if (a.key === 'userProperties') {
      ((out.userProperties ??= []) as UserProperty[]).push(a.value as UserProperty);
    } else if (a.key === 'subscriptionIdentifiers') {
      out.subscriptionIdentifiers = [a.value as number];
    } else {
      out[a.key] = a.value; // a repeated one was refused by checkPropertyLists
    }
  }
  return any ? (out as Properties) : undefined;
}

/** For shell completion: the -D packet names, and the property names each accepts from a client. */
export const PROPERTY_COMMAND_NAMES: readonly string[] = COMMANDS;
export function propertyNamesFor(command: string): readonly string[] {
  return (CLIENT_SUPPORTED as Record<string, readonly string[] | undefined>)[command] ?? [];
}
