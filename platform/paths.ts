import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The folder holding package.json: found by walking up, as this file also runs from the built CLI in dist/cli. */
function findProjectRoot(dir: string): string {
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  const parent = path.dirname(dir);
  if (parent === dir) throw new Error(`No package.json above ${__dirname}: run bga from the project's checkout.`);
  return findProjectRoot(parent);
}

export const projectRoot = findProjectRoot(path.resolve(__dirname, '..'));

/** Where `npm start` keeps PostgreSQL and Temporal data between runs. */
export function dataDir(): string {
  return path.resolve(process.env.BGA_DATA_DIR ?? path.join(projectRoot, '.data'));
}

/**
 * Big, versioned downloads and builds (Temporal CLI, Java test server) live
 * outside the checkout so fresh clones and CI runs on the same machine reuse them.
 */
export function toolCacheDir(): string {
  return path.resolve(
    process.env.BGA_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'bga-pipeline'),
  );
}
