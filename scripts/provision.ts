/* Idempotent: provisions the Temporal CLI and the time-skipping test server into the tool cache. */
import { ensureTemporalCli, ensureTestServer } from '../platform/toolchain';

async function main(): Promise<void> {
  const say = (line: string) => console.log(`[provision] ${line}`);
  const cli = await ensureTemporalCli(say);
  say(`temporal CLI: ${cli}`);
  const testServer = await ensureTestServer(say);
  say(`time-skipping test server: ${testServer ?? 'SDK download (no Maven/Java here)'}`);
}

main().catch((err: Error) => {
  console.error(`[provision] failed: ${err.message}`);
  process.exit(1);
});
