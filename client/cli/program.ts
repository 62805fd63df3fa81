import { Command } from 'commander';
import { registerBrokerCommands } from './broker';
import { registerCaseActionCommands } from './case-actions';
import { registerContractingCommands } from './contracting';
import { registerDocumentCommands } from './document';
import { registerEmailCommands } from './email';
import { registerListCommand } from './list';
import { registerMailCommands } from './mail';
import { registerCheckReplayCommand } from './check-replay';
import { registerReportCommands } from './report';
import { registerRequirementCommands } from './requirement';
import { registerStatusCommand } from './status';
import { registerSubmitCommands } from './submit';

/** The `bga` command tree. Settings made here before adding commands are inherited by every subcommand. */
export function buildProgram(): Command {
  const program = new Command('bga')
    .description('Case managers\' tool for the new-business pipeline: submit applications, follow cases, record what happens.')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ outputError: (text, write) => write(`bga: ${text.replace(/^error: /, '')}`) });

  registerSubmitCommands(program);
  registerStatusCommand(program);
  registerListCommand(program);
  registerRequirementCommands(program);
  registerCaseActionCommands(program);
  registerDocumentCommands(program);
  registerBrokerCommands(program);
  registerContractingCommands(program);
  registerReportCommands(program);
  registerEmailCommands(program);
  registerMailCommands(program);
  registerCheckReplayCommand(program);

  program.addHelpText(
    'after',
    `
Environment:
  TEMPORAL_ADDRESS      Temporal server (default localhost:7233, the one \`npm start\` runs)
  TEMPORAL_NAMESPACE    namespace (default "default")
  TEMPORAL_TASK_QUEUE   task queue new cases start on (default bga-new-business)
  DATABASE_URL          PostgreSQL, for emails in \`status\` and the broker commands
  BGA_API_URL           HTTP API that answers \`status\` (default: the local \`npm start\`'s, if running)
  BGA_API_KEY           its API key, a read or ops key; needed with BGA_API_URL
  BGA_ACTOR             who you are in case histories (default $USER@cli)

Exit codes:
  0 ok, 1 unexpected error, 2 invalid input or refused action, 3 already submitted,
  4 case or broker not found, 5 Temporal or PostgreSQL unreachable, 64 usage error

Examples:
  $ bga submit examples/applications/summit-wl-clean.json
  $ bga list --outstanding PHYSSTMT --older-than 21
  $ bga status case-summit-sm-2026-10431
  $ bga requirement receive case-summit-sm-2026-10431 HIPAA --as "jordan@bga"
`,
  );
  return program;
}
