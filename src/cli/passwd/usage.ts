// The usage text (stdout, exit 1, as mosquitto_passwd), loaded only when shown:
// mosquitto_passwd's synopsis, then the option list yargs renders from command.ts.
import { renderSynopsis } from '../shared/synopsis.js';
import { renderOptionHelp, type HelpOption } from '../shared/yargs-help.js';
import { PASSWD_OPTIONS, TOOL } from './command.js';
import { DEFAULT_PBKDF2_ITERATIONS } from './hash.js';

// hash.ts owns the PBKDF2 default; command.ts stays free of it.
const withDefault = (s: HelpOption): HelpOption =>
  s.names[0] === '-I' ? { ...s, describe: s.describe?.replace('PBKDF2 iterations', `PBKDF2 iterations (default ${DEFAULT_PBKDF2_ITERATIONS})`) } : s;

/** Every option of command.ts's table, as --help lists them. */
export const HELP_OPTIONS: readonly HelpOption[] = PASSWD_OPTIONS.map(withDefault);

// mosquitto_passwd's invocations; options they do not name follow them (@rest).
const FORMS = [
  '[-H sha512-pbkdf2 | -H argon2id | -H sha512 | -H bcrypt] [@iterations] [@create | @delete] passwordfile username',
  '[@hash] [@iterations] [@create] @batch passwordfile username password',
  '[@hash] [@iterations] [@create] @stdin passwordfile username',
  '[@hash] [@iterations] @update passwordfile',
  '[@stdin] @check passwordfile username',
  '[@verbose] @list passwordfile',
  '@rest',
];

export async function usageText(): Promise<string> {
  return `mqtt-passwd is a tool for managing password files for mosquitto.

${renderSynopsis(TOOL, PASSWD_OPTIONS, FORMS, 'invocations')}${await renderOptionHelp(HELP_OPTIONS, TOOL)}
See mqtt-passwd(1) for more information.

`;
}
