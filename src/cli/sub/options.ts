// Parsed argv → SubscribePlan: what to subscribe to, how to print, when to stop.
// Pure, with mosquitto_sub's checks and error texts; the connection half comes
// from the shared mapper.
import type { Properties, Subscription } from '../../codec/types.js';
import { topicFilterProblem, utf8Length } from '../../codec/validate.js';
import { ArgvError, optionError } from '../shared/argv-error.js';
import { COUNT_ERROR, TIMEOUT_ERROR, WAIT_CHECKS, type ValueCheck } from '../shared/parse-checks.js';
import { isMalformedTopicText } from '../shared/topic-arg.js';
import { atof, atoi, flag, intAtLeast, list, str, type ParsedArgs } from '../shared/args.js';
import type { SubKey } from './command.js';

type Args = ParsedArgs<SubKey>;
import { capReceiveMaximum, checkProperties, setupChecks, toConnectionPlan, type ConnectionPlan, type MapContext } from '../shared/client-options.js';
import { OUTPUT_CHECKS, outputFrom, type OutputPlan } from '../shared/output-options.js';

export interface SubscribePlan {
  connection: ConnectionPlan;
  /** All -t filters (and the -L topic), sent in one SUBSCRIBE. */
  subscriptions: Subscription[];
  subscribeProperties?: Properties;
  /** -U filters: one UNSUBSCRIBE each, after the SUBACK. */
  unsubscribe: string[];
  /** -T: messages on matching topics are not printed. */
  filterOut: string[];
  /** -C: stop after this many messages. */
  count?: number;
  /** -W in milliseconds. */
  timeoutMs?: number;
  exitAfterSubscribe: boolean;
  noRetained: boolean;
  retainedOnly: boolean;
  removeRetained: boolean;
  /** --random-filter as a chance out of 10000 (10000 = print everything). */
  randomFilter: number;
  output: OutputPlan;
  /** -w/--watch (2.1): one fixed screen line per topic. */
  watch: boolean;
  /** --timestamp: local time before each -v line. */
  timestamp: boolean;
  /** --stats: the live rate view on stderr (terminal only). */
  stats: boolean;
}

const MAX_SUBSCRIPTION_ID = 268435455;

/** mosquitto_sub's checks made while reading each option (see shared/parse-checks.ts). */
export const SUB_CHECKS: Record<string, ValueCheck> = {
  topic: (value) => void checkFilter(value, 'subscription', '-t'),
  filterOut: (value) => void checkFilter(value, 'filter', '-T'),
  unsubscribe: (value) => void checkFilter(value, 'unsubscribe', '-U'),
  ...WAIT_CHECKS,
  ...OUTPUT_CHECKS,
  randomFilter: (value) => void chanceOf(value),
};

