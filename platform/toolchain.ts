import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toolCacheDir } from './paths';

export const TEMPORAL_CLI_VERSION = '1.5.1';
export const TEST_SERVER_VERSION = '1.38.0';

export type Progress = (line: string) => void;

export class ProvisionError extends Error {
  override name = 'ProvisionError';
}

function onPath(cmd: string): string | undefined {
  const res = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const found = res.stdout.trim();
  return res.status === 0 && found ? found : undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

const QUIET_REPORT_MS = 20_000;

/**
 * Runs a command, relaying its output as progress lines; rejects with the tail of its output.
 * A compiler is silent for minutes, so a quiet spell is reported too: a stalled-looking
 * terminal is what makes people press Ctrl-C on a first start.
 */
function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; progress: Progress; every?: RegExp }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const started = Date.now();
    let lastReport = started;
    const report = (line: string) => {
      lastReport = Date.now();
      opts.progress(line);
    };
    const ticker = setInterval(() => {
      if (Date.now() - lastReport >= QUIET_REPORT_MS) report(`  … still working (${Math.round((Date.now() - started) / 1000)} s)`);
    }, 1_000);
    const tail: string[] = [];
    let count = 0;
    const onData = (buf: Buffer) => {
      for (const line of buf.toString().replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        if (!opts.every || opts.every.test(line)) {
          count += 1;
          if (count % 25 === 1) report(`  … ${line.trim()}`);
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => {
      clearInterval(ticker);
      reject(new ProvisionError(`could not run ${cmd}: ${err.message}`));
    });
    child.on('exit', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new ProvisionError(`${cmd} ${args.join(' ')} exited with ${code}:\n${tail.join('\n')}`));
    });
  });
}

/** Builds into a temporary folder and renames it into place, so a cut-off build never looks finished. */
async function buildInto(finalDir: string, build: (tmpDir: string) => Promise<void>): Promise<void> {
  fs.mkdirSync(path.dirname(finalDir), { recursive: true });
  const tmpDir = fs.mkdtempSync(`${finalDir}.tmp-`);
  try {
    await build(tmpDir);
    fs.rmSync(finalDir, { recursive: true, force: true });
    fs.renameSync(tmpDir, finalDir);
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

/**
 * Finds or provisions the Temporal CLI (dev server + Web UI). Order: TEMPORAL_CLI_PATH,
 * `temporal` on PATH, the versioned cache, a build from the Go module proxy, and last
 * the official release download (works only with internet access).
 */
export async function ensureTemporalCli(progress: Progress = () => {}): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new ProvisionError(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file.`);
    return fromEnv;
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;

  const dir = path.join(toolCacheDir(), `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const binary = path.join(dir, 'temporal');
  if (isExecutable(binary)) return binary;

  const started = Date.now();
  if (onPath('go')) {
    progress(`Building Temporal CLI v${TEMPORAL_CLI_VERSION} from the Go module proxy into ${dir} (first run only; a few minutes)…`);
    await buildInto(dir, (tmp) =>
      run('go', ['install', `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`], {
        env: { ...process.env, GOBIN: tmp, GOFLAGS: '-mod=mod' },
        progress,
        every: /^go: downloading/,
      }),
    );
  } else {
    progress(`No Go toolchain found; downloading the Temporal CLI v${TEMPORAL_CLI_VERSION} release…`);
    await buildInto(dir, async (tmp) => {
      const arch = os.arch() === 'arm64' ? 'arm64' : 'amd64';
      const url = `https://temporal.download/cli/archive/v${TEMPORAL_CLI_VERSION}?platform=${os.platform()}&arch=${arch}`;
      const res = await fetch(url).catch((err: Error) => {
        throw new ProvisionError(`Cannot download ${url} (${err.message}). Install Go >= 1.25 or put a 'temporal' binary on PATH.`);
      });
      if (!res.ok) throw new ProvisionError(`Download of ${url} failed with HTTP ${res.status}.`);
      const archive = path.join(tmp, 'cli.tar.gz');
      fs.writeFileSync(archive, Buffer.from(await res.arrayBuffer()));
      await run('tar', ['-xzf', archive, '-C', tmp, 'temporal'], { progress });
      fs.rmSync(archive);
    });
  }
  if (!isExecutable(binary)) throw new ProvisionError(`Temporal CLI build finished but ${binary} is missing.`);
  progress(`Temporal CLI ready in ${((Date.now() - started) / 1000).toFixed(0)} s: ${binary}`);
  return binary;
}

const TEST_SERVER_POM = (version: string) => `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.bga</groupId>
  <artifactId>temporal-test-server-fetch</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${version}</version>
    </dependency>
  </dependencies>
</project>
`;

/**
 * Finds or provisions the time-skipping test server: TEMPORAL_TEST_SERVER_PATH, or the
 * official Java test server from Maven Central behind a small launcher script.
 * Returns undefined when neither that nor Maven is available, so the SDK's own
 * download can be used on a machine with internet access.
 */
export async function ensureTestServer(progress: Progress = () => {}): Promise<string | undefined> {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new ProvisionError(`TEMPORAL_TEST_SERVER_PATH=${fromEnv} is not an executable file.`);
    return fromEnv;
  }
  const dir = path.join(toolCacheDir(), `temporal-test-server-${TEST_SERVER_VERSION}`);
  const launcher = path.join(dir, 'temporal-test-server');
  if (isExecutable(launcher)) return launcher;
  if (!onPath('mvn') || !onPath('java')) {
    progress('Maven/Java not found; the time-skipping test server will be downloaded by the Temporal SDK.');
    return undefined;
  }
  const started = Date.now();
  progress(`Fetching Temporal test server ${TEST_SERVER_VERSION} from Maven Central into ${dir}…`);
  await buildInto(dir, async (tmp) => {
    fs.writeFileSync(path.join(tmp, 'pom.xml'), TEST_SERVER_POM(TEST_SERVER_VERSION));
    await run('mvn', ['-B', '-q', 'dependency:copy-dependencies', '-DoutputDirectory=lib', '-DincludeScope=runtime'], {
      cwd: tmp,
      progress,
    });
    // The SDK calls the launcher as `<launcher> <port> --enable-time-skipping`.
    const script = `#!/bin/sh\nexec java -cp "$(dirname "$0")/lib/*" io.temporal.testserver.TestServer "$@"\n`;
    fs.writeFileSync(path.join(tmp, 'temporal-test-server'), script, { mode: 0o755 });
  });
  progress(`Temporal test server ready in ${((Date.now() - started) / 1000).toFixed(0)} s: ${launcher}`);
  return launcher;
}
