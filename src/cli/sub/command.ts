// mqtt-sub's command line: the shared connection options plus mosquitto_sub's
// own and ours, as data for the shared parser (see shared/connection-options.ts
// for why this is a table and not yargs).
import { CONNECTION_OPTIONS, type OptionSpec } from '../shared/connection-options.js';

export const TOOL = 'mqtt-sub';

const v = (names: string[], key: string, what: string, repeatable = false): OptionSpec => ({
  names,
  key,
  kind: 'value',
  what,
  ...(repeatable ? { repeatable } : {}),
});
const f = (names: string[], key: string): OptionSpec => ({ names, key, kind: 'flag' });

/** mosquitto_sub's own options (same spellings, meanings and defaults). */
export const MOSQUITTO_SUB_OPTIONS: readonly OptionSpec[] = [
  v(['-t', '--topic'], 'topic', 'topic', true),
  v(['-T', '--filter-out'], 'filterOut', 'topic filter', true),
  v(['-U', '--unsubscribe'], 'unsubscribe', 'unsubscribe topic', true),
  v(['-C'], 'count', 'count'),
  v(['-W'], 'timeout', 'timeout'),
  f(['-E'], 'exitAfterSubscribe'),
  f(['-N'], 'noEol'),
  f(['-R'], 'noRetained'),
  f(['-v', '--verbose'], 'verbose'),
  v(['-F'], 'format', 'format'),
  f(['--pretty'], 'pretty'),
  f(['--retained-only'], 'retainedOnly'),
  f(['--remove-retained'], 'removeRetained'),
  v(['--random-filter'], 'randomFilter', 'chance'),
  f(['--retain-as-published'], 'retainAsPublished'),
];

// MQTT 5 only, so like -D they select MQTT 5.
const v5 = (spec: OptionSpec): OptionSpec => ({ ...spec, impliesV5: true });

/** Ours: binary-safe output and the rest of the MQTT 5 subscription options. */
export const EXTRA_SUB_OPTIONS: readonly OptionSpec[] = [
  f(['--json'], 'json'),
  v(['--output'], 'output', 'output encoding'),
  f(['--raw'], 'raw'),
  v5(f(['--no-local'], 'noLocal')),
  v5(v(['--retain-handling'], 'retainHandling', 'retain handling')),
  v5(v(['--subscription-identifier'], 'subscriptionIdentifier', 'subscription identifier')),
];

export const SUB_OPTIONS: readonly OptionSpec[] = [...CONNECTION_OPTIONS, ...MOSQUITTO_SUB_OPTIONS, ...EXTRA_SUB_OPTIONS];
