// The check mosquitto's clients make on their -D property lists once the command
// line is read (libmosquitto's mosquitto_property_check_all, as 2.0 calls it at
// the end of client_config_load): per packet, in the order CONNECT, PUBLISH,
// SUBSCRIBE, UNSUBSCRIBE, DISCONNECT, Will, each property's value, then whether
// it appears again later in the same list (user properties may repeat).
// Pure: throws ArgvError with mosquitto's words.
import { ArgvError } from './argv-error.js';
import type { PropertyArg, PropertyCommand } from './properties-arg.js';

const ORDER: ReadonlyArray<[PropertyCommand, string]> = [
  ['connect', 'CONNECT'],
  ['publish', 'PUBLISH'],
  ['subscribe', 'SUBSCRIBE'],
  ['unsubscribe', 'UNSUBSCRIBE'],
  ['disconnect', 'DISCONNECT'],
  ['will', 'Will'],
];

// mosquitto_strerror's words for the two failures a client's own list can have.
const PROTOCOL = 'A network protocol error occurred when communicating with the broker.';
const DUPLICATE = 'Duplicate property in property list';

/** Values mosquitto 2.0 refuses (a client can set no other checked property). */
function badValue(p: PropertyArg): boolean {
  switch (p.name) {
    case 'request-problem-information':
    case 'request-response-information':
      return (p.value as number) > 1;
    case 'maximum-packet-size':
    case 'receive-maximum':
    case 'topic-alias':
      return p.value === 0;
    default:
      return false;
  }
}

function checkList(list: readonly PropertyArg[], label: string): void {
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    const fail = badValue(p)
      ? PROTOCOL
      : p.name !== 'user-property' && list.slice(i + 1).some((q) => q.name === p.name)
        ? DUPLICATE
        : undefined;
    if (fail) throw new ArgvError(`Error in ${label} properties: ${fail}`, { bare: true, hiddenByQuiet: true });
  }
}

/**
 * Checks every -D list as mosquitto does. `sessionExpiry` is the interval -x or
 * -c adds to CONNECT under MQTT 5 (mosquitto appends it after the -D ones, so
 * -x with -D connect session-expiry-interval is a duplicate).
 */
export function checkPropertyLists(args: readonly PropertyArg[], sessionExpiry?: number): void {
  for (const [command, label] of ORDER) {
    const list = args.filter((a) => a.command === command);
    if (command === 'connect' && sessionExpiry !== undefined && sessionExpiry > 0) {
      list.push({ command, name: 'session-expiry-interval', key: 'sessionExpiryInterval', value: sessionExpiry });
    }
    checkList(list, label);
  }
}
