// Publish-topic checks for -t, --will-topic (and rr's -e), in mosquitto's words.
// Argv strings reach us already decoded, so the UTF-8 check is for what Node
// could not decode (U+FFFD) and for what MQTT forbids (U+0000).
import { ArgvError } from './argv-error.js';

/** Throws ArgvError(`wildcardMessage`) for '+'/'#', and a UTF-8 error for bad text. */
export function checkPublishTopic(topic: string, wildcardMessage: string, option = '-t'): void {
  if (topic.includes('+') || topic.includes('#')) throw new ArgvError(wildcardMessage);
  if (topic.includes('\u0000') || topic.includes('\ufffd') || Buffer.byteLength(topic, 'utf8') > 65535) {
    throw new ArgvError(`Malformed UTF-8 in ${option} argument.`);
  }
}
