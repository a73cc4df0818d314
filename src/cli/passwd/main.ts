// mqtt-passwd entry: argv → plan → read the password (before locking) → edit
// the file safely. Exit statuses come from shared/exit-codes.ts via runTool;
// see man/mqtt-passwd.1.
import { reportRunKind } from '../shared/run-kind.js';
import { MqttToolError } from '../../errors.js';
import { runTool } from '../shared/run.js';
import { versionText } from '../shared/usage-text.js';
import { COMPLETION_REQUEST, printCompletions, printCompletionScript } from '../shared/completion.js';
import { PASSWD_OPTION_NAMES, TOOL, tokenise } from './command.js';
import { editPasswordFile, openForReading, type EditOptions, type Warn } from './file-write.js';
import { parseHashField, describeHash, verifyPassword, type HashSpec } from './hash.js';
import { checkPassword, toPasswdPlan, type FileOptions, type PasswdPlan, type PasswordSource } from './options.js';
import { fromBinary, parseLine, utf8ToBinary, type EntryLine } from './passwd-file.js';
import { convertEdit, deleteUserEdit, setUserEdit } from './edits.js';
import { scanLines } from './line-scan.js';
import { promptPassword, readPasswordLine } from './prompt.js';
import { closeSync } from 'node:fs';

type Plan<M extends PasswdPlan['mode']> = Extract<PasswdPlan, { mode: M }>;

const warn: Warn = (line) => void process.stderr.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  if (argv[0] === COMPLETION_REQUEST) {
    reportRunKind('completion');
    return printCompletions(PASSWD_OPTION_NAMES, argv.slice(1));
  }
  const args = tokenise(argv);
  if (args.request === 'completion') return printCompletionScript(TOOL);
  const plan = toPasswdPlan(args);
  // What the run does and with which hash: those choose the code it runs.
  reportRunKind('hash' in plan ? `${plan.mode} ${plan.hash.type}` : plan.mode);
  switch (plan.mode) {
    case 'usage':
      if (plan.reason) process.stderr.write(`Error: ${plan.reason}\n`);
      process.stdout.write(await (await import('./usage.js')).usageText());
      return 1;
    case 'version':
      // As mqtt-pub and mqtt-sub (and mosquitto_pub/sub): stdout, status 1.
      process.stdout.write(versionText(TOOL));
      return 1;
    case 'set':
      return setPassword(plan);
    case 'delete':
      return removeUser(plan);
    case 'convert':
      return convertFile(plan);
    case 'check':
      return checkUser(plan);
    case 'list':
      return listUsers(plan);
  }
}

async function readPassword(source: PasswordSource, confirm: boolean): Promise<Buffer> {
  if (source.kind === 'argv') {
    warn('Warning: a password given with -b is visible to other users (ps, shell history); --stdin avoids that.');
    return Buffer.from(source.password, 'utf8');
  }
  if (source.kind === 'stdin') return readPasswordLine();
  // --check from a pipe reads quietly; mosquitto's add/update prompts even then.
  if (!confirm && !process.stdin.isTTY) return readPasswordLine();
  return promptPassword(confirm);
}

const editOptions = (plan: FileOptions, allowMissing: boolean): EditOptions => ({
  file: plan.file,
  followSymlinks: plan.followSymlinks,
  force: plan.force,
  allowMissing,
});

function warnHash(spec: HashSpec): void {
  if (spec.type === 'sha512') warn('Warning: sha512 is a single fast hash, easy to brute-force; sha512-pbkdf2 is recommended.');
  if (spec.type === 'bcrypt') warn('Warning: Mosquitto brokers do not read bcrypt hashes and drop such entries; use bcrypt only with an auth plugin that reads it.');
}

async function setPassword(plan: Plan<'set'>): Promise<number> {
  const password = await readPassword(plan.password, true);
  checkPassword(password);
  const edit = setUserEdit(utf8ToBinary(plan.username), password, plan.hash, plan.create, warn, warnHash);
  await editPasswordFile(editOptions(plan, plan.create), edit, warn);
  // Mosquitto 2.1's words; scripts (-b, --stdin) keep a quiet stdout.
  if (plan.password.kind === 'prompt') process.stdout.write(`${edit.added ? 'Adding' : 'Updating'} password for user ${plan.username}\n`);
  return 0;
}

async function removeUser(plan: Plan<'delete'>): Promise<number> {
  await editPasswordFile(editOptions(plan, false), deleteUserEdit(utf8ToBinary(plan.username), plan.username, warn), warn);
  return 0;
}

async function convertFile(plan: Plan<'convert'>): Promise<number> {
  const edit = convertEdit(plan.hash, warn, warnHash);
  try {
    await editPasswordFile(editOptions(plan, false), edit, warn);
  } finally {
    edit.stop();
  }
  return 0;
}

/** Each entry of a file opened for reading, streamed. */
function* fileEntries(file: string): Generator<EntryLine> {
  const fd = openForReading(file, warn);
  try {
    for (const s of scanLines(fd)) {
      const l = parseLine(s.raw, s.lineNo, s.eol);
      if (l.kind === 'entry') yield l;
    }
  } finally {
    closeSync(fd);
  }
}

async function checkUser(plan: Plan<'check'>): Promise<number> {
  const username = utf8ToBinary(plan.username);
  let entry: EntryLine | undefined;
  for (const e of fileEntries(plan.file)) {
    if (e.username !== username) continue;
    entry = e;
    break;
  }
  if (!entry) throw new MqttToolError('USER_NOT_FOUND', `User ${plan.username} not found in password file.`);
  const password = await readPassword(plan.password, false);
  let ok: boolean;
  try {
    ok = await verifyPassword(password, entry.hash);
  } catch (e) {
    if (e instanceof MqttToolError) throw new MqttToolError(e.code, `User ${plan.username}: ${e.message}`);
    throw e;
  }
  if (!ok) throw new MqttToolError('CHECK_FAILED', `Password for user ${plan.username} does not match.`);
  return 0;
}

async function listUsers(plan: Plan<'list'>): Promise<number> {
  let out = '';
  const flush = async (): Promise<void> => {
    const chunk = fromBinary(out);
    out = '';
    if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  };
  for (const e of fileEntries(plan.file)) {
    out += plan.verbose ? `${e.username}\t${describeHash(parseHashField(e.hash))}\n` : `${e.username}\n`;
    if (out.length >= 1 << 16) await flush();
  }
  await flush();
  return 0;
}

function describeError(err: Error): string {
  if (!(err instanceof MqttToolError)) return `Error: ${err.message}`;
  if (err.code === 'INTERRUPTED') return '';
  // mosquitto_passwd words a missing user as a warning (and exits 1).
  if (err.code === 'USER_NOT_FOUND') return `Warning: ${err.message}`;
  return `Error: ${err.message}`;
}

runTool({ name: TOOL, main, describeError });
