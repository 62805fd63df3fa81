import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from './errors';

/** Reads an application package from a .json, .yaml or .yml file; what it holds is checked later. */
export async function readApplicationFile(file: string): Promise<unknown> {
  const ext = path.extname(file).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(ext)) {
    throw new InputError(`${file}: must be a .json, .yaml or .yml file`);
  }
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return ext === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new InputError(`${file}: is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
}
