/*
 * The requirement and form catalogue of US life new business (ACORD-style codes).
 * Pure data: safe in the workflow bundle.
 */

/** Who has to act for a requirement to be fulfilled; decides who gets chased. */
export type FulfillerKind = 'CARRIER' | 'EXAM_VENDOR' | 'APS_VENDOR' | 'INSPECTION_VENDOR' | 'BROKER';

export interface CatalogueEntry {
  description: string;
  fulfiller: FulfillerKind;
  /** What the broker must get the client to do, told in the exam-instructions email. */
  clientAction?: string;
}

export const REQUIREMENT_CODES = [
  'MIBCHECK',
  'MVRPT',
  'RXHIST',
  'PARAMED',
  'BLOOD',
  'URINE',
  'EKGREST',
  'TELEINTERVIEW',
  'COGSCREEN',
  'PHYSSTMT',
  'INSPRPT',
  'FINSUPP',
  'HIPAA',
  'HIVCONSENT',
  'REPLACEMENT',
  'SIGNILLUS',
  'AGENTRPT',
  'EFT',
  'EXCH1035',
  'POLDELRECEIPT',
  'AMENDMENT',
  'FIRSTPREMIUM',
  'OTHER',
] as const;

export type RequirementCode = (typeof REQUIREMENT_CODES)[number];

export const CATALOGUE: Record<RequirementCode, CatalogueEntry> = {
  MIBCHECK: { description: 'Medical Information Bureau check', fulfiller: 'CARRIER' },
  MVRPT: { description: 'Motor vehicle report', fulfiller: 'CARRIER' },
  RXHIST: { description: 'Prescription history check', fulfiller: 'CARRIER' },
  PARAMED: {
    description: 'Paramedical exam (height, weight, blood pressure, pulse)',
    fulfiller: 'EXAM_VENDOR',
    clientAction: 'Schedule the paramedical exam with the examiner who will call; allow about 30 minutes at home or at work.',
  },
  BLOOD: {
    description: 'Blood chemistry profile',
    fulfiller: 'EXAM_VENDOR',
    clientAction: 'Fast for 8 hours before the exam (water is fine) for the blood draw.',
  },
  URINE: { description: 'Urinalysis', fulfiller: 'EXAM_VENDOR', clientAction: 'Give a urine specimen at the exam.' },
  EKGREST: { description: 'Resting ECG', fulfiller: 'EXAM_VENDOR', clientAction: 'A resting ECG is taken at the exam; avoid caffeine beforehand.' },
  TELEINTERVIEW: {
    description: 'Telephone interview (Part II)',
    fulfiller: 'CARRIER',
    clientAction: 'Take the carrier’s telephone interview; have physicians’ names and medications at hand.',
  },
  COGSCREEN: { description: 'Cognitive screen (ages 70+)', fulfiller: 'EXAM_VENDOR', clientAction: 'Complete a short cognitive screen with the examiner.' },
  PHYSSTMT: { description: 'Attending physician statement', fulfiller: 'APS_VENDOR' },
  INSPRPT: { description: 'Inspection report', fulfiller: 'INSPECTION_VENDOR', clientAction: 'Expect a short call from the inspection company.' },
  FINSUPP: { description: 'Financial supplement', fulfiller: 'BROKER' },
  HIPAA: { description: 'HIPAA authorization, signed', fulfiller: 'BROKER' },
  HIVCONSENT: { description: 'HIV consent form, signed', fulfiller: 'BROKER' },
  REPLACEMENT: { description: 'Replacement notice, signed', fulfiller: 'BROKER' },
  SIGNILLUS: { description: 'Signed illustration', fulfiller: 'BROKER' },
  AGENTRPT: { description: 'Agent’s report', fulfiller: 'BROKER' },
  EFT: { description: 'Bank draft (EFT) authorization', fulfiller: 'BROKER' },
  EXCH1035: { description: '1035 exchange form', fulfiller: 'BROKER' },
  POLDELRECEIPT: { description: 'Policy delivery receipt, signed', fulfiller: 'BROKER' },
  AMENDMENT: { description: 'Amendment signed at delivery', fulfiller: 'BROKER' },
  FIRSTPREMIUM: { description: 'First premium', fulfiller: 'BROKER' },
  OTHER: { description: 'Other requirement', fulfiller: 'BROKER' },
};

/** Forms that travel inside the application package, each with signature flags. */
export const FORM_CODES = ['APPLICATION', 'HIPAA', 'HIVCONSENT', 'REPLACEMENT', 'SIGNILLUS', 'AGENTRPT', 'FINSUPP', 'EFT', 'EXCH1035'] as const;
export type FormCode = (typeof FORM_CODES)[number];

export const FORM_NAMES: Record<FormCode, string> = {
  APPLICATION: 'Application (Part I)',
  HIPAA: 'HIPAA authorization',
  HIVCONSENT: 'HIV consent',
  REPLACEMENT: 'Replacement notice',
  SIGNILLUS: 'Signed illustration',
  AGENTRPT: 'Agent’s report',
  FINSUPP: 'Financial supplement',
  EFT: 'Bank draft (EFT) authorization',
  EXCH1035: '1035 exchange form',
};

export const PRODUCT_TYPES = ['TERM', 'UL', 'IUL', 'WL'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

export const US_STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME',
  'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI',
  'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
] as const;
export type UsState = (typeof US_STATES)[number];
