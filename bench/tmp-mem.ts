import { bundleWorkflowCode } from '@temporalio/worker';
import { startStack } from './stack';
import { startPipelineWorker } from './workers';
import { seedBroker } from './applications';
import { failureConverterPath } from '../platform/codec';
const r = (l: string) => console.log(l, Math.round(process.memoryUsage().rss / 1048576), 'MiB heap', Math.round(process.memoryUsage().heapUsed / 1048576));
async function main() {
  r('start');
  const stack = await startStack();
  r('stack');
  await seedBroker(stack.databaseUrl);
  r('seed');
  const w = await startPipelineWorker({ temporalAddress: stack.temporalAddress, databaseUrl: stack.databaseUrl, smtpUrl: stack.smtp.url }, 'q');
  r('worker');
  await new Promise((res) => setTimeout(res, 3000));
  r('worker+3s');
  await bundleWorkflowCode({ workflowsPath: require.resolve('./ceiling-workflow'), failureConverterPath });
  r('bundled');
  await new Promise((res) => setTimeout(res, 3000));
  r('bundled+3s');
  await w.stop(); await stack.stop();
  process.exit(0);
}
void main();
