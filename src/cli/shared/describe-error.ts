// One stderr line per failure, in mosquitto's words where its tools have them
// (§8 of the reference): CONNACK refusals, refused TCP connects, lost links.
// The reason texts themselves are the codec's (codec/reason-codes.ts).
// --quiet hides runtime errors but never argument errors (as in mosquitto), bar the few mosquitto prints through err_printf.
import { isToolError, type MqttToolError } from '../../errors.js';
import { argvErrorText, isArgvError } from './argv-error.js';
import { connackV3Text, reasonName } from '../../codec/reason-codes.js';
import { escapeControls } from './terminal-text.js';

/** The text after "Connection error: " for a CONNACK refusal. */
export function connackText(code: number, version?: number): string {
  if (code === 132 && version !== 3 && version !== 4) {
    return 'Unsupported Protocol Version. Try connecting to an MQTT v5 broker, or use MQTT v3.x mode.';
  }
  return code < 128 ? connackV3Text(code) : reasonName(code);
}

export interface DescribeOptions {
  readonly tool: string;
  quiet?: boolean;
  version?: number;
}

/** The stderr text for `err` ('' to print nothing). */
export function describeError(err: Error, o: DescribeOptions): string {
  if (isArgvError(err)) {
    return argvErrorText(err, o.tool, o.quiet);
  }
  if (o.quiet) return '';
  if (!isToolError(err)) return `Error: ${err.message}`;
  return describeToolError(err, o.version);
}

/** The broker's reason string on a line of its own; escaped here so its own line breaks cannot add lines. */
function withReason(line: string, e: MqttToolError): string {
  return e.reasonString ? `${line}\n${escapeControls(e.reasonString)}` : line;
}

/** `first` and the error's further lines; messages may quote the broker or argv: each line escaped on its own. */
function withLines(first: string, e: MqttToolError): string {
  return [first, ...(e.lines ?? [])].map(escapeControls).join('\n');
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
      return withReason(`Error: The broker disconnected: ${reasonName(e.reasonCode ?? 0x80)}.`, e);
    case 'TLS_ERROR':
      return e.message.startsWith('A TLS error') ? `Error: ${e.message}` : `Error: A TLS error occurred: ${e.message}`;
    case 'TIMEOUT':
      return 'Timed out';
    case 'SETUP_FAILED':
      // mosquitto's whole line, as a bare ArgvError's ("Error in PUBLISH properties: ..."), then ours.
      return withLines(e.message, e);
    default:
      return withLines(`Error: ${e.message}`, e);
  }
}
