import fs from 'node:fs';
import path from 'node:path';
import type { ApplicationInput } from '../../domain/application';
import { projectRoot } from '../../platform/paths';
import { EXAMPLES_DATED, shiftDates, utcDay } from './calendar';

export type ExampleName = 'summit-wl-clean' | 'harbor-iul-nigo';

/** The date each example's own dates were last moved to, so a test server ahead of the wall clock can move them again. */
const datedAs = new WeakMap<object, string>();

/**
 * A shipped example application, with a fresh application number so cases never collide, and
 * its dates (signing, birth, diagnoses) moved so that they stand to `asOf` as they stand to the
 * day the examples were written for: the application is as fresh, and the insured as old, on
 * any day the suite runs.
 */
export function exampleApplication(name: ExampleName, overrides: (app: ApplicationInput) => void = () => {}, asOf: string = utcDay()): ApplicationInput {
  const file = path.join(projectRoot, 'examples', 'applications', `${name}.json`);
  const app = shiftDates(JSON.parse(fs.readFileSync(file, 'utf8')) as ApplicationInput, EXAMPLES_DATED, asOf);
  app.applicationNumber = `${app.applicationNumber.slice(0, 2)}-${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
  overrides(app);
  datedAs.set(app, asOf);
  return app;
}

/** An example's dates moved on to `asOf`; anything else is returned as it is. */
export function redateExample<T>(app: T, asOf: string): T {
  const from = app && typeof app === 'object' ? datedAs.get(app) : undefined;
  if (!from || from === asOf) return app;
  const moved = shiftDates(app, from, asOf);
  datedAs.set(moved as object, asOf);
  return moved;
}
