import { z } from 'zod';
import { PRODUCT_TYPES } from '../domain/catalogue';
import { isoDate } from '../domain/application';

/*
 * Field schemas shared by the templates. Values end up in subject lines, so every text
 * is one line: a control or line-break character could split a header or garble the
 * plain-text part. Markup characters are allowed on purpose; the layout escapes them.
 */

export const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u001F\u007F\u2028\u2029]/.test(s), 'must be one line without control characters');

export { isoDate };

export const phone = line(20).regex(/^\+?[0-9 ().-]{7,20}$/, 'must be a phone number such as 555-201-3344');

export const npn = z.string().trim().regex(/^\d{4,10}$/, 'must be a National Producer Number of 4-10 digits');

export const wholeDollars = z.number({ message: 'must be a number of dollars' }).int('must be whole dollars').positive('must be positive');

export const positiveCount = z.number().int('must be a whole number').min(1, 'must be at least 1');

export const days = z.number().int('must be whole days').min(0, 'must not be negative');

/** Identifies the case in every email; the insured appears by display name only, never SSN or date of birth. */
export const caseFields = {
  bgaName: line(120),
  caseReference: line(80),
  carrierName: line(120),
  applicationNumber: line(30),
  // First, middle and last name of up to 80 characters each, as the application allows.
  insuredName: line(250),
};

/** Case fields plus the product type, which broker-facing subjects name. */
export const productCaseFields = {
  ...caseFields,
  productType: z.enum(PRODUCT_TYPES, { message: `must be one of ${PRODUCT_TYPES.join(', ')}` }),
};

/** Something still owed on the case, with what the broker should do about it when known. */
export const OutstandingItemSchema = z.object({
  description: line(200),
  action: line(300).optional(),
});
