/* `npm run build` writes dist/workflow-bundle.js; workers started with WORKFLOW_BUNDLE_PATH pointing at it skip bundling. */
import path from 'node:path';
import { projectRoot } from '../platform/paths';
import { writeWorkflowBundle } from '../worker/bundle';

const out = path.join(projectRoot, 'dist', 'workflow-bundle.js');
writeWorkflowBundle(out)
  .then(() => console.log(`Wrote ${out}`))
  .catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
