// mqtt-rr's command line: mosquitto_rr's options (the request payload modes
// are mqtt-pub's, the output options mqtt-sub's) plus ours, as data for the
// shared parser and for --help, which lists them in this order.
import { CONNECTION_OPTIONS } from '../shared/connection-options.js';
import { flagOption as f, underHeading, valueOption as v, type OptionKey, type OptionSpec } from '../shared/option-table.js';
import { OUTPUT_OPTIONS } from '../shared/output-options.js';
import { PAYLOAD_OPTIONS } from '../shared/payload-source.js';

export const TOOL = 'mqtt-rr';
/** mosquitto_rr's options file, read when the user has none of ours. */
export const MOSQUITTO_CONFIG = 'mosquitto_rr';

export const RR_OPTIONS = [
  ...underHeading('Request:', [
    v(['-t', '--topic'], 'topic', 'topic', "topic the request is published to (no '+' or '#')."),
    v(['-e'], 'responseTopic', 'response topic', "topic the response is awaited on (no '+' or '#'); subscribed before the request is sent.", {
      placeholder: 'topic',
    }),
    // -m -f -s -n: mosquitto_rr has no -l (one request, one payload).
    ...PAYLOAD_OPTIONS.filter((s) => s.key !== 'stdinLine'),
    f(['-r', '--retain'], 'retain', 'set the retain flag on the request.'),
  ]),
  ...underHeading('Response:', [
    v(['-W'], 'timeout', 'timeout', 'give up (status 27) when no response came within this many seconds.', { placeholder: 'seconds' }),
    v(['-C'], 'count', 'count', 'wait for this many responses (several responders) before exiting. Default 1.'),
    f(['-R'], 'noRetained', 'accepted for mosquitto_rr: a retained message is never taken for the response.'),
    f(['--retain-as-published'], 'retainAsPublished', 'accepted for mosquitto_rr, which takes it and ignores it too.'),
  ]),
  ...OUTPUT_OPTIONS,
  // MQTT 5 by default: the request/response properties need it.
  ...CONNECTION_OPTIONS.map((s) =>
    s.key === 'protocolVersion' ? { ...s, describe: '5 (mqttv5), 311 (mqttv311) or 31 (mqttv31). Default 5.' } : s,
  ),
] as const satisfies readonly OptionSpec[];

export type RrKey = OptionKey<typeof RR_OPTIONS>;
