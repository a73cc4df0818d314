// mqtt-pub's command line: the shared connection options plus mosquitto_pub's
// own, as data for the shared parser (see shared/connection-options.ts) and
// for --help (shared/yargs-help.ts), which lists them in this order.
import { CONNECTION_OPTIONS } from '../shared/connection-options.js';
import { PAYLOAD_OPTIONS } from '../shared/payload-source.js';
import { flagOption, underHeading, valueOption, type OptionKey, type OptionSpec } from '../shared/option-table.js';

export const TOOL = 'mqtt-pub';
/** mosquitto_pub's options file, read when the user has none of ours. */
export const MOSQUITTO_CONFIG = 'mosquitto_pub';

export const PUB_OPTIONS = [
  ...underHeading('Message (exactly one):', PAYLOAD_OPTIONS),
  ...underHeading('Publish:', [
    valueOption(['-t', '--topic'], 'topic', 'topic', "topic to publish to (no '+' or '#')."),
    flagOption(['-r', '--retain'], 'retain', 'set the retain flag.'),
    valueOption(['--repeat'], 'repeat', 'count', 'publish the message N times (not with -l).'),
    valueOption(['--repeat-delay'], 'repeatDelay', 'time', 'seconds to wait after each message is confirmed, before the next.', {
      placeholder: 'seconds',
    }),
    valueOption(
      ['--input'],
      'input',
      'encoding',
      'the message is raw bytes (default), or hex or base64 text of the payload (each line with -l).',
    ),
  ]),
  // Ours (mosquitto_pub has neither): see man/mqtt-pub.1, DELIVERY.
  ...underHeading('Delivery:', [
    valueOption(
      ['--retry'],
      'retry',
      'count',
      'after a lost link (or a failed first connect), reconnect up to N times in a row and resend what was not acknowledged. Default: 0, or no limit with -l.',
    ),
    valueOption(
      ['--timeout'],
      'timeout',
      'time',
      'give up when nothing has been acknowledged for this long while messages wait or the link is down; what is left counts as unconfirmed.',
      { placeholder: 'seconds' },
    ),
    valueOption(
      ['--spool'],
      'spool',
      'directory',
      'journal QoS 1/2 messages here until acknowledged; a later run with the same directory sends what is left first.',
    ),
  ]),
  ...CONNECTION_OPTIONS,
] as const satisfies readonly OptionSpec[];

export type PubKey = OptionKey<typeof PUB_OPTIONS>;
