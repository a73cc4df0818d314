// The checks mosquitto's clients make while reading each option (client_config_line_proc),
// made here at the same moment: so with two bad options the first one in argv (or in the
// options file) is the one reported, as in mosquitto, and --will-qos is checked even
// without --will-topic. The mappers (client-options.ts, <tool>/options.ts) read the
// values afterwards with the same functions; the texts live there.
import { ArgvError, optionError } from './argv-error.js';
import { atoi, atof, atoiOr, str, type ParsedArgs } from './args.js';
import { ID_CONFLICT, keepaliveOf, MAX_INFLIGHT, protocolVersionOf, qosFrom, sessionExpiryOf, willQosOf } from './client-options.js';
import { checkPublishTopic } from './topic-arg.js';
import { URL_VALIDATION } from './url-arg.js';

/** A check of one option's value; `args` holds what was read before it. */
export type ValueCheck = (value: string, args: ParsedArgs) => void;

/** An atoi option that must be at least `min`: mosquitto's "<text>" error with its blank line. */
export function atLeast(min: number, what: string, error: (n: number) => string): ValueCheck {
  return (value) => {
    const n = atoiOr(value, what, (note) => optionError(error(0), { note }));
    if (n < min) throw optionError(error(n));
  };
}

/** The options of every client tool (connection-options.ts). */
export const CONNECTION_CHECKS: Record<string, ValueCheck> = {
  ...URL_VALIDATION,
  port: (value) => {
    const port = atoi(value, 'Port');
    if (port < 1 || port > 65535) throw new ArgvError(`Invalid port given: ${port}`);
  },
  qos: (value) => void qosFrom(value, 'Invalid QoS given: %s'),
  keepalive: (value) => void keepaliveOf(value),
  protocolVersion: (value) => void protocolVersionOf(value),
  id: (_value, args) => {
    if (str(args, 'idPrefix') !== undefined) throw optionError(ID_CONFLICT);
  },
  idPrefix: (_value, args) => {
    if (str(args, 'id') !== undefined) throw optionError(ID_CONFLICT);
  },
  sessionExpiry: (value) => void sessionExpiryOf(value),
  willQos: (value) => void willQosOf(value),
  willTopic: (value) => checkPublishTopic(value, `Invalid will topic '${value}', does it contain '+' or '#'?`, '--will-topic'),
  maxInflight: atLeast(1, MAX_INFLIGHT, () => `${MAX_INFLIGHT} must be greater than 0.`),
};

/** mqtt-pub's own (pub_client.c's options in client_shared.c). */
export const PUB_CHECKS: Record<string, ValueCheck> = {
  topic: (value) => checkPublishTopic(value, `Invalid publish topic '${value}', does it contain '+' or '#'?`),
  repeat: atLeast(1, '--repeat', () => '--repeat argument must be >0.'),
  repeatDelay: (value) => {
    if (atof(value, '--repeat-delay') < 0) throw optionError('--repeat-delay argument must be >=0.0.');
  },
};

export const COUNT_ERROR = (n: number): string => `Invalid message count "${n}".`;
export const TIMEOUT_ERROR = (n: number): string => `Invalid timeout "${n}".`;

/** -C and -W: mosquitto_sub's, and mqtt-rr's (its -W is mosquitto_rr's, its -C ours, checked alike). */
export const WAIT_CHECKS: Record<string, ValueCheck> = {
  count: atLeast(1, 'Message count', COUNT_ERROR),
  timeout: atLeast(1, 'Timeout', TIMEOUT_ERROR),
};
