// --help and --version text (loaded only when asked for). Like mosquitto_rr,
// both go to stdout and the tool then exits 1.
import { renderSynopsis } from '../shared/synopsis.js';
import { CONNECTION_FORMS, versionText as toolVersionText } from '../shared/usage-text.js';
import { renderOptionHelp } from '../shared/yargs-help.js';
import { RR_OPTIONS, TOOL } from './command.js';

// mosquitto_rr's combination rules; every other option comes from the table (@rest).
const FORMS = [
  '{[@host] [@unix] [@port] [@username] [@password] @topic | @url} @responseTopic',
  '{@file | @stdinFile | @nullMessage | @message}',
  '@rest',
  ...CONNECTION_FORMS,
];

export function versionText(): string {
  return toolVersionText(TOOL);
}

/** What it does, the synopsis, then the option list yargs renders from the table. */
export async function usageText(): Promise<string> {
  return `${TOOL} publishes a request and prints the response to it (a drop-in for mosquitto_rr).
MQTT 5 by default: the response is the message on the response topic that carries the request's
correlation data. With -V 311, the first message on the response topic.
${versionText()}
${renderSynopsis(TOOL, RR_OPTIONS, FORMS, 'lines')}
${await renderOptionHelp(RR_OPTIONS, TOOL)}
Exit status: 0 when a response arrived and was written, 27 when -W expired first; see ${TOOL}(1).
`;
}
