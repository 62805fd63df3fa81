import type { Client, Connection } from '@temporalio/client';
import { type AppConfig, loadConfig } from '../../platform/config';
import { createDb, type Db } from '../../platform/db';
import { connectClient } from '../connection';
import { DatabaseUnreachableError, UsageError } from './errors';

/**
 * What one CLI command runs against. Temporal and PostgreSQL are opened on first use, so a
 * command that needs only one of them works while the other is down or not configured.
 */
export class Session {
  private temporal?: { client: Client; connection: Connection };
  private database?: Db;

  private constructor(readonly config: AppConfig) {}

  /** `DATABASE_URL= bga status …` means "no database" in a shell, so empty variables count as unset. */
  static open(): Session {
    return new Session(loadConfig(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ''))));
  }

  async client(): Promise<Client> {
    this.temporal ??= await connectClient(this.config);
    return this.temporal.client;
  }

  get hasDatabase(): boolean {
    return this.config.databaseUrl !== undefined;
  }

  /** The database, checked with a round trip so an unreachable server is told apart from a failing query. */
  async db(): Promise<Db> {
    if (this.database) return this.database;
    const url = this.config.databaseUrl;
    if (!url) {
      throw new UsageError("DATABASE_URL is not set; this command reads or writes PostgreSQL. Set it to the URL of the pipeline's database.");
    }
    const db = createDb(url, 2);
    try {
      await db.$queryRaw`SELECT 1`;
    } catch (err) {
      await db.$disconnect().catch(() => undefined);
      const { host, pathname } = new URL(url);
      throw new DatabaseUnreachableError(
        `Cannot reach PostgreSQL at ${host}${pathname} (${reason(err)}). ` +
          'Start the local stack with `npm start` in another terminal, or check DATABASE_URL.',
      );
    }
    this.database = db;
    return db;
  }

  uiLink(caseId: string): string {
    const { uiUrl, namespace } = this.config.temporal;
    return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(caseId)}`;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.temporal?.connection.close(), this.database?.$disconnect()]);
  }
}

/** Prisma wraps driver errors in a multi-line message; its last line is the one a person needs. */
function reason(err: unknown): string {
  const lines = (err instanceof Error ? err.message : String(err)).split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1)?.replace(/^.*Message: `(.*)`$/, '$1') ?? 'unknown error';
}

/** Runs a command body with a session that is closed however the body ends. */
export async function inSession<T>(body: (session: Session) => Promise<T>): Promise<T> {
  const session = Session.open();
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}
