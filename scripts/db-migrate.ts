/* `npm run db:migrate`: applies pending migrations (what `npm start` does first). */
import { applyMigrations } from '../prisma/migrate';
import { withDatabase } from './with-database';

withDatabase(applyMigrations)
  .then((applied) => console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database schema is up to date.'))
  .catch((err: Error) => {
    console.error(`Migration failed: ${err.message}`);
    process.exit(1);
  });
