import type { Db } from '../platform/db';
import type { DocumentStore } from '../platform/document-store';
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
  /** Where received documents are kept, encrypted; emails that attach one read it from here. */
  documents?: DocumentStore;
  /** The largest document accepted, in bytes (BGA_DOCUMENT_MAX_MB); 25 MB when absent. */
  maxDocumentBytes?: number;
}
