// --help and --version text (loaded only when asked for). Like mosquitto_pub,
// both go to stdout and the tool then exits 1.
import { renderOptionHelp } from '../shared/yargs-help.js';
import { PUB_OPTIONS, TOOL } from './command.js';

/** Kept equal to package.json's version by test/unit/pub-options.test.ts. */
export const VERSION = '0.1.0';

export function versionText(): string {
  return `${TOOL} version ${VERSION} running on Node.js ${process.version}.\n`;
}

/** mosquitto's synopsis, then the option list yargs renders from the table. */
export async function usageText(): Promise<string> {
  return `${TOOL} publishes messages to an MQTT broker and exits (a drop-in for mosquitto_pub).
${versionText()}
Usage: ${TOOL} {[-h host] [--unix path] [-p port] [-u username] [-P password] -t topic | -L URL}
                {-f file | -l | -n | -m message | -s}
                [-c] [-k keepalive] [-q qos] [-r] [--repeat N] [--repeat-delay time] [-x session-expiry]
                [-A bind_address] [--nodelay]
                [-i id] [-I id_prefix]
                [-d] [--quiet]
                [-M max_inflight]
                [-u username [-P password | --password-file file | --password-prompt]]
                [--will-topic [--will-payload payload] [--will-qos qos] [--will-retain]]
                [{--cafile file | --capath dir} [--cert file] [--key file]
                  [--ciphers ciphers] [--insecure] [--tls-alpn protocol] [--tls-version version]]
                  [--tls-use-os-certs]
                [--psk hex-key --psk-identity identity [--ciphers ciphers]]
                [--proxy socks-url]
                [-D command identifier value]
       ${TOOL} --help

${await renderOptionHelp(PUB_OPTIONS, TOOL)}
Exit status: 0 when every message was delivered (QoS 1/2: acknowledged); see ${TOOL}(1).
`;
}