export function toSubscribePlan(args: Args, ctx: MapContext): SubscribePlan {
  const connection = toConnectionPlan(args, ctx);
  const v5 = connection.client.protocolVersion === 5;
  const filters = filterList(args, 'topic', 'subscription', '-t');
  if (connection.urlTopic !== undefined) filters.push(checkFilter(connection.urlTopic, 'subscription', '-L topic'));
  const filterOut = filterList(args, 'filterOut', 'filter', '-T');
  const unsubscribe = filterList(args, 'unsubscribe', 'unsubscribe', '-U');
  const noRetained = flag(args, 'noRetained');
  const retainedOnly = flag(args, 'retainedOnly');
  if (noRetained && retainedOnly) {
    throw new ArgvError("Combining '-R' and '--retained-only' makes no sense.", { usageHint: false });
  }
  if (filters.length === 0) throw new ArgvError('You must specify a topic to subscribe to.');
  checkProperties(args, connection);

  const base: Subscription = { topicFilter: '', qos: connection.qos };
  // Only QoS 0 can arrive (a clean session holds no older subscription): there is
  // nothing to acknowledge, so the client may read a busy stream in paced batches.
  if (connection.qos === 0 && connection.client.cleanStart) connection.client.paceReads = true;
  if (v5) {
    if (flag(args, 'noLocal')) base.noLocal = true;
    if (flag(args, 'retainAsPublished')) base.retainAsPublished = true;
    const rh = retainHandlingFrom(args, noRetained);
    if (rh) base.retainHandling = rh;
  }
  const plan: SubscribePlan = {
    connection,
    subscriptions: filters.map((topicFilter) => ({ ...base, topicFilter })),
    unsubscribe,
    filterOut,
    exitAfterSubscribe: flag(args, 'exitAfterSubscribe'),
    noRetained,
    retainedOnly,
    removeRetained: flag(args, 'removeRetained'),
    randomFilter: randomFilterFrom(args),
    output: outputFrom(args),
    watch: flag(args, 'watch'),
    timestamp: flag(args, 'timestamp'),
    stats: flag(args, 'stats'),
  };
  const count = intAtLeast(args, 'count', { min: 1, fallback: undefined, what: 'Message count', error: COUNT_ERROR });
  if (count !== undefined) {
    plan.count = count;
    if (v5) capReceiveMaximum(connection, count);
  }
  const timeout = intAtLeast(args, 'timeout', { min: 1, fallback: undefined, what: 'Timeout', error: TIMEOUT_ERROR });
  if (timeout !== undefined) plan.timeoutMs = timeout * 1000;
  const subProps = subscribePropertiesFrom(args, connection);
  if (subProps) plan.subscribeProperties = subProps;
  setupChecks(args, connection);
  return plan;
}

function checkFilter(filter: string, kind: string, option: string): string {
  if (isMalformedTopicText(filter)) throw optionError(`Malformed UTF-8 in ${option} argument.`);
  if (topicFilterProblem(filter) !== undefined || utf8Length(filter) > 65535) {
    throw new ArgvError(`Invalid ${kind} topic '${filter}', are all '+' and '#' wildcards correct?`);
  }
  return filter;
}

function filterList(args: Args, key: 'topic' | 'filterOut' | 'unsubscribe', kind: string, option: string): string[] {
  return list(args, key).map((f) => checkFilter(f, kind, option));
}

function randomFilterFrom(args: Args): number {
  const text = str(args, 'randomFilter');
  return text === undefined ? 10000 : chanceOf(text);
}

function chanceOf(text: string): number {
  // mosquitto 2.0.x scales by 10 instead of 100, so "100" prints one message in ten; we mean percent.
  const range = '--random-filter chance must be between 0.1-100.0';
  if (!/^\s*[+-]?(\d|\.\d)/.test(text)) throw optionError(range, { note: `(--random-filter chance "${text}" is not a number.)` });
  const chance = Math.trunc(100 * atof(text, '--random-filter chance') + 1e-9);
  if (chance > 10000 || chance < 10) throw optionError(range);
  return chance;
}

/** -R asks the broker for no retained messages (retain handling 2); --retain-handling says exactly. */
function retainHandlingFrom(args: Args, noRetained: boolean): 0 | 1 | 2 {
  const text = str(args, 'retainHandling');
  if (text === undefined) return noRetained ? 2 : 0;
  if (!/^[012]$/.test(text)) throw new ArgvError(`Invalid retain handling '${text}', it must be 0, 1 or 2.`);
  return Number(text) as 0 | 1 | 2;
}

function subscribePropertiesFrom(args: Args, connection: ConnectionPlan): Properties | undefined {
  const fromD = connection.subscribeProperties;
  const text = str(args, 'subscriptionIdentifier');
  if (text === undefined || connection.client.protocolVersion !== 5) return fromD;
  if (fromD?.subscriptionIdentifiers?.length) {
    throw new ArgvError('Give the subscription identifier once (--subscription-identifier or -D subscribe).');
  }
  const id = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(id >= 1 && id <= MAX_SUBSCRIPTION_ID)) {
    throw new ArgvError(`Invalid subscription identifier '${text}', it must be between 1 and ${MAX_SUBSCRIPTION_ID}.`);
  }
  return { ...fromD, subscriptionIdentifiers: [id] };
}
