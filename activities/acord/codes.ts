import type { ProductType, RequirementCode, UsState } from '../../domain/catalogue';
import type { RequirementStatus } from '../../domain/case';

/*
 * ACORD Life (OLifE) type codes used by the TXLife 103 builder. Each coded element goes out
 * as tc plus its text, so a carrier that maps by text can still read a value we could not
 * pin to a number.
 *
 * Sources, checked in public code:
 * - xsd-generated enums of the ACORD Life schema (OLI_LU_REL, _POLPROD, _GENDER, _SMOKERSTAT,
 *   _GOVTIDTC, _HOLDTYPE, _PARTY, _OBJECTTYPE, _ORGFORM, _ADTYPE, _PHONETYPE);
 * - a vendor's production 103 mapping (XSL, ACORD 2.23) for OLI_LU_STATE, the Base coverage
 *   indicator, the Primary Insured participant role and the TIN for trusts;
 * - a carrier's 103 client (Holding/Party object types 4/6, OLI_NATION_USA 1).
 */

export interface Tc {
  tc: number;
  text: string;
}

/** "Other" in every OLI_LU table: the standard way to send a value with no agreed number. */
export const OLI_OTHER = 2147483647;

export const ACORD_VERSION = '2.23.00';
export const ACORD_NAMESPACE = 'http://ACORD.org/Standards/Life/2';

export const TRANS_NEW_BUSINESS: Tc = { tc: 103, text: 'New Business Submission' };
export const HOLDING_POLICY: Tc = { tc: 2, text: 'Policy' };
export const COVERAGE_BASE: Tc = { tc: 1, text: 'Base' };
export const PARTICIPANT_PRIMARY_INSURED: Tc = { tc: 1, text: 'Primary Insured' };
export const NATION_USA: Tc = { tc: 1, text: 'United States of America' };

export const PRODUCT_TYPE: Record<ProductType, Tc> = {
  WL: { tc: 1, text: 'Whole Life' },
  TERM: { tc: 2, text: 'Term' },
  UL: { tc: 3, text: 'Universal Life' },
  IUL: { tc: 5, text: 'Indexed Universal Life' },
};

export const GENDER: Record<'M' | 'F', Tc> = {
  M: { tc: 1, text: 'Male' },
  F: { tc: 2, text: 'Female' },
};

/*
 * The application asks only "uses tobacco?": a no is sent as Never, as nbA does when only a
 * tobacco indicator is known; Risk/TobaccoInd carries the answer as given.
 */
export const SMOKER_STAT = {
  never: { tc: 1, text: 'Never used tobacco in any form' },
  current: { tc: 3, text: 'Current tobacco user' },
} as const satisfies Record<string, Tc>;

export const BOOLEAN = {
  false: { tc: 0, text: 'False' },
  true: { tc: 1, text: 'True' },
} as const satisfies Record<string, Tc>;

export const GOVT_ID = {
  ssn: { tc: 1, text: 'Social Security Number US' },
  tin: { tc: 2, text: 'Taxpayer Identification Number' },
} as const satisfies Record<string, Tc>;

export const PARTY_TYPE = {
  person: { tc: 1, text: 'Person' },
  organization: { tc: 2, text: 'Organization' },
} as const satisfies Record<string, Tc>;

export const ORG_FORM_TRUST: Tc = { tc: 16, text: 'Trust' };

export const ADDRESS_TYPE = {
  residence: { tc: 1, text: 'Residence' },
  business: { tc: 2, text: 'Business' },
} as const satisfies Record<string, Tc>;

export const PHONE_TYPE = {
  home: { tc: 1, text: 'Home' },
  business: { tc: 2, text: 'Business' },
  businessFax: { tc: 4, text: 'Business Fax' },
} as const satisfies Record<string, Tc>;

/*
 * Personal = 2 is from a production mapping; Business = 1 is inferred from that gap and the
 * nbA constant OLI_EMAIL_BUSINESS, not read as a number anywhere.
 */
export const EMAIL_TYPE = {
  business: { tc: 1, text: 'Business' },
  personal: { tc: 2, text: 'Personal' },
} as const satisfies Record<string, Tc>;

