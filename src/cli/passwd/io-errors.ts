// File-system failures as one line in mosquitto's style:
// "Unable to open password file f1. No such file or directory."
import { MqttToolError } from '../../errors.js';
import { strerror } from '../../strerror.js';

/** `what` is the start of the sentence, e.g. "Unable to open password file f1". */
export function ioError(e: unknown, what: string): MqttToolError {
  if (e instanceof MqttToolError) return e;
  return new MqttToolError('IO_ERROR', `${what}. ${strerror(e)}.`, { cause: e });
}
