import { EXIT } from './exit-codes';
import { answerStatusFromApi } from './status-api';

/**
 * Runs `bga` and returns its exit code. The full program and the error reporting are required
 * only when needed (esbuild bundles a require() as a module evaluated on that call): their
 * modules load commander, build zod schemas as they load, and reach Temporal's and Prisma's
 * clients, none of which a status answered by the API needs.
 */
async function run(argv: string[]): Promise<number> {
  try {
    if (!(await answerStatusFromApi(argv.slice(2)))) {
      const { buildProgram } = require('./program') as typeof import('./program');
      await buildProgram().parseAsync(argv);
    }
    return EXIT.OK;
  } catch (err) {
    return (require('./errors') as typeof import('./errors')).reportFailure(err);
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
