import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __bgaPostgres?: { stop(): Promise<void> } }).__bgaPostgres?.stop();
  const work = process.env.BGA_TEST_WORK_DIR;
  if (work) fs.rmSync(work, { recursive: true, force: true });
}
