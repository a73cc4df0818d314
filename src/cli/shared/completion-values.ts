// Shell completion for option values: after `-q` the QoS levels, after `-D` the
// packet names, after `-D publish` that packet's property names, and so on.
// The lists come from where each option's values are checked where that is
// data already (-D, --input); the short fixed ones are spelt here.
import { INPUT_ENCODINGS } from '../pub/input-encoding.js';
import { PROPERTY_COMMAND_NAMES, propertyNamesFor } from './properties-arg.js';

const QOS = ['0', '1', '2'];
const VALUES: Record<string, readonly string[]> = {
  '-q': QOS,
  '--qos': QOS,
  '-V': ['5', '311', '31', 'mqttv5', 'mqttv311', 'mqttv31'],
  '--protocol-version': ['5', '311', '31', 'mqttv5', 'mqttv311', 'mqttv31'],
  '--output': ['raw', 'hex', 'base64'],
  '--input': INPUT_ENCODINGS,
  '--tls-version': ['tlsv1.3', 'tlsv1.2', 'tlsv1.1'],
  '--retain-handling': ['0', '1', '2'],
  // mqtt-passwd
  '-H': ['sha512-pbkdf2', 'argon2id', 'sha512', 'bcrypt'],
};
const PROPERTY = new Set(['-D', '--property']);

/**
 * The values for the word under the cursor when it is an option's value, or
 * undefined when it is not (then option names or file names are offered).
 * `names` are the tool's option spellings: a list applies only to its own options.
 */
export function valueCompletions(names: ReadonlySet<string>, words: readonly string[]): string[] | undefined {
  const current = words[words.length - 1] ?? '';
  const prev = words[words.length - 2];
  const prev2 = words[words.length - 3];
  let values: readonly string[] | undefined;
  if (prev !== undefined && names.has(prev)) {
    values = PROPERTY.has(prev) ? PROPERTY_COMMAND_NAMES : VALUES[prev];
  } else if (prev2 !== undefined && PROPERTY.has(prev2) && names.has(prev2) && prev !== undefined) {
    values = propertyNamesFor(prev);
  }
  return values?.filter((v) => v.startsWith(current));
}
