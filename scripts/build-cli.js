/*
 * Builds `bga` into plain JavaScript (dist/cli), so a command starts without compiling
 * TypeScript first. Runs at install, after the Prisma client is generated, and before tests.
 *
 * npm packages stay external, loaded from node_modules. Most are loaded on first use rather
 * than at start: Temporal's client alone takes longer to load than `bga --help` takes to run,
 * and a command needs only some of them (help needs none; `status` no vendor or mail code).
 */
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
/** Small enough, or used at start by every command, to load as usual. */
const EAGER = new Set(['commander', 'cli-table3']);

/**
 * Each import of a lazy package becomes a stand-in that requires the package on first use.
 * esbuild copies an imported module's export names into its own namespace object at start,
 * reading only their names, and reads a value at each use site; so the stand-in answers the
 * names (taken from the package at build time) and loads the package only when a value is
 * read, a class is constructed or a function called.
 */
function standIn(specifier) {
  const real = require(require.resolve(specifier, { paths: [root] }));
  const names = Object.getOwnPropertyNames(real).filter((n) => !['length', 'name', 'prototype', 'caller', 'arguments'].includes(n));
  return `
    let loaded;
    const real = () => (loaded ??= require(${JSON.stringify(specifier)}));
    const names = ${JSON.stringify(names)};
    // A bound function: callable and constructible like the package's own export, and with no own keys that cannot be reported.
    module.exports = new Proxy(function () {}.bind(null), {
      get: (_, key) => (key === '__esModule' ? ${JSON.stringify(Boolean(real.__esModule))} : real()[key]),
      has: (_, key) => names.includes(key) || key in real(),
      ownKeys: () => names,
      getOwnPropertyDescriptor: (_, key) => (names.includes(key) ? { enumerable: true, configurable: true, writable: true, value: undefined } : undefined),
      apply: (_, self, args) => Reflect.apply(real(), self, args),
      construct: (_, args) => Reflect.construct(real(), args),
    });`;
}

const lazyPackages = {
  name: 'lazy-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.namespace === 'lazy' || args.kind === 'require-resolve' || args.path.startsWith('node:')) return { path: args.path, external: true };
      const pkg = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return EAGER.has(pkg) ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({ loader: 'js', contents: standIn(args.path) }));
  },
};

function buildCli() {
  return esbuild.build({
    absWorkingDir: root,
    // The data converter names its failure converter by path, as workers need: it is built beside the CLI.
    entryPoints: { bga: 'client/cli/main.ts', 'failure-converter': 'platform/failure-converter.ts' },
    outdir: path.join(root, 'dist', 'cli'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['./failure-converter'],
    plugins: [lazyPackages],
    sourcemap: true,
    logLevel: 'warning',
  });
}

module.exports = { buildCli };
if (require.main === module) {
  buildCli().catch(() => process.exit(1));
}
