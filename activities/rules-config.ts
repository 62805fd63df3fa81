import { promises as fs } from 'node:fs';
import path from 'node:path';
import { RulesConfigSchema, type RulesConfig } from '../domain/carrier-config';
import { projectRoot } from '../platform/paths';

/*
 * Loads the carrier rules file. Operations edit it while the worker runs, so it is
 * re-read whenever its modification time changes; otherwise the parsed copy is reused.
 */

const cache = new Map<string, { mtimeMs: number; config: RulesConfig }>();

export function rulesConfigPath(): string {
  return path.resolve(process.env.BGA_RULES_FILE ?? path.join(projectRoot, 'config', 'rules.json'));
}

/** `carriers[0].products[1].grid`: the spelling someone editing the JSON file searches for. */
function jsonPath(issuePath: readonly PropertyKey[]): string {
  if (issuePath.length === 0) return '(root)';
  return issuePath.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

/** The parsed rules; shared between callers, so never mutate the result. */
export async function loadRulesConfig(file: string = rulesConfigPath()): Promise<RulesConfig> {
  const key = path.resolve(file);
  let text: string;
  let mtimeMs: number;
  try {
    ({ mtimeMs } = await fs.stat(file));
    const hit = cache.get(key);
    if (hit?.mtimeMs === mtimeMs) return hit.config;
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read the rules configuration ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`The rules configuration ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = RulesConfigSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${jsonPath(i.path)}: ${i.message}`);
    throw new Error(`Invalid rules configuration in ${file} (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
  }
  cache.set(key, { mtimeMs, config: parsed.data });
  return parsed.data;
}
