// Parsed argv → PublishPlan: what to publish, where, how often. Pure; the
// connection half comes from the shared mapper.
import type { Properties, QoS } from '../../codec/types.js';
import { argBytes } from '../shared/argv-bytes.js';
import { ArgvError } from '../shared/argv-error.js';
import { atof, flag, intAtLeast, latest, str, type ParsedArgs } from '../shared/args.js';
import { checkProperties, setupChecks, toConnectionPlan, type ConnectionPlan, type MapContext } from '../shared/client-options.js';
import { checkPublishTopic } from '../shared/topic-arg.js';
import { sourceFrom, type PayloadSource } from '../shared/payload-source.js';
import type { PubKey } from './command.js';
import { decodeInput, INPUT_ENCODINGS, type InputEncoding } from './input-encoding.js';

export interface PublishPlan {
  connection: ConnectionPlan;
  topic: string;
  qos: QoS;
  retain: boolean;
  source: PayloadSource;
  /** Publishes per run (--repeat; always 1 with -l). */
  repeat: number;
  /** Pause after each message is confirmed, before the next (--repeat-delay). */
  repeatDelayMs: number;
  /** Reconnect attempts in a row after a lost link (--retry; no limit by default with -l, as mosquitto_pub -l). */
  retry: number;
  /** Retries of the first connection: only an explicit --retry asks for them. */
  connectRetries: number;
  /** Give up after this long without an acknowledgement while something waits (--timeout). */
  timeoutMs?: number;
  /** Journal directory for unacknowledged messages (--spool). */
  spool?: string;
  /** How the message text encodes the payload (--input). */
  input: InputEncoding;
  /** -D publish properties (v5 only; topic-alias is left to the client, which aliases by itself). */
  properties?: Properties;
}

/** Thrown when topic or message is missing: mosquitto also prints the usage text (to stdout). */
export class MissingTopicOrMessage extends ArgvError {
  constructor() {
    super('Both topic and message must be supplied.', { usageHint: false });
  }
}

type Args = ParsedArgs<PubKey>;

export function toPublishPlan(args: Args, ctx: MapContext): PublishPlan {
  const connection = toConnectionPlan(args, ctx);
  checkProperties(args, connection);
  // -t and the topic of -L: the later one wins.
  const topic = latest(args, 'topic', 'url') === 'url' ? connection.urlTopic : str(args, 'topic');
  const source = sourceFrom(args);
  if (topic === undefined || source === undefined) throw new MissingTopicOrMessage();
  checkPublishTopic(topic, `Invalid publish topic '${topic}', does it contain '+' or '#'?`);
  if (topic === '') throw new ArgvError("Invalid publish topic '', it must not be empty.");
  const plan: PublishPlan = {
    connection,
    topic,
    qos: connection.qos,
    retain: flag(args, 'retain'),
    source,
    repeat: source.kind === 'lines' ? 1 : repeatFrom(args),
    repeatDelayMs: repeatDelayFrom(args),
    retry: retryFrom(args, source.kind === 'lines'),
    connectRetries: retryFrom(args, false),
    input: inputFrom(args),
  };
  // -m is decoded here, so a bad one is an argv error before anything connects.
  if (source.kind === 'message') source.payload = argvDecode(source.payload, plan.input);
  const timeoutMs = timeoutFrom(args);
  if (timeoutMs !== undefined) plan.timeoutMs = timeoutMs;
  const spool = str(args, 'spool');
  if (spool !== undefined) {
    if (spool === '') throw new ArgvError('--spool argument must be a directory.');
    if (plan.qos === 0) throw new ArgvError('--spool needs -q 1 or 2 (QoS 0 is never acknowledged).');
    plan.spool = spool;
  }
  const props = connection.publishProperties;
  if (props) {
    const { topicAlias: _alias, ...rest } = props;
    if (Object.keys(rest).length > 0) plan.properties = rest;
  }
  setupChecks(args, connection);
  return plan;
}

function repeatFrom(args: Args): number {
  return intAtLeast(args, 'repeat', { min: 1, fallback: 1, what: '--repeat', error: () => '--repeat argument must be >0.' });
}

function repeatDelayFrom(args: Args): number {
  const text = str(args, 'repeatDelay');
  if (text === undefined) return 0;
  const secs = atof(text, '--repeat-delay');
  if (secs < 0) throw new ArgvError('--repeat-delay argument must be >=0.0.');
  return Math.round(secs * 1000);
}

// --retry and --timeout are ours, so they are parsed strictly (no C atoi leniency).
function retryFrom(args: Args, lines: boolean): number {
  const text = str(args, 'retry');
  if (text === undefined) return lines ? Infinity : 0;
  if (!/^\d+$/.test(text)) throw new ArgvError('--retry argument must be a whole number >=0.');
  return Number(text);
}

function timeoutFrom(args: Args): number | undefined {
  const text = str(args, 'timeout');
  if (text === undefined) return undefined;
  const secs = /^(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (!(secs > 0) || secs > 2_000_000) throw new ArgvError('--timeout argument must be a number of seconds >0.');
  return Math.round(secs * 1000);
}

function inputFrom(args: Args): InputEncoding {
  const text = str(args, 'input');
  if (text === undefined) return 'raw';
  if (!(INPUT_ENCODINGS as readonly string[]).includes(text)) throw new ArgvError('--input argument must be raw, hex or base64.');
  return text as InputEncoding;
}

function argvDecode(payload: Buffer, encoding: InputEncoding): Buffer {
  try {
    return decodeInput(payload, encoding, '-m');
  } catch (e) {
    throw new ArgvError((e as Error).message);
  }
}
