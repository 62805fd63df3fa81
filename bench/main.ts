import { Pool } from 'pg';
import { connectClient } from '../client/connection';
import { seedBroker } from './applications';
import { runCeiling } from './ceiling';
import { runIntake } from './intake';
import { parseOptions } from './options';
import { startStack } from './stack';
import { benchConfig, startPipelineWorker } from './workers';
import { say } from './util';

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const stack = await startStack();
  const endpoints = { temporalAddress: stack.temporalAddress, databaseUrl: stack.databaseUrl, smtpUrl: stack.smtp.url };
  await seedBroker(stack.databaseUrl);
  const worker = await startPipelineWorker(endpoints, 'bench-pipeline');
  const { client, connection } = await connectClient(benchConfig(endpoints, 'bench-pipeline').config);
  const pg = new Pool({ connectionString: stack.databaseUrl, max: 3 });
  const ctx = { client, pg, smtp: stack.smtp };
  const intake = await runIntake(ctx, 'intake', 'bench-pipeline', opts.apps, {});
  const { caseIds, ...rest } = intake;
  console.log(JSON.stringify(rest, null, 2), caseIds.length);
  const ceiling = await runCeiling(ctx, endpoints, intake);
  console.log(JSON.stringify(ceiling, null, 2));
  await pg.end();
  await connection.close();
  await worker.stop();
  await stack.stop();
  say('done');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
