// --help and --version text (loaded only when asked for). Like mosquitto_pub,
// both go to stdout and the tool then exits 1.
import { renderSynopsis } from '../shared/synopsis.js';
import { CONNECTION_FORMS, versionText as toolVersionText } from '../shared/usage-text.js';
import { renderOptionHelp } from '../shared/yargs-help.js';
import { PUB_OPTIONS, TOOL } from './command.js';

// mosquitto_pub's combination rules; every other option comes from the table (@rest).
const FORMS = [
  '{[@host] [@unix] [@port] [@username] [@password] @topic | @url}',
  '{@file | @stdinLine | @nullMessage | @message | @stdinFile}',
  '@rest',
  ...CONNECTION_FORMS,
];

export function versionText(): string {
  return toolVersionText(TOOL);
}

/** The synopsis, then the option list yargs renders from the table. */
export async function usageText(): Promise<string> {
  return `${TOOL} publishes messages to an MQTT broker and exits (a drop-in for mosquitto_pub).
${versionText()}
${renderSynopsis(TOOL, PUB_OPTIONS, FORMS, 'lines')}
${await renderOptionHelp(PUB_OPTIONS, TOOL)}
Exit status: 0 when every message was delivered (QoS 1/2: acknowledged); see ${TOOL}(1).
`;
}
