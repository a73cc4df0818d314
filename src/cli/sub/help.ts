// --help and --version text (loaded only when asked for). Like mosquitto_sub,
// both go to stdout and the tool then exits 1.
import { CONNECTION_SYNOPSIS, versionText as toolVersionText } from '../shared/usage-text.js';
import { renderOptionHelp } from '../shared/yargs-help.js';
import { SUB_OPTIONS, TOOL } from './command.js';

export function versionText(): string {
  return toolVersionText(TOOL);
}

/** mosquitto's synopsis, then the option list yargs renders from the table. */
export async function usageText(): Promise<string> {
  return `${TOOL} subscribes to topics on an MQTT broker and prints the messages it receives (a drop-in for mosquitto_sub).
${versionText()}
Usage: ${TOOL} {[-h host] [--unix path] [-p port] [-u username] [-P password] -t topic | -L URL [-t topic]}
                [-c] [-k keepalive] [-q qos] [-x session-expiry-interval]
                [-C msg_count] [-E] [-R] [--retained-only] [--remove-retained] [-T filter_out] [-U topic ...]
                [-F format | --json] [--output hex|base64|raw] [--raw]
                [-W timeout_secs]
                [-A bind_address] [--nodelay]
                [-i id] [-I id_prefix]
                [-d] [-N] [--quiet] [-v] [--pretty]
                [--no-local] [--retain-as-published] [--retain-handling 0|1|2] [--subscription-identifier id]
${CONNECTION_SYNOPSIS}
       ${TOOL} --help

${await renderOptionHelp(SUB_OPTIONS, TOOL)}
See 'man mqtt-sub' for the full reference.
`;
}
