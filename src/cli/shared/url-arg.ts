// -L/--url against the other options. -L is stored as what it is, one declared
// value (the last one given wins whole, so a later URL replaces everything an
// earlier one set); what it stands for (host, port, credentials, topic,
// WebSocket, OS certificates) is read from it here, and an option given after
// it overrides its part, as in mosquitto. The grammar is in url.ts.
import { latest, str, type ParsedArgs } from './args.js';
import type { ConnectionKey } from './connection-options.js';
import { parseMqttUrl, type ParsedMqttUrl } from './url.js';

/** The last -L, parsed (it was checked where it appeared), or undefined. */
export function urlOf(args: ParsedArgs<ConnectionKey>): ParsedMqttUrl | undefined {
  const url = str(args, 'url');
  return url === undefined ? undefined : parseMqttUrl(url);
}

type UrlPart = 'host' | 'port' | 'username' | 'password';

/** The value of host, port, -u or -P: from the option, or from a -L given after it (when the URL has that part). */
export function urlOrOption(args: ParsedArgs<ConnectionKey>, key: UrlPart): string | undefined {
  const url = latest(args, 'url', key) === 'url' ? urlOf(args) : undefined;
  const part = url?.[key];
  return part === undefined ? str(args, key) : String(part);
}

/** Checks -L where it appears on the command line, so its error comes in argv order. */
export const URL_VALIDATION = { url: (value: string): void => void parseMqttUrl(value) };
