import type { Db } from '../platform/db';
import type { Mailer } from '../platform/mailer';
import type { LicenseLookup } from './license-lookup/types';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  /** The From header of every email, e.g. `BGA New Business <newbusiness@bga.example>`. */
  mailFrom: string;
  /** HTTPS delivery for vendors and carriers configured with an `https` channel. */
  fetch: typeof fetch;
  /** Where the licensing check reads the broker's licence; the licences recorded in PostgreSQL when absent. */
  licenseLookup?: LicenseLookup;
}
