import { v5 as uuidv5 } from 'uuid';

/** The namespace this BGA's TransRefGUIDs are drawn in (a fixed, random UUID). */
const TRANS_REF_NAMESPACE = '8f0b6a52-3c1e-4f7d-9a2b-5d4e6c7f8a90';

/**
 * The TransRefGUID of a case's new-business submission, derived from the case ID: a retry, a
 * replay or a rewound case builds the same one, so the carrier and the once-per-key guards see
 * a second attempt as the first.
 */
export const transRefGuidFor = (caseId: string): string => uuidv5(`${caseId}:new-business-submission`, TRANS_REF_NAMESPACE);
