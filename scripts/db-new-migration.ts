/* `npm run db:migration -- <name>`: writes prisma/migrations/<stamp>_<name> for the changes in schema.prisma. */
import { createMigration } from '../prisma/migrate';
import { withDatabase } from './with-database';

const name = process.argv[2];
if (!name) {
  console.error('Usage: npm run db:migration -- <name>   (lower-case letters, digits and _; e.g. add_case_notes)');
  process.exit(64);
}
withDatabase((url) => createMigration(url, name))
  .then((dir) => console.log(dir ? `Created ${dir}. Review it, then commit it with schema.prisma.` : 'schema.prisma has no changes since the last migration.'))
  .catch((err: Error) => {
    console.error(`Could not create the migration: ${err.message}`);
    process.exit(1);
  });
