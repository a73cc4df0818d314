// mqtt-sub's command line: the shared connection options plus mosquitto_sub's
// own and ours, as data for the shared parser (see shared/connection-options.ts
// for why this is a table and not yargs) and for --help (shared/yargs-help.ts),
// which lists them in this order.
import { CONNECTION_OPTIONS } from '../shared/connection-options.js';
import { OUTPUT_OPTIONS } from '../shared/output-options.js';
import { flagOption as f, underHeading, valueOption as v, type OptionKey, type OptionSpec } from '../shared/option-table.js';

export const TOOL = 'mqtt-sub';
/** mosquitto_sub's options file, read when the user has none of ours. */
export const MOSQUITTO_CONFIG = 'mosquitto_sub';

const many = { repeatable: true } as const;
// MQTT 5 only, so like -D they select MQTT 5.
const v5 = { impliesV5: true } as const;

/** mosquitto_sub's own options (same spellings, meanings and defaults). */
export const MOSQUITTO_SUB_OPTIONS = [
  ...underHeading('Subscription:', [
    v(['-t', '--topic'], 'topic', 'topic', 'topic filter to subscribe to. May be repeated.', many),
    v(['-T', '--filter-out'], 'filterOut', 'topic filter', 'do not print messages on topics matching this filter. May be repeated.', {
      ...many,
      placeholder: 'filter',
    }),
    v(['-U', '--unsubscribe'], 'unsubscribe', 'unsubscribe topic', 'unsubscribe from this filter (after subscribing). May be repeated.', {
      ...many,
      placeholder: 'filter',
    }),
    v(['-C'], 'count', 'count', 'disconnect and exit after receiving this many messages.'),
    v(['-W'], 'timeout', 'timeout', 'exit (status 27) after this many seconds.', { placeholder: 'seconds' }),
    f(['-E'], 'exitAfterSubscribe', 'exit once all subscriptions have been acknowledged.'),
    f(['-R'], 'noRetained', 'do not print stale messages (those with retain set).'),
    f(['--retained-only'], 'retainedOnly', 'only print retained messages; exit at the first that is not.'),
    f(['--remove-retained'], 'removeRetained', 'clear each retained message received (publishes an empty retained one).'),
    v(['--random-filter'], 'randomFilter', 'chance', 'only print this percentage of messages (0.1-100.0).', { placeholder: 'percent' }),
    f(['-w', '--watch'], 'watch', 'one fixed line per topic: each message overwrites its topic\'s line (for a terminal).'),
    f(['--retain-as-published'], 'retainAsPublished', '(MQTT v5) keep the retain flag as the publisher set it.'),
  ]),
] as const satisfies readonly OptionSpec[];

/** Ours: the rest of the MQTT 5 subscription options. (The output options, -v -F --json..., are shared/output-options.ts.) */
export const EXTRA_SUB_OPTIONS = [
  ...underHeading('Subscription:', [
    f(['--no-local'], 'noLocal', '(MQTT v5) do not receive messages published by this client.', v5),
    v(['--retain-handling'], 'retainHandling', 'retain handling', '(MQTT v5) 0 send retained messages, 1 only for new subscriptions, 2 never.', {
      ...v5,
      placeholder: '0|1|2',
    }),
    v(['--subscription-identifier'], 'subscriptionIdentifier', 'subscription identifier', '(MQTT v5) tag this subscription; shown by %S.', {
      ...v5,
      placeholder: 'id',
    }),
  ]),
  ...underHeading('Output:', [
    f(['--timestamp'], 'timestamp', 'print the local time (HH:MM:SS.mmm) before each -v line.'),
    f(['--stats'], 'stats', 'on a terminal, a live view on stderr: messages/s, bytes/s, busiest topics.'),
  ]),
] as const satisfies readonly OptionSpec[];

export const SUB_OPTIONS = [...MOSQUITTO_SUB_OPTIONS, ...EXTRA_SUB_OPTIONS, ...OUTPUT_OPTIONS, ...CONNECTION_OPTIONS] as const satisfies readonly OptionSpec[];

export type SubKey = OptionKey<typeof SUB_OPTIONS>;
