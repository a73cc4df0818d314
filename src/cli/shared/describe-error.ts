// One stderr line per failure, in mosquitto's words where its tools have them
// (§8 of the reference): CONNACK refusals, refused TCP connects, lost links.
// --quiet hides runtime errors but never argument errors (as in mosquitto).
import { isToolError, type MqttToolError } from '../../errors.js';
import { isArgvError } from './argv-error.js';
import { escapeControls } from './terminal-text.js';

const V3_CONNACK: Record<number, string> = {
  1: 'Connection Refused: unacceptable protocol version.',
  2: 'Connection Refused: identifier rejected.',
  3: 'Connection Refused: broker unavailable.',
  4: 'Connection Refused: bad user name or password.',
  5: 'Connection Refused: not authorised.',
};

/** mosquitto_reason_string's texts for v5 reason codes >= 128. */
const V5_REASON: readonly string[] = [
  'Unspecified error', 'Malformed Packet', 'Protocol Error', 'Implementation specific error',
  'Unsupported Protocol Version', 'Client Identifier not valid', 'Bad User Name or Password', 'Not authorized',
  'Server unavailable', 'Server busy', 'Banned', 'Server shutting down', 'Bad authentication method',
  'Keep Alive timeout', 'Session taken over', 'Topic Filter invalid', 'Topic Name invalid',
  'Packet Identifier in use', 'Packet Identifier not found', 'Receive Maximum exceeded', 'Topic Alias invalid',
  'Packet too large', 'Message rate too high', 'Quota exceeded', 'Administrative action', 'Payload format invalid',
  'Retain not supported', 'QoS not supported', 'Use another server', 'Server moved',
  'Shared Subscriptions not supported', 'Connection rate exceeded', 'Maximum connect time',
  'Subscription identifiers not supported', 'Wildcard Subscriptions not supported',
];

/** v5 reason code text (mosquitto's spelling); codes below 128 are successes. */
export function reasonText(code: number): string {
  if (code === 0) return 'Success';
  if (code === 0x10) return 'No matching subscribers';
  return V5_REASON[code - 128] ?? 'Unknown reason';
}

/** The text after "Connection error: " for a CONNACK refusal. */
export function connackText(code: number, version?: number): string {
  if (code === 132 && version !== 3 && version !== 4) {
    return 'Unsupported Protocol Version. Try connecting to an MQTT v5 broker, or use MQTT v3.x mode.';
  }
  if (code < 128) return V3_CONNACK[code] ?? 'Connection Refused: unknown reason.';
  return reasonText(code);
}

export interface DescribeOptions {
  readonly tool: string;
  quiet?: boolean;
  version?: number;
}

/** The stderr text for `err` ('' to print nothing). */
export function describeError(err: Error, o: DescribeOptions): string {
  if (isArgvError(err)) {
    return err.usageHint ? `Error: ${err.message}\n\nUse '${o.tool} --help' to see usage.` : `Error: ${err.message}`;
  }
  if (o.quiet) return '';
  if (!isToolError(err)) return `Error: ${err.message}`;
  return describeToolError(err, o.version);
}

/** The broker's reason string on a line of its own; escaped here so its own line breaks cannot add lines. */
function withReason(line: string, e: MqttToolError): string {
  return e.reasonString ? `${line}\n${escapeControls(e.reasonString)}` : line;
}

function describeToolError(e: MqttToolError, version?: number): string {
  const causeCode = (e.cause as NodeJS.ErrnoException | undefined)?.code;
  switch (e.code) {
    case 'CONNECTION_REFUSED':
      return withReason(`Connection error: ${connackText(e.reasonCode ?? 0, version)}`, e);
    case 'CONNECT_FAILED':
      if (causeCode === 'ECONNREFUSED') return 'Error: Connection refused';
      if (causeCode === 'ENOTFOUND' || causeCode === 'EAI_AGAIN' || e.message.startsWith('Lookup error.')) {
        return 'Unable to connect (Lookup error.).';
      }
      return `Error: ${e.message}`;
    case 'CONNECTION_LOST':
      return 'Error: The connection was lost.';
    case 'SERVER_DISCONNECT':
      return withReason(`Error: The broker disconnected: ${reasonText(e.reasonCode ?? 0x80)}.`, e);
    case 'TLS_ERROR':
      return e.message.startsWith('A TLS error') ? `Error: ${e.message}` : `Error: A TLS error occurred: ${e.message}`;
    case 'TIMEOUT':
      return 'Timed out';
    default:
      // Messages may quote the broker (reason strings, identifiers): one line, escaped.
      return `Error: ${escapeControls(e.message)}`;
  }
}
