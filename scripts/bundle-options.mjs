// esbuild options of the tools' bundles: scripts/build.mjs builds dist/ with them,
// and bench/startup-layers.mjs builds its start-up layers the same way.
export const BUNDLE_OPTIONS = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  // Imported from node_modules when used, so a plain publish never even parses them.
  external: ['ws', 'socks', 'chalk', 'ora', 'bcryptjs', 'yargs', 'bufferutil', 'utf-8-validate'],
  logLevel: 'warning',
  legalComments: 'none',
  charset: 'ascii',
  // Whitespace and comments out, names kept (stack traces stay readable): a
  // third less text to read, copy into a V8 string and keep in memory at every
  // start, measured ~2% of a whole publish on Node 20 (bench/issue14).
  minifyWhitespace: true,
  minifySyntax: true,
};
