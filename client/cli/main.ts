import { CommanderError } from 'commander';
import { describeError, EXIT, exitCodeFor } from './errors';
import { buildProgram } from './program';

/** Runs `bga` and returns its exit code; every failure is reported on stderr with the `bga: ` prefix. */
async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT.OK;
  } catch (err) {
    // Commander has already printed its own parse errors and help.
    if (!(err instanceof CommanderError)) {
      const [first, ...rest] = describeError(err);
      process.stderr.write([`bga: ${first}`, ...rest.map((l) => `  ${l}`)].join('\n') + '\n');
    }
    return exitCodeFor(err);
  }
}

// A reader that stops early (`bga … | head`) closes the pipe; the rest of the output has nowhere to go, and that is no error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(EXIT.OK);
});

void run(process.argv).then((code) => {
  process.exitCode = code;
  // Connections are closed by now; this only stops a straggling handle from holding the shell.
  setTimeout(() => process.exit(code), 2_000).unref();
});
