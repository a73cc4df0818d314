// Parsed argv → RequestPlan: the request (topic, payload, properties), where
// and how the response is awaited, and how it is printed. Pure, with
// mosquitto_rr's checks and error texts; the connection half comes from the
// shared mapper (MQTT 5 by default), the payload modes from mqtt-pub's and the
// output options from mqtt-sub's.
import type { Properties, QoS } from '../../codec/types.js';
import { MqttToolError } from '../../errors.js';
import { ArgvError } from '../shared/argv-error.js';
import { flag, intAtLeast, latest, str, type ParsedArgs } from '../shared/args.js';
import { capReceiveMaximum, checkProperties, setupChecks, toConnectionPlan, type ConnectionPlan, type MapContext } from '../shared/client-options.js';
import { OUTPUT_CHECKS, outputFrom, type OutputPlan } from '../shared/output-options.js';
import { COUNT_ERROR, PUB_CHECKS, TIMEOUT_ERROR, WAIT_CHECKS, type ValueCheck } from '../shared/parse-checks.js';
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

const checkResponseTopic = (topic: string): void =>
  checkPublishTopic(topic, `Invalid response topic '${topic}', does it contain '+' or '#'?`, '-e');

/**
 * mosquitto_rr's checks made while reading each option (see shared/parse-checks.ts), so the
 * first bad option in argv is the one reported: -t and -e as publish topics, -W and -F as
 * mosquitto_sub's (our -C as mosquitto_sub's -C).
 */
export const RR_CHECKS: Record<string, ValueCheck> = {
  topic: PUB_CHECKS.topic as ValueCheck,
  responseTopic: checkResponseTopic,
  ...WAIT_CHECKS,
  ...OUTPUT_CHECKS,
};

export function toRequestPlan(args: Args, ctx: RequestContext): RequestPlan {
  const connection = toConnectionPlan(args, { defaultVersion: 5, ...ctx });
  // Where mosquitto_rr makes it: the end of reading the command line, before its own checks.
  checkProperties(args, connection);
  // -t and the topic of -L: the later one wins.
  const fromUrl = latest(args, 'topic', 'url') === 'url';
  const topic = fromUrl ? connection.urlTopic : str(args, 'topic');
  const responseTopic = str(args, 'responseTopic');
  const source = sourceFrom(args);
  if (topic !== undefined) checkPublishTopic(topic, `Invalid publish topic '${topic}', does it contain '+' or '#'?`, fromUrl ? '-L topic' : '-t');
  if (responseTopic !== undefined) checkResponseTopic(responseTopic);
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
    count: intAtLeast(args, 'count', { min: 1, fallback: 1, what: 'Message count', error: COUNT_ERROR }),
    output: outputFrom(args),
    noLocal: connection.client.protocolVersion === 5 && responseTopic === topic,
  };
  const timeout = intAtLeast(args, 'timeout', { min: 1, fallback: undefined, what: 'Timeout', error: TIMEOUT_ERROR });
  if (timeout !== undefined) plan.timeoutMs = timeout * 1000;
  // As mosquitto_rr, whatever the version (3.1.1 sends no properties, but the check is made).
  if (args.properties.some((p) => p.command === 'publish' && p.key === 'responseTopic')) throw duplicateResponseTopic();
  if (connection.client.protocolVersion === 5) {
    // As mosquitto_rr: the response count caps what the broker may send us at once.
    capReceiveMaximum(connection, plan.count);
    requestProperties(plan, ctx);
  }
  setupChecks(args, connection);
  return plan;
}

/**
 * -D publish response-topic beside -e: mosquitto_rr's words ("Error in PUBLISH properties:
 * Duplicate response topic."), no usage hint, and --quiet hides it (mosquitto prints it
 * with err_printf, after the command line was read).
 */
export function duplicateResponseTopic(): MqttToolError {
  return new MqttToolError('SETUP_FAILED', 'Error in PUBLISH properties: Duplicate response topic.');
}

/** Response Topic always; Correlation Data as given with -D, else a new one to match the answer on. */
function requestProperties(plan: RequestPlan, ctx: RequestContext): void {
  const given = plan.connection.publishProperties ?? {};
  const { topicAlias: _alias, ...props } = given;
  const correlation = props.correlationData ?? ctx.newCorrelation();
  plan.properties = { ...props, responseTopic: plan.responseTopic, correlationData: correlation };
  plan.correlation = correlation;
}
