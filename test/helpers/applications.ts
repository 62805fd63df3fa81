import fs from 'node:fs';
import path from 'node:path';
import type { ApplicationInput } from '../../domain/application';
import { projectRoot } from '../../platform/paths';

export type ExampleName = 'summit-wl-clean' | 'harbor-iul-nigo';

/** A shipped example application, with a fresh application number so cases never collide. */
export function exampleApplication(name: ExampleName, overrides: (app: ApplicationInput) => void = () => {}): ApplicationInput {
  const file = path.join(projectRoot, 'examples', 'applications', `${name}.json`);
  const app = JSON.parse(fs.readFileSync(file, 'utf8')) as ApplicationInput;
  app.applicationNumber = `${app.applicationNumber.slice(0, 2)}-${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
  overrides(app);
  return app;
}
