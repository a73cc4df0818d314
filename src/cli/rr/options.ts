// Parsed argv → RequestPlan: the request (topic, payload, properties), where
// and how the response is awaited, and how it is printed. Pure, with
// mosquitto_rr's checks and error texts; the connection half comes from the
// shared mapper (MQTT 5 by default), the payload modes from mqtt-pub's and the
// output options from mqtt-sub's.
import type { Properties, QoS } from '../../codec/types.js';
import { ArgvError } from '../shared/argv-error.js';
import { flag, intAtLeast, latest, str, type ParsedArgs } from '../shared/args.js';
import { capReceiveMaximum, toConnectionPlan, type ConnectionPlan, type MapContext } from '../shared/client-options.js';
import { outputFrom, type OutputPlan } from '../shared/output-options.js';
import { sourceFrom, type PayloadSource } from '../shared/payload-source.js';
import { checkPublishTopic } from '../shared/topic-arg.js';
import type { RrKey } from './command.js';

type Args = ParsedArgs<RrKey>;

export interface RequestPlan {
  connection: ConnectionPlan;
  /** -t (or the -L topic, whichever came later). */
  topic: string;
  /** -e: subscribed to before the request goes out. */
  responseTopic: string;
  qos: QoS;
  retain: boolean;
  source: Exclude<PayloadSource, { kind: 'lines' }>;
  /** The request's PUBLISH properties (MQTT 5: response topic and correlation data included). */
  properties?: Properties;
  /** MQTT 5: a response counts only when it carries exactly these bytes. */
  correlation?: Uint8Array;
  /** MQTT 5, -e the same as -t: subscribe with No Local, or our own request would come back as its answer. */
  noLocal: boolean;
  /** -C: responses to print before exiting (default 1). */
  count: number;
  /** -W in milliseconds. */
  timeoutMs?: number;
  output: OutputPlan;
}

export interface RequestContext extends MapContext {
  /** Correlation data for a request that has none of its own (unique per run). */
  newCorrelation(): Uint8Array;
}

export const MISSING = 'All of topic, message, and response topic must be supplied.';

export function toRequestPlan(args: Args, ctx: RequestContext): RequestPlan {
  const connection = toConnectionPlan(args, { defaultVersion: 5, ...ctx });
  // -t and the topic of -L: the later one wins.
  const fromUrl = latest(args, 'topic', 'url') === 'url';
  const topic = fromUrl ? connection.urlTopic : str(args, 'topic');
  const responseTopic = str(args, 'responseTopic');
  const source = sourceFrom(args);
  if (topic !== undefined) checkPublishTopic(topic, `Invalid publish topic '${topic}', does it contain '+' or '#'?`, fromUrl ? '-L topic' : '-t');
  if (responseTopic !== undefined) {
    checkPublishTopic(responseTopic, `Invalid response topic '${responseTopic}', does it contain '+' or '#'?`, '-e');
  }
  if (topic === undefined || responseTopic === undefined || source === undefined) throw new ArgvError(MISSING);
  // Never true (rr's table has no -l, so the parser refused it): narrows the type.
  if (source.kind === 'lines') throw new ArgvError("Unknown option '-l'.");
  if (topic === '' || responseTopic === '') throw new ArgvError('Empty topics are not allowed: give -t and -e a topic name.');
  const plan: RequestPlan = {
    connection,
    topic,
    responseTopic,
    qos: connection.qos,
    retain: flag(args, 'retain'),
    source,
    count: intAtLeast(args, 'count', { min: 1, fallback: 1, what: 'Message count', error: (n) => `Invalid message count "${n}".` }),
    output: outputFrom(args),
    noLocal: connection.client.protocolVersion === 5 && responseTopic === topic,
  };
  const timeout = intAtLeast(args, 'timeout', { min: 1, fallback: undefined, what: 'Timeout', error: (n) => `Invalid timeout "${n}".` });
  if (timeout !== undefined) plan.timeoutMs = timeout * 1000;
  if (connection.client.protocolVersion === 5) {
    // As mosquitto_rr: the response count caps what the broker may send us at once.
    capReceiveMaximum(connection, plan.count);
    requestProperties(plan, ctx);
  }
  return plan;
}

/** Response Topic always; Correlation Data as given with -D, else a new one to match the answer on. */
function requestProperties(plan: RequestPlan, ctx: RequestContext): void {
  const given = plan.connection.publishProperties ?? {};
  if (given.responseTopic !== undefined) {
    throw new ArgvError('Duplicate response topic: -e gives it, so -D publish response-topic may not.', { usageHint: false });
  }
  const { topicAlias: _alias, ...props } = given;
  const correlation = props.correlationData ?? ctx.newCorrelation();
  plan.properties = { ...props, responseTopic: plan.responseTopic, correlationData: correlation };
  plan.correlation = correlation;
}
