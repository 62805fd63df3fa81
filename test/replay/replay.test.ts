import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { projectRoot } from '../../platform/paths';
import { testDataConverter } from '../helpers/keys';

/*
 * Recorded histories of every scenario, replayed against the current workflow code. A change
 * that would make running cases non-deterministic fails here; guard it with patched().
 * Re-record after an intended, patched change: BGA_RECORD_HISTORIES=1 npx jest test/workflow
 */
const dir = path.join(projectRoot, 'test', 'fixtures', 'histories');
const fixtures = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

test('there are recorded histories to replay', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(7);
});

test.each(fixtures)('%s replays against the current workflow code', async (file) => {
  // fromObject, not the SDK's JSON loader: jest's module sandbox breaks protobufjs's reflection.
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  const workflowBundle = { code: fs.readFileSync(process.env.BGA_TEST_WORKFLOW_BUNDLE!, 'utf8') };
  await Worker.runReplayHistory({ workflowBundle, dataConverter: testDataConverter }, history, file);
});
