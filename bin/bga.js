#!/usr/bin/env node
// `bga` runs as JavaScript built by `npm ci` (scripts/build-cli.js), so it starts without compiling TypeScript.
try {
  require.resolve('../dist/cli/bga.js');
} catch {
  process.stderr.write('bga: the CLI is not built yet; run `node scripts/build-cli.js` (npm ci does it) and try again.\n');
  process.exit(1);
}
require('../dist/cli/bga.js');
