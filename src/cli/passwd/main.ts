// mqtt-passwd entry: argv → plan → read the password (before locking) → edit
// the file safely. Exit statuses come from shared/exit-codes.ts via runTool;
// see man/mqtt-passwd.1.
import { MqttToolError } from '../../errors.js';
import { runTool } from '../shared/run.js';
import { COMPLETION_REQUEST, printCompletions, printCompletionScript } from '../shared/completion.js';
import { PASSWD_OPTION_NAMES, TOOL, tokenise } from './command.js';
import { editPasswordFile, readPasswordFile, type EditOptions, type Warn } from './file-write.js';
import { hashMany, hashPassword, parseHashField, describeHash, verifyPassword, type HashSpec } from './hash.js';
import { checkPassword, toPasswdPlan, type FileOptions, type PasswdPlan, type PasswordSource } from './options.js';
import {
  deleteUser,
  entries,
  findUser,
  fromBinary,
  parsePasswdFile,
  rehashEntries,
  serialisePasswdFile,
  setUser,
  singleUserFile,
  utf8ToBinary,
  type PasswdFile,
} from './passwd-file.js';
import { promptPassword, readPasswordLine } from './prompt.js';
import { startProgress } from './progress.js';

type Plan<M extends PasswdPlan['mode']> = Extract<PasswdPlan, { mode: M }>;

const warn: Warn = (line) => void process.stderr.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  if (argv[0] === COMPLETION_REQUEST) return printCompletions(PASSWD_OPTION_NAMES, argv.slice(1));
  const args = tokenise(argv);
  if (args.request === 'completion') return printCompletionScript(TOOL);
  const plan = toPasswdPlan(args);
  switch (plan.mode) {
    case 'usage':
      process.stdout.write(await (await import('./usage.js')).usageText());
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

/** Parses the current text and warns about entries the broker will ignore. */
function parseForEdit(current: Buffer | undefined): PasswdFile {
  const file = parsePasswdFile(current ?? Buffer.alloc(0));
  for (const e of entries(file)) {
    const p = parseHashField(e.hash);
    if (p.kind === 'invalid') warn(`Warning: Line ${e.lineNo}: ${p.reason}; the broker will ignore this entry.`);
  }
  return file;
}

function warnHash(spec: HashSpec): void {
  if (spec.type === 'sha512') warn('Warning: sha512 is a single fast hash, easy to brute-force; sha512-pbkdf2 is recommended.');
}

async function setPassword(plan: Plan<'set'>): Promise<number> {
  const password = await readPassword(plan.password, true);
  checkPassword(password);
  warnHash(plan.hash);
  const username = utf8ToBinary(plan.username);
  // Hashing first keeps the lock short: it does not depend on the file.
  const hash = await hashPassword(password, plan.hash);
  await editPasswordFile(
    editOptions(plan, plan.create),
    async (current) => serialisePasswdFile(plan.create ? singleUserFile(username, hash) : setUser(parseForEdit(current), username, hash).file),
    warn,
  );
  return 0;
}

async function removeUser(plan: Plan<'delete'>): Promise<number> {
  const username = utf8ToBinary(plan.username);
  await editPasswordFile(
    editOptions(plan, false),
    async (current) => {
      const { file, removed } = deleteUser(parseForEdit(current), username);
      if (removed === 0) throw new MqttToolError('USER_NOT_FOUND', `User ${plan.username} not found in password file.`);
      return serialisePasswdFile(file);
    },
    warn,
  );
  return 0;
}

async function convertFile(plan: Plan<'convert'>): Promise<number> {
  warnHash(plan.hash);
  await editPasswordFile(
    editOptions(plan, false),
    async (current) => {
      const file = parseForEdit(current);
      // Already-hashed lines (any known or unknown $scheme$) are left alone: hashing a hash destroys the password.
      const plain = entries(file).filter((e) => parseHashField(e.hash).kind === 'plain');
      if (plain.length === 0) return null;
      const progress = await startProgress('Hashing passwords', plain.length);
      let hashes: string[];
      try {
        hashes = await hashMany(
          plain.map((e) => fromBinary(e.hash)),
          plan.hash,
          (done) => progress.update(done),
        );
      } finally {
        progress.stop();
      }
      return serialisePasswdFile(rehashEntries(file, new Map(plain.map((e, i) => [e.lineNo, hashes[i] as string]))));
    },
    warn,
  );
  return 0;
}

async function checkUser(plan: Plan<'check'>): Promise<number> {
  const file = parsePasswdFile(readPasswordFile(plan.file, warn));
  const entry = findUser(file, utf8ToBinary(plan.username));
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
  const file = parsePasswdFile(readPasswordFile(plan.file, warn));
  const out = entries(file).map((e) => fromBinary(plan.verbose ? `${e.username}\t${describeHash(parseHashField(e.hash))}\n` : `${e.username}\n`));
  process.stdout.write(Buffer.concat(out));
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
