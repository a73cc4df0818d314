// --help and --version text (loaded only when asked for). Like mosquitto_pub,
// both go to stdout and the tool then exits 1.
import { CONNECTION_SYNOPSIS, versionText as toolVersionText } from '../shared/usage-text.js';
import { renderOptionHelp } from '../shared/yargs-help.js';
import { PUB_OPTIONS, TOOL } from './command.js';

export function versionText(): string {
  return toolVersionText(TOOL);
}

/** mosquitto's synopsis, then the option list yargs renders from the table. */
export async function usageText(): Promise<string> {
  return `${TOOL} publishes messages to an MQTT broker and exits (a drop-in for mosquitto_pub).
${versionText()}
Usage: ${TOOL} {[-h host] [--unix path] [-p port] [-u username] [-P password] -t topic | -L URL}
                {-f file | -l | -n | -m message | -s}
                [-c] [-k keepalive] [-q qos] [-r] [--repeat N] [--repeat-delay time] [-x session-expiry]
                [--input raw|hex|base64] [--retry N] [--timeout time] [--spool dir]
                [-A bind_address] [--nodelay]
                [-i id] [-I id_prefix]
                [-d] [--quiet]
                [-M max_inflight]
${CONNECTION_SYNOPSIS}
       ${TOOL} --help

${await renderOptionHelp(PUB_OPTIONS, TOOL)}
Exit status: 0 when every message was delivered (QoS 1/2: acknowledged); see ${TOOL}(1).
`;
}
