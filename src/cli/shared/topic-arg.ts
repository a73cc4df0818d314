// Topic checks for -t, --will-topic (and rr's -e), in mosquitto's words.
// Argv strings reach us already decoded, so the UTF-8 check is for what Node
// could not decode (U+FFFD), for what MQTT forbids (U+0000, lone surrogates)
// and for what mosquitto's own UTF-8 check refuses (control characters and
// non-characters): a broker drops a PUBLISH with those as malformed, which at
// QoS 0 would go unnoticed.
import { hasDiscouragedCodePoints, utf8Length } from '../../codec/validate.js';
import { ArgvError, optionError } from './argv-error.js';

/** True when `s` is not text mosquitto accepts in a topic. */
export function isMalformedTopicText(s: string): boolean {
  return s.includes('\ufffd') || utf8Length(s) < 0 || hasDiscouragedCodePoints(s); // the last covers U+0000
}

/** Throws ArgvError(`wildcardMessage`) for '+'/'#', and a UTF-8 error for bad text. */
export function checkPublishTopic(topic: string, wildcardMessage: string, option = '-t'): void {
  if (topic.includes('+') || topic.includes('#')) throw new ArgvError(wildcardMessage);
  if (isMalformedTopicText(topic) || Buffer.byteLength(topic, 'utf8') > 65535) {
    throw optionError(`Malformed UTF-8 in ${option} argument.`);
  }
}
