// --help (mosquitto's header, then yargs' option list), --completion-script and
// the --get-yargs-completions answer, through the shipped binaries.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const TOOLS = ['mqtt-pub', 'mqtt-sub', 'mqtt-rr', 'mqtt-passwd'] as const;

function run(tool: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  // SHELL picks yargs' script flavour; pin bash so the test does not depend on the caller's shell.
  const env: NodeJS.ProcessEnv = { ...process.env, SHELL: '/bin/bash', NO_COLOR: '1' };
  delete env.ZSH_NAME;
  const r = spawnSync(process.execPath, [join(root, 'bin', `${tool}.js`), ...args], { encoding: 'utf8', env, input: '' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  for (const t of TOOLS) {
    if (!existsSync(join(root, 'dist', `${t}.js`))) throw new Error(`dist/${t}.js is missing: run \`npm run build\` first (npm test does).`);
  }
});

describe('--help', () => {
  it.each([
    ['mqtt-pub', /^mqtt-pub publishes messages to an MQTT broker/, ['--cafile', '-h, --host', '--completion-script', '-m, --message']],
    ['mqtt-sub', /^mqtt-sub subscribes/, ['--cafile', '-h, --host', '--completion-script', '--retain-handling']],
    ['mqtt-rr', /^mqtt-rr publishes a request/, ['--cafile', '-h, --host', '--completion-script', '-e', '-W', '-C', '--json', '-o']],
    ['mqtt-passwd', /^mqtt-passwd is a tool for managing password files for mosquitto\.\n\nUsage: /, ['--check', '-H', '--completion-script']],
  ])('%s: same header, option list from the table, stdout only, exit 1', (tool, header, listed) => {
    const r = run(tool, ['--help']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(header);
    for (const s of listed) expect(r.stdout).toMatch(new RegExp(`^ +${s.replace(/[-]/g, '\\-')}\\s`, 'm'));
  });

  it('mqtt-pub with a topic but no message still prints the whole usage, then one error line', () => {
    const r = run('mqtt-pub', ['-t', 'a']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^mqtt-pub publishes[^]*--cafile[^]*Exit status/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('shell completion', () => {
  it.each(TOOLS)('%s --completion-script prints yargs\' bash script for the tool and exits 0', (tool) => {
    const r = run(tool, ['--completion-script']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`###-begin-${tool}-completions-###`);
    // The command as typed is asked (./bin/mqtt-sub.js from a checkout), and both names are registered.
    expect(r.stdout).toContain(`"\${COMP_WORDS[0]}" --get-yargs-completions "\${args[@]}"`);
    expect(r.stdout).toMatch(new RegExp(`complete .* ${tool} ${tool}\\.js\\n`));
  });

  it('the script\'s question is answered from the table', () => {
    const r = run('mqtt-pub', ['--get-yargs-completions', 'mqtt-pub', '--ca']);
    expect(r).toMatchObject({ status: 0, stdout: '--cafile\n--capath\n', stderr: '' });
    expect(run('mqtt-sub', ['--get-yargs-completions', 'mqtt-sub', '-t', 'a', '--retain-h'])).toMatchObject({ status: 0, stdout: '--retain-handling\n' });
    expect(run('mqtt-passwd', ['--get-yargs-completions', 'mqtt-passwd', '--st'])).toMatchObject({ status: 0, stdout: '--stdin\n' });
    expect(run('mqtt-rr', ['--get-yargs-completions', 'mqtt-rr', '--null'])).toMatchObject({ status: 0, stdout: '--null-message\n' });
    expect(run('mqtt-pub', ['--get-yargs-completions', 'mqtt-pub', '-f', ''])).toMatchObject({ status: 0, stdout: '' });
  });

  it('option values: -q, -V, --output, --input, --tls-version, -H, -D packets and properties', () => {
    const ask = (tool: string, ...words: string[]): string[] =>
      run(tool, ['--get-yargs-completions', tool, ...words]).stdout.split('\n').filter(Boolean);
    expect(ask('mqtt-sub', '-q', '')).toEqual(['0', '1', '2']);
    expect(ask('mqtt-pub', '-V', 'mqttv')).toEqual(['mqttv5', 'mqttv311', 'mqttv31']);
    expect(ask('mqtt-sub', '--output', '')).toEqual(['raw', 'hex', 'base64']);
    expect(ask('mqtt-pub', '--input', 'h')).toEqual(['hex']);
    expect(ask('mqtt-rr', '--tls-version', '')).toEqual(['tlsv1.3', 'tlsv1.2', 'tlsv1.1']);
    expect(ask('mqtt-passwd', '-H', 'a')).toEqual(['argon2id']);
    expect(ask('mqtt-pub', '-D', 'pu')).toEqual(['publish', 'puback', 'pubrec', 'pubrel', 'pubcomp']);
    expect(ask('mqtt-pub', '-D', 'publish', 'c')).toEqual(['content-type', 'correlation-data']);
    expect(ask('mqtt-sub', '--property', 'subscribe', '')).toEqual(['subscription-identifier', 'user-property']);
    // A value list is only for its own tool's options: mqtt-sub has no --input.
    expect(ask('mqtt-sub', '--input', '')).toEqual([]);
  });

  it.runIf(!spawnSync('bash', ['--version']).error)('bash completes ./bin/mqtt-sub.js by its path', () => {
    const script = run('mqtt-sub', ['--completion-script']).stdout;
    const bin = join(root, 'bin/mqtt-sub.js');
    const drive = `${script}\nCOMP_WORDS=(${bin} -q ''); COMP_CWORD=2; _mqtt-sub_yargs_completions; printf '%s\\n' "\${COMPREPLY[@]}"; complete -p mqtt-sub.js`;
    const r = spawnSync('bash', ['-c', drive], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['0', '1', '2', 'complete -o bashdefault -o default -F _mqtt-sub_yargs_completions mqtt-sub.js']);
  });

  it.runIf(!spawnSync('bash', ['--version']).error)('bash completes through the script', () => {
    const script = run('mqtt-pub', ['--completion-script']).stdout;
    const shim = `mqtt-pub() { "${process.execPath}" "${join(root, 'bin/mqtt-pub.js')}" "$@"; }`;
    const drive = `${shim}\n${script}\nCOMP_WORDS=(mqtt-pub -t a --ca); COMP_CWORD=3; _mqtt-pub_yargs_completions; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['-c', drive], { encoding: 'utf8' });
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['--cafile', '--capath']);
  });
});
