// mqtt-pub's command line: the shared connection options plus mosquitto_pub's
// own, as data for the shared parser (see shared/connection-options.ts).
import { CONNECTION_OPTIONS, type OptionSpec } from '../shared/connection-options.js';

export const TOOL = 'mqtt-pub';

const ONE_MODE = 'Only one type of message can be sent at once.';
const mode = (names: string[], key: string, kind: 'flag' | 'value', what?: string): OptionSpec => ({
  names,
  key,
  kind,
  group: 'message',
  groupError: ONE_MODE,
  ...(what ? { what } : {}),
});

export const PUB_OPTIONS: readonly OptionSpec[] = [
  ...CONNECTION_OPTIONS,
  { names: ['-t', '--topic'], key: 'topic', kind: 'value', what: 'topic' },
  mode(['-m', '--message'], 'message', 'value', 'message'),
  mode(['-f', '--file'], 'file', 'value', 'file'),
  mode(['-s', '--stdin-file'], 'stdinFile', 'flag'),
  mode(['-l', '--stdin-line'], 'stdinLine', 'flag'),
  mode(['-n', '--null-message'], 'nullMessage', 'flag'),
  { names: ['-r', '--retain'], key: 'retain', kind: 'flag' },
  { names: ['--repeat'], key: 'repeat', kind: 'value', what: 'count' },
  { names: ['--repeat-delay'], key: 'repeatDelay', kind: 'value', what: 'time' },
];
