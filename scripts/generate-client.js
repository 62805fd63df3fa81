/*
 * `prisma generate` at install. Generate never runs the schema engine, but the CLI
 * downloads it first unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file, and that
 * download fails on machines that reach only the package registries.
 */
const { spawnSync } = require('node:child_process');

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const res = spawnSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate'], { stdio: 'inherit', env });
process.exit(res.status ?? 1);
