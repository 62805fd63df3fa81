import { CATALOGUE, type FulfillerKind, type RequirementCode } from './catalogue';
import type { CaseRules, PlannedRequirement, RequirementPhase, RequirementSource } from './evaluation';

/*
 * How a requirement is planned for a case, whoever asks for it: the rules at intake, the
 * delivery list, or a person adding one later. One place, so an added requirement is ordered
 * from the same vendor, with the same client instructions, as a planned one.
 */

/** The carrier's vendor role for each kind of requirement a vendor fulfils. */
const VENDOR_ROLE: Partial<Record<FulfillerKind, keyof CaseRules['vendorByKind']>> = {
  EXAM_VENDOR: 'exam',
  APS_VENDOR: 'aps',
  INSPECTION_VENDOR: 'inspection',
};

/** The vendor that fulfils a requirement of this kind for the carrier; undefined for the carrier's and the broker's own. */
export function vendorCodeFor(fulfiller: FulfillerKind, vendorByKind: CaseRules['vendorByKind']): string | undefined {
  const role = VENDOR_ROLE[fulfiller];
  return role ? vendorByKind[role] : undefined;
}

/** The catalogue's requirement as this carrier fulfils it, keyed by its code. */
export function planRequirement(code: RequirementCode, source: RequirementSource, phase: RequirementPhase, vendorByKind: CaseRules['vendorByKind']): PlannedRequirement {
  const { description, fulfiller, clientAction } = CATALOGUE[code];
  const vendorCode = vendorCodeFor(fulfiller, vendorByKind);
  return {
    key: code,
    code,
    description,
    fulfiller,
    ...(vendorCode && { vendorCode }),
    source,
    phase,
    ...(clientAction && { clientAction }),
  };
}
