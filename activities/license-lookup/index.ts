import type { Db } from '../../platform/db';
import type { LicenseLookupSettings } from '../../platform/config';
import { niprLicenseLookup } from './nipr';
import { recordsLicenseLookup } from './records';
import type { LicenseLookup } from './types';

export type { LicenseLookup, LicenseRecord, LicenseSource, LineOfAuthority } from './types';
export { recordsLicenseLookup } from './records';
export { niprLicenseLookup, NiprResponseError, parseEntityInfoReport, type NiprPdbSettings } from './nipr';

/** The licence source BGA_LICENSE_LOOKUP chose: the recorded licences (default) or NIPR's PDB. */
export function createLicenseLookup(settings: LicenseLookupSettings, deps: { db: Db; fetch: typeof fetch }): LicenseLookup {
  if (settings.kind === 'nipr') return niprLicenseLookup(settings, deps.fetch);
  return recordsLicenseLookup(deps.db);
}
