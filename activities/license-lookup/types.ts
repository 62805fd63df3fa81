/** Where a licence answer came from: the licences recorded with `bga broker license`, or NIPR's Producer Database. */
export type LicenseSource = 'records' | 'nipr';

/** A line of authority on a licence, as NIPR reports it (e.g. "Life", status "Active"). Only NIPR reports these. */
export interface LineOfAuthority {
  name: string;
  /** NIPR's status text for this line, as given; absent when the report carries none. */
  status?: string;
}

/** A producer's licence in one state. */
export interface LicenseRecord {
  /** Two-letter postal code, e.g. GA. */
  state: string;
  licenseNumber: string;
  /** What the source says; an active licence past `expiresOn` is still not good for business. */
  active: boolean;
  /** YYYY-MM-DD. */
  expiresOn: string;
  source: LicenseSource;
  linesOfAuthority?: LineOfAuthority[];
}

/**
 * Finds a producer's licence in a state. `undefined` means the source holds no licence for
 * that NPN in that state, including when it does not know the NPN at all. A source that cannot
 * answer throws, and is retried: a case held by the licensing check waits until the source
 * answers (a person fixes what the error names), it never fails.
 */
export interface LicenseLookup {
  lookup(npn: string, state: string): Promise<LicenseRecord | undefined>;
}
