// Test plan L1: the argv-error table. Each row must exit with the status shown
// WITHOUT opening a connection (a listening socket counts connection attempts),
// and mosquitto_pub, given the same arguments, must agree unless the row says why not.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pub, requireBuild, run } from './pub-run.js';

let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  requireBuild();
  server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

type Row = [name: string, args: string[], status: number, mosquittoDiffers?: string];

const rows: Row[] = [
  ['no arguments', [], 1],
  ['topic without message', ['-t', 'a'], 1],
  ['message without topic', ['-m', 'x'], 1],
  ['unknown option', ['-t', 'a', '-m', 'x', '--nope'], 1],
  ['--opt=value form', ['-t', 'a', '--message=x'], 1],
  ['bundled flags', ['-t', 'a', '-m', 'x', '-dr'], 1],
  ...(['-h', '-p', '-t', '-m', '-f', '-i', '-I', '-k', '-q', '-u', '-P', '-V', '-x', '-A', '-M', '-L', '--unix', '--proxy',
    '--will-topic', '--will-payload', '--will-qos', '--repeat', '--repeat-delay', '--cafile', '--capath', '--cert', '--key',
    '--keyform', '--ciphers', '--tls-version', '--tls-alpn', '--psk', '--psk-identity'] as const).map(
    (flag): Row => [`${flag} missing its value`, ['-t', 'a', '-n', flag], 1],
  ),
  ['-D missing values', ['-t', 'a', '-n', '-D', 'publish', 'content-type'], 1],
  ['-D user-property missing value', ['-t', 'a', '-n', '-D', 'publish', 'user-property', 'k'], 1],
  ['-D unknown command', ['-t', 'a', '-n', '-D', 'suback', 'reason-string', 'x'], 1],
  ['-D unknown property', ['-t', 'a', '-n', '-D', 'publish', 'nope', 'x'], 1],
  ['-D property not allowed', ['-t', 'a', '-n', '-D', 'publish', 'receive-maximum', '1'], 1],
  ['-D value out of range', ['-t', 'a', '-n', '-D', 'publish', 'payload-format-indicator', '256'], 1],
  ['-k below 5', ['-t', 'a', '-n', '-k', '4'], 1],
  ['-k above 65535', ['-t', 'a', '-n', '-k', '65536'], 1],
  ['-p above 65535', ['-t', 'a', '-n', '-p', '70000'], 1],
  ['-p negative', ['-t', 'a', '-n', '-p', '-1'], 1],
  ['-q 3', ['-t', 'a', '-n', '-q', '3'], 1],
  ['-q -1', ['-t', 'a', '-n', '-q', '-1'], 1],
  ['-q not a number', ['-t', 'a', '-n', '-q', 'x'], 1, 'mosquitto reads "x" as QoS 0 and connects'],
  ['--will-qos 3', ['-t', 'a', '-n', '--will-topic', 'w', '--will-qos', '3'], 1],
  ['-V 4', ['-t', 'a', '-n', '-V', '4'], 1],
  ['+ in topic', ['-t', 'a/+/b', '-n'], 1],
  ['# in topic', ['-t', 'a/#', '-n'], 1],
  ['empty topic', ['-t', '', '-n'], 1, 'mosquitto connects, then fails'],
  ['wildcard will topic', ['-t', 'a', '-n', '--will-topic', 'w/#'], 1],
  ['will payload without topic', ['-t', 'a', '-n', '--will-payload', 'x'], 1],
  ['will retain without topic', ['-t', 'a', '-n', '--will-retain'], 1],
  ['-i with -I', ['-t', 'a', '-n', '-i', 'a', '-I', 'b'], 1],
  ['-c without id (v3.1.1)', ['-t', 'a', '-n', '-c'], 1],
  ['-c with -I (v3.1.1)', ['-t', 'a', '-n', '-c', '-I', 'p'], 1],
  ['v5 -c without id (infinite expiry)', ['-t', 'a', '-n', '-c', '-V', '5'], 1],
  ['-x infinite without id', ['-t', 'a', '-n', '-V', '5', '-x', '-1'], 1],
  ['-x not a number', ['-t', 'a', '-n', '-V', '5', '-x', '1x'], 1],
  ['-x out of range', ['-t', 'a', '-n', '-V', '5', '-x', '4294967296'], 1],
  ['two message modes', ['-t', 'a', '-m', 'x', '-n'], 1],
  ['-m twice', ['-t', 'a', '-m', 'x', '-m', 'y'], 1],
  ['--repeat 0', ['-t', 'a', '-n', '--repeat', '0'], 1],
  ['--repeat-delay negative', ['-t', 'a', '-n', '--repeat', '2', '--repeat-delay', '-1'], 1],
  ['-M 0', ['-t', 'a', '-n', '-M', '0'], 1],
  ['--cert without --key', ['-t', 'a', '-n', '--cert', 'c.pem'], 1],
  ['--keyform without --key', ['-t', 'a', '-n', '--keyform', 'pem'], 1],
  ['--psk without identity', ['-t', 'a', '-n', '--psk', '00'], 1],
  ['--psk with --cafile', ['-t', 'a', '-n', '--psk', '00', '--psk-identity', 'i', '--cafile', 'x'], 1],
  ['bad URL scheme', ['-n', '-L', 'http://h/t'], 1],
  ['URL without topic', ['-n', '-L', 'mqtt://h'], 1],
  ['bad proxy scheme', ['-t', 'a', '-n', '--proxy', 'http://p'], 1],
  ['--tls-engine', ['-t', 'a', '-n', '--tls-engine', 'x'], 1, 'mosquitto accepts engines'],
  ['unreadable -f file', ['-t', 'a', '-f', '/nonexistent/file'], 1],
  ['-s with empty stdin', ['-t', 'a', '-s'], 1],
  ['-P without -u (v3.1.1)', ['-t', 'a', '-n', '-P', 'pw'], 1],
  ['--help', ['--help'], 1],
  ['--version', ['--version'], 1],
];

describe('mqtt-pub argv errors (L1)', () => {
  it.each(rows)('%s', async (_name, args, status, differs) => {
    const before = connections;
    const conn = ['-h', '127.0.0.1', '-p', String(port)];
    // -p rows put their own -p last, so it wins over ours.
    const ours = await pub([...conn, ...args]);
    expect(ours.status).toBe(status);
    expect(ours.stderr).not.toMatch(/\n\s+at /); // never a stack trace
    expect(connections).toBe(before);
    if (!differs) {
      const theirs = await run('mosquitto_pub', [...conn, ...args]);
      expect(theirs.status).toBe(status);
    }
  });

  it('--help prints usage on stdout only', async () => {
    const r = await pub(['--help']);
    expect(r.stdout.toString()).toMatch(/^mqtt-pub /);
    expect(r.stderr).toBe('');
  });

  it('a missing topic or message prints the usage on stdout and one error line on stderr', async () => {
    const r = await pub(['-t', 'a']);
    expect(r.stdout.toString()).toMatch(/Usage: mqtt-pub/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
