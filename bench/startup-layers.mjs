// Where a one-message mqtt-pub's start-up goes, layer by layer (issue 14's
// "show the profile that says why and what the floor is"). Each layer is a
// program of its own in bench/startup-layers/, bundled as the tools are
// (scripts/bundle-options.mjs) and started as they are, through a copy of
// dist/launch.js with a code cache of its own:
//   launcher  the bare net.connect + CONNECT floor, through our launcher
//   codec     + our codec making CONNECT, PUBLISH and DISCONNECT and reading CONNACK
//   argv      + mqtt-pub's argv parsing and publish plan (its option tables)
//   client    + our client (MqttClient) doing the talking
// mqtt-pub itself is the last layer: runTool, exit statuses, signals, the tracker.
import { build, stop } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_OPTIONS } from '../scripts/bundle-options.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');

export const LAYERS = [
  ['launcher', 'floor.ts', 'the same floor, through our launcher'],
  ['codec', 'codec.ts', '+ our codec (CONNECT, CONNACK, PUBLISH)'],
  ['argv', 'argv.ts', "+ mqtt-pub's argv parsing and plan"],
  ['client', 'client.ts', '+ our client (MqttClient) doing the talking'],
];

/**
 * Builds each layer under `dir` and runs it twice (its code cache written);
 * returns its command [cmd, args, env] for a publish to 127.0.0.1:`port`.
 */
export async function startupLayers(dir, port, env) {
  const cases = {};
  for (const [name, entry] of LAYERS) {
    const root = join(dir, `layer-${name}`);
    mkdirSync(join(root, 'bin'), { recursive: true });
    mkdirSync(join(root, 'dist'), { recursive: true });
    for (const f of ['launch.js', 'launch-save.js', 'package.json']) copyFileSync(join(dist, f), join(root, 'dist', f));
    // The launcher starts dist/mqtt-pub.js, named as the real bundle is (its cache directory is the layer's own).
    await build({ ...BUNDLE_OPTIONS, entryPoints: { 'mqtt-pub': join(here, 'startup-layers', entry) }, outdir: join(root, 'dist') });
    const bin = join(root, 'bin', 'mqtt-pub.js');
    writeFileSync(bin, '#!/usr/bin/env node\nrequire("../dist/launch.js").launch("mqtt-pub");\n');
    const p = String(port);
    const args = {
      launcher: [p, '127.0.0.1'], // bench/floor-pub.cjs: port, host
      codec: ['127.0.0.1', p, 'bench/one', 'hello'],
    }[name] ?? ['-h', '127.0.0.1', '-p', p, '-t', 'bench/one', '-m', 'hello'];
    const layerEnv = { ...env, XDG_CACHE_HOME: join(root, 'cache') };
    for (let i = 0; i < 2; i++) {
      const r = spawnSync(process.execPath, [bin, ...args], { env: layerEnv, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`start-up layer ${name} exited ${r.status}: ${r.stderr}`);
    }
    cases[`layer-${name}`] = [process.execPath, [bin, ...args], layerEnv];
  }
  await stop(); // esbuild's service process must not share the CPUs with the timed runs
  return cases;
}
