// --input hex|base64: the message (-m, -f, -s, or each -l line) is text that
// encodes the payload bytes. It lets a shell script publish binary payloads,
// which argv cannot carry (Node hands arguments over as UTF-8). Whitespace is
// ignored; anything else that is not part of the encoding is an error, never
// silently dropped (Buffer.from(s, 'base64') would drop it).
import { MqttToolError } from '../../errors.js';

export type InputEncoding = 'raw' | 'hex' | 'base64';
export const INPUT_ENCODINGS: readonly InputEncoding[] = ['raw', 'hex', 'base64'];

const SPACE = /[ \t\r\n\f\v]+/g;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

/** The payload `text` encodes; `what` names the input in the error ("-m", "line 7"). */
export function decodeInput(text: Buffer, encoding: InputEncoding, what: string): Buffer {
  if (encoding === 'raw') return text;
  const s = text.toString('latin1').replace(SPACE, '');
  if (encoding === 'hex') {
    if (!HEX.test(s)) throw new MqttToolError('INVALID_INPUT', `${what} is not valid hex (pairs of 0-9 a-f, spaces allowed).`);
    return Buffer.from(s, 'hex');
  }
  if (!BASE64.test(s)) throw new MqttToolError('INVALID_INPUT', `${what} is not valid base64.`);
  return Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64');
}