export const OBJECT_TYPE = {
  holding: { tc: 4, text: 'Holding' },
  party: { tc: 6, text: 'Party' },
} as const satisfies Record<string, Tc>;

/*
 * OLI_LU_REL. No Carrier (87) relation: the ACORD remark on 87 calls it a Party-to-Party role
 * (carrier to its holding company) and says the underwriting carrier of a policy goes in
 * Policy/@CarrierPartyID instead. Physician (41) is Party-to-Party, its reciprocal being
 * Patient, so it relates the insured to each treating physician.
 */
export const RELATION_ROLE = {
  owner: { tc: 8, text: 'Owner' },
  payer: { tc: 31, text: 'Payer' },
  insured: { tc: 32, text: 'Insured' },
  primaryWritingAgent: { tc: 37, text: 'Primary Writing Agent' },
  physician: { tc: 41, text: 'Physician' },
  writingAgency: { tc: 182, text: 'Writing Agency' },
} as const satisfies Record<string, Tc>;

const STATE_NAMES: Record<UsState, [number, string]> = {
  AL: [1, 'Alabama'], AK: [2, 'Alaska'], AZ: [4, 'Arizona'], AR: [5, 'Arkansas'], CA: [6, 'California'],
  CO: [7, 'Colorado'], CT: [8, 'Connecticut'], DE: [9, 'Delaware'], DC: [10, 'District of Columbia'],
  FL: [12, 'Florida'], GA: [13, 'Georgia'], HI: [15, 'Hawaii'], ID: [16, 'Idaho'], IL: [17, 'Illinois'],
  IN: [18, 'Indiana'], IA: [19, 'Iowa'], KS: [20, 'Kansas'], KY: [21, 'Kentucky'], LA: [22, 'Louisiana'],
  ME: [23, 'Maine'], MD: [25, 'Maryland'], MA: [26, 'Massachusetts'], MI: [27, 'Michigan'], MN: [28, 'Minnesota'],
  MS: [29, 'Mississippi'], MO: [30, 'Missouri'], MT: [31, 'Montana'], NE: [32, 'Nebraska'], NV: [33, 'Nevada'],
  NH: [34, 'New Hampshire'], NJ: [35, 'New Jersey'], NM: [36, 'New Mexico'], NY: [37, 'New York'],
  NC: [38, 'North Carolina'], ND: [39, 'North Dakota'], OH: [41, 'Ohio'], OK: [42, 'Oklahoma'], OR: [43, 'Oregon'],
  PA: [45, 'Pennsylvania'], RI: [47, 'Rhode Island'], SC: [48, 'South Carolina'], SD: [49, 'South Dakota'],
  TN: [50, 'Tennessee'], TX: [51, 'Texas'], UT: [52, 'Utah'], VT: [53, 'Vermont'], VA: [55, 'Virginia'],
  WA: [56, 'Washington'], WV: [57, 'West Virginia'], WI: [58, 'Wisconsin'], WY: [59, 'Wyoming'],
};

export function stateTc(state: UsState): Tc {
  const [tc, text] = STATE_NAMES[state];
  return { tc, text };
}

/*
 * OLI_LU_REQCODE numbers could not be confirmed against the code list. The two below each
 * come from one trading partner's production sample (an APS vendor's 121 order, a 103
 * mapping); every other requirement goes as OLI_OTHER with its description until the
 * carrier's implementation guide gives the number.
 */
export const REQ_CODE_TC_SEEN_IN_SAMPLES: Partial<Record<RequirementCode, number>> = {
  PHYSSTMT: 11,
  TELEINTERVIEW: 137,
};

/*
 * OLI_LU_REQSTAT: the constant names (OUTSTANDING, ORDER, RECEIVED, WAIVED, CANCELLED...) are
 * confirmed in nbA source but their numbers are not, so statuses go as OLI_OTHER with the
 * ACORD wording below.
 */
export const REQ_STATUS_TEXT_UNCONFIRMED_TC: Record<RequirementStatus, string> = {
  OUTSTANDING: 'Outstanding',
  ORDERED: 'Order',
  SCHEDULED: 'Order',
  RECEIVED: 'Received',
  REVIEWED: 'Reviewed by underwriter',
  WAIVED: 'Waived',
  CANCELLED: 'Cancelled',
};
