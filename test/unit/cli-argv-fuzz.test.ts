// Any command line either parses into a plan or fails with an ArgvError (exit 1
// with one line): never a TypeError or any other crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PUB_OPTIONS } from '../../src/cli/pub/command.js';
import { toPublishPlan } from '../../src/cli/pub/options.js';
import { ArgvError } from '../../src/cli/shared/argv-error.js';
import { parseToolArgs } from '../../src/cli/shared/tool-args.js';

const names = PUB_OPTIONS.flatMap((s) => s.names);
const values = ['0', '1', '2', '3', '-1', '5', '8883', '65536', 'x', '', 'a/b', 'a/+', '#', '∞', 'mqtt://h/t', 'ws://h:1/t',
  'socks5h://u:p@h:1', 'publish', 'connect', 'will', 'user-property', 'content-type', 'topic-alias', 'mqttv5', 'tlsv1.2', 'pem'];
const token = fc.oneof(fc.constantFrom(...names), fc.constantFrom(...values), fc.string({ maxLength: 6 }));

describe('mqtt-pub argv fuzz', () => {
  it('parses or fails with ArgvError, nothing else', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (argv) => {
        try {
          const args = parseToolArgs(argv, { tool: 'mqtt-pub', specs: PUB_OPTIONS, noConfigFile: true });
          if (!args.request) toPublishPlan(args, { pid: 1 });
        } catch (e) {
          expect(e).toBeInstanceOf(ArgvError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
