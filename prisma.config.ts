import { defineConfig } from 'prisma/config';

// The Prisma CLI is used here only for `generate`; migrations run through the
// WebAssembly schema engine (prisma/migrate.ts), so no URL is needed at build time.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
