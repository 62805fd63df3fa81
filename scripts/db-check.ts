/* `npm run db:check`: fails when schema.prisma has changes that no migration carries. */
import { pendingSchemaChange } from '../prisma/migrate';
import { withDatabase } from './with-database';

withDatabase(pendingSchemaChange)
  .then((sql) => {
    if (!sql) return console.log('Migrations match schema.prisma.');
    console.error(`schema.prisma has changes without a migration. Run \`npm run db:migration -- <name>\`. Pending SQL:\n${sql}`);
    process.exit(1);
  })
  .catch((err: Error) => {
    console.error(`Could not check migrations: ${err.message}`);
    process.exit(1);
  });
