import type { Db } from '../../platform/db';
import type { LicenseLookup } from './types';

/** The licences recorded in PostgreSQL with `bga broker license` (and by `bga appointment … --license-state`). */
export function recordsLicenseLookup(db: Db): LicenseLookup {
  return {
    async lookup(npn, state) {
      const row = await db.brokerLicense.findFirst({ where: { state, broker: { npn } } });
      if (!row) return undefined;
      return {
        state: row.state,
        licenseNumber: row.licenseNumber,
        active: row.active,
        expiresOn: row.expiresOn.toISOString().slice(0, 10),
        source: 'records',
      };
    },
  };
}
