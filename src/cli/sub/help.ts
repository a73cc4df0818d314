// --help and --version text (loaded only when asked for). Like mosquitto_sub,
// both go to stdout and the tool then exits 1.
import { renderSynopsis } from '../shared/synopsis.js';
import { CONNECTION_FORMS, versionText as toolVersionText } from '../shared/usage-text.js';
import { renderOptionHelp } from '../shared/yargs-help.js';
import { SUB_OPTIONS, TOOL } from './command.js';

// mosquitto_sub's combination rules; every other option comes from the table (@rest).
const FORMS = ['{[@host] [@unix] [@port] [@username] [@password] @topic | @url [@topic]}', '@rest', ...CONNECTION_FORMS];

export function versionText(): string {
  return toolVersionText(TOOL);
}

/** The synopsis, then the option list yargs renders from the table. */
export async function usageText(): Promise<string> {
  return `${TOOL} subscribes to topics on an MQTT broker and prints the messages it receives (a drop-in for mosquitto_sub).
${versionText()}
${renderSynopsis(TOOL, SUB_OPTIONS, FORMS, 'lines')}
${await renderOptionHelp(SUB_OPTIONS, TOOL)}
See 'man mqtt-sub' for the full reference.
`;
}
