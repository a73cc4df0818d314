// mqtt-pub's command line: the shared connection options plus mosquitto_pub's
// own, as data for the shared parser (see shared/connection-options.ts) and
// for --help (shared/yargs-help.ts), which lists them in this order.
import { CONNECTION_OPTIONS, underHeading, type OptionSpec } from '../shared/connection-options.js';

export const TOOL = 'mqtt-pub';

const ONE_MODE = 'Only one type of message can be sent at once.';
const mode = (names: string[], key: string, kind: 'flag' | 'value', describe: string, what?: string): OptionSpec => ({
  names,
  key,
  kind,
  group: 'message',
  groupError: ONE_MODE,
  describe,
  ...(what ? { what } : {}),
});

export const PUB_OPTIONS: readonly OptionSpec[] = [
  ...underHeading('Message (exactly one):', [
    mode(['-m', '--message'], 'message', 'value', 'the message payload, taken from the command line.', 'message'),
    mode(['-f', '--file'], 'file', 'value', 'send a whole file as one message (any bytes).', 'file'),
    mode(['-s', '--stdin-file'], 'stdinFile', 'flag', 'send all of standard input as one message (empty input is an error).'),
    mode(['-l', '--stdin-line'], 'stdinLine', 'flag', 'send one message per line of standard input (the newline is removed).'),
    mode(['-n', '--null-message'], 'nullMessage', 'flag', 'send a zero-length message.'),
  ]),
  ...underHeading('Publish:', [
    { names: ['-t', '--topic'], key: 'topic', kind: 'value', what: 'topic', describe: "topic to publish to (no '+' or '#')." },
    { names: ['-r', '--retain'], key: 'retain', kind: 'flag', describe: 'set the retain flag.' },
    { names: ['--repeat'], key: 'repeat', kind: 'value', what: 'count', describe: 'publish the message N times (not with -l).' },
    {
      names: ['--repeat-delay'],
      key: 'repeatDelay',
      kind: 'value',
      what: 'time',
      placeholder: 'seconds',
      describe: 'seconds to wait after each message is confirmed, before the next.',
    },
    {
      names: ['--input'],
      key: 'input',
      kind: 'value',
      what: 'encoding',
      describe: 'the message is raw bytes (default), or hex or base64 text of the payload (each line with -l).',
    },
  ]),
  // Ours (mosquitto_pub has neither): see man/mqtt-pub.1, DELIVERY.
  ...underHeading('Delivery:', [
    {
      names: ['--retry'],
      key: 'retry',
      kind: 'value',
      what: 'count',
      describe: 'after a lost link (or a failed first connect), reconnect up to N times in a row and resend what was not acknowledged. Default: 0, or no limit with -l.',
    },
    {
      names: ['--timeout'],
      key: 'timeout',
      kind: 'value',
      what: 'time',
      placeholder: 'seconds',
      describe: 'give up when nothing has been acknowledged for this long while messages wait or the link is down; what is left counts as unconfirmed.',
    },
    {
      names: ['--spool'],
      key: 'spool',
      kind: 'value',
      what: 'directory',
      describe: 'journal QoS 1/2 messages here until acknowledged; a later run with the same directory sends what is left first.',
    },
  ]),
  ...CONNECTION_OPTIONS,
];
