/*
 * The codec server on its own, for a production Web UI (or Temporal Cloud's namespace codec
 * setting): it decrypts payloads for people the UI lets in, so beyond loopback it requires
 * BGA_CODEC_TOKENS. The browser calls it from the UI's origin, TEMPORAL_UI_URL.
 */
import { ConfigError, loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { startCodecServer } from './codec-server';

async function main(): Promise<void> {
  const { env, encryption, temporal } = loadConfig();
  const logger = createLogger('codec', env.LOG_LEVEL, env.LOG_FORMAT);
  const tokens = env.BGA_CODEC_TOKENS?.split(',').map((t) => t.trim()).filter(Boolean) ?? [];
  let server: Awaited<ReturnType<typeof startCodecServer>>;
  try {
    server = await startCodecServer({ ring: encryption, allowedOrigins: [new URL(temporal.uiUrl).origin], tokens, host: env.BGA_CODEC_HOST, port: env.BGA_CODEC_PORT });
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  logger.info({ url: server.url, uiOrigin: new URL(temporal.uiUrl).origin, tokens: tokens.length, keyIds: [...encryption.keys.keys()] }, 'codec server listening');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void server.close().then(() => logger.info('codec server stopped')));
  }
}

main().catch((err: Error) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
