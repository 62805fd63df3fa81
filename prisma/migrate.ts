/*
 * Migrations through Prisma's own schema engine, compiled to WebAssembly, because the
 * native engine cannot be downloaded on every machine. The result is the same
 * `prisma/migrations/<name>/migration.sql` layout and `_prisma_migrations` table that
 * `prisma migrate deploy` reads and writes, so either tool can take over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm' with { 'resolution-mode': 'import' };
import { importEsm } from '../platform/esm';
import { Pool } from 'pg';

const prismaDir = __dirname;
const migrationsDir = path.join(prismaDir, 'migrations');
const schemaPath = path.join(prismaDir, 'schema.prisma');
const noFilters = { externalTables: [], externalEnums: [] };

type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg', { with: { 'resolution-mode': 'import' } });

// The project's lib setting has no DOM, so WebAssembly's few members used here are typed by hand.
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: WasmApi };

let engineModule: Promise<EngineModule> | undefined;

function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const pkgDir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const glue = await importEsm<EngineModule & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    }>(path.join(pkgDir, 'schema_engine_bg.js'));
    const { instance } = await wasm.instantiate(fs.readFileSync(path.join(pkgDir, 'schema_engine_bg.wasm')), {
      './schema_engine_bg.js': glue,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return engineModule;
}

async function withEngine<T>(databaseUrl: string, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const mod = await loadEngineModule();
  // The engine's advisory lock lives on a pooled connection; ending the pool releases it
  // now rather than when the idle connection times out.
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  const engine = await mod.SchemaEngine.new(
    { datamodels: [[schemaPath, fs.readFileSync(schemaPath, 'utf8')]] },
    () => {},
    adapter,
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await pool.end();
  }
}

function listMigrations(): MigrationList {
  const dirs = fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  } as MigrationList;
}

/** Applies every pending migration; returns the names applied (empty when up to date). */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  return withEngine(databaseUrl, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList: listMigrations(), filters: noFilters });
    return out.appliedMigrationNames;
  });
}

/**
 * The schema as the migrations leave it. The WebAssembly engine cannot introspect a
 * live database through the driver adapter (it fails on PostgreSQL's internal "char"
 * columns), so new migrations are diffed from this snapshot instead of a shadow database.
 */
const snapshotPath = path.join(migrationsDir, 'schema.snapshot.prisma');

/** SQL that takes a database from the last migration to schema.prisma ('' when they agree). */
export async function pendingSchemaChange(databaseUrl: string): Promise<string> {
  return withEngine(databaseUrl, async (engine) => {
    const file = (p: string) => ({ path: p, content: fs.readFileSync(p, 'utf8') });
    const diff = await engine.diff({
      from: fs.existsSync(snapshotPath) ? { tag: 'schemaDatamodel', files: [file(snapshotPath)] } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [file(schemaPath)] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const script = diff.stdout ?? '';
    return script.replace(/^--.*$/gm, '').trim() ? script : '';
  });
}

/**
 * Writes `prisma/migrations/<timestamp>_<name>/migration.sql` for the change since the
 * last migration, and moves the snapshot forward. The engine wants a live connection
 * even for a pure diff; nothing is written to that database. Returns the new folder, or undefined
 * when schema.prisma has not changed.
 */
export async function createMigration(databaseUrl: string, name: string): Promise<string | undefined> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Migration name "${name}" must use lower-case letters, digits and _ only.`);
  const script = await pendingSchemaChange(databaseUrl);
  if (!script) return undefined;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'migration.sql'), script);
  fs.copyFileSync(schemaPath, snapshotPath);
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  if (!fs.existsSync(lockPath)) {
    fs.writeFileSync(lockPath, '# Managed by the schema engine; keep under version control.\nprovider = "postgresql"\n');
  }
  return dir;
}
