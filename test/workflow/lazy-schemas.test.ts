import { execFileSync } from 'node:child_process';
import { projectRoot } from '../../platform/paths';

// Every workflow evaluates the workflow modules afresh; zod there costs about 1.4 MB and 18 ms
// per workflow, so it must load only when an action is first checked (and then once per worker,
// through the shared deciders: worker/bundle.ts).
test('loading the workflow modules does not load zod', () => {
  const script = `require('./workflows');
const loaded = Object.keys(require.cache);
console.log(JSON.stringify({ zod: loaded.filter((k) => k.includes('/node_modules/zod/')).length, workflows: loaded.some((k) => k.endsWith('workflows/application.ts')) }));`;
  const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { cwd: projectRoot, encoding: 'utf8' });
  expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ zod: 0, workflows: true });
});
