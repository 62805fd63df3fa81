import type { Command } from 'commander';
import { caseIdFor } from '../../domain/application';
import { InvalidApplicationError, submitApplication, validateApplication } from '../cases';
import { readApplicationFile } from './application-file';
import { examples, type JsonOption, withJson } from './options';
import { dollars, print, printJson } from './output';
import { inSession } from './session';

/** In JSON mode the field errors are data too: print them on stdout before the error ends the command. */
async function validated(raw: unknown, opts: JsonOption) {
  try {
    return await validateApplication(raw);
  } catch (err) {
    if (opts.json && err instanceof InvalidApplicationError) printJson({ valid: false, errors: err.errors });
    throw err;
  }
}

export function registerSubmitCommands(program: Command): void {
  const submit = withJson(
    program
      .command('submit')
      .description('validate an application package and start its case')
      .argument('<file>', 'application as .json, .yaml or .yml'),
  ).action(async (file: string, opts: JsonOption) => {
    const raw = await readApplicationFile(file);
    // Validated before connecting, so a bad file is reported even with no server running.
    await validated(raw, opts);
    await inSession(async (session) => {
      const { caseId, runId } = await submitApplication(await session.client(), session.config.temporal.taskQueue, raw);
      const url = session.uiLink(caseId);
      if (opts.json) printJson({ caseId, runId, url });
      else print(`Submitted case ${caseId}\nWeb UI: ${url}\nFollow it with \`bga status ${caseId}\`.`);
    });
  });
  examples(submit, [
    'bga submit examples/applications/summit-wl-clean.json',
    'bga submit incoming/okafor.yaml --json',
  ]).addHelpText('after', '\nExit codes: 2 when the file is not valid (each field error is listed), 3 when it was already submitted.');

  const validate = withJson(
    program
      .command('validate')
      .description('check an application package without starting anything')
      .argument('<file>', 'application as .json, .yaml or .yml'),
  ).action(async (file: string, opts: JsonOption) => {
    const app = await validated(await readApplicationFile(file), opts);
    const caseId = caseIdFor(app.carrier, app.applicationNumber);
    if (opts.json) printJson({ valid: true, caseId, application: app });
    else print(`Valid: application ${app.applicationNumber} for ${app.carrier} (${app.product.type}, ${dollars(app.product.faceAmount)}) would be case ${caseId}.`);
  });
  examples(validate, ['bga validate examples/applications/harbor-iul-nigo.json', 'bga validate incoming/okafor.yaml --json | jq .errors']);
}
