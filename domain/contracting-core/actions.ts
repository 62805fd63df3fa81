import { z } from 'zod';
import { ReceiveDocumentSchema, WithdrawSchema } from '../actions';
import { BrokerSchema, oneLine } from '../application';
import { PACKET_ITEMS } from '../carrier-config';
import { calendarDate, licenseState } from '../contracting';
import type { ContractingActionName } from './names';

/*
 * What people, the licence lookup and the carrier can tell a contracting request. Callers
 * check the input with these schemas before sending it; the core parses it again on arrival.
 * The rules that need the request or the carrier (the E&O minimum, dates against today)
 * are the core's, in decide.ts.
 */

// Who did it and why, by the rules of case actions, so both read alike in a trail.
const actor = WithdrawSchema.shape.actor;
const reason = WithdrawSchema.shape.reason;
/** The copy the broker sent, kept in the document store by its SHA-256; it goes to the carrier with the appointment request. */
const file = z
  .object({
    sha256: ReceiveDocumentSchema.shape.sha256,
    fileName: ReceiveDocumentSchema.shape.fileName,
    contentType: ReceiveDocumentSchema.shape.contentType,
    size: ReceiveDocumentSchema.shape.size,
  })
  .optional();
const licenseNumber = oneLine(30);
/** The NPN a certificate or licence copy names, when it names one: it must be the broker's own. */
const holderNpn = BrokerSchema.shape.npn.optional();
const packetItem = z.enum(PACKET_ITEMS, { message: `must be one of ${PACKET_ITEMS.join(', ')}` });

/** What a request starts from: the broker as recorded, and their resident state. */
export const OpenContractingSchema = z.object({
  actor,
  npn: BrokerSchema.shape.npn,
  brokerName: BrokerSchema.shape.name,
  brokerEmail: BrokerSchema.shape.email,
  residentState: licenseState,
});

export const JoinCaseSchema = z.object({
  actor,
  caseId: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^case-[a-z0-9_]+-[a-z0-9][a-z0-9-]*$/, 'must be a case reference such as case-summit-sm-100234'),
  /** The state the case's application was signed in, where the broker must be licensed. */
  state: licenseState,
});

/** One packet item from the broker, with what the core checks it by. */
export const ReceiveItemSchema = z.discriminatedUnion(
  'item',
  [
    z.object({ actor, item: z.literal('CARRIER_CONTRACT'), file }),
    z.object({ actor, item: z.literal('W9'), file }),
    z.object({
      actor,
      item: z.literal('EO_CERTIFICATE'),
      /** The insurer on the certificate, not the carrier being contracted. */
      carrier: oneLine(120),
      limit: z.number().int('must be whole dollars').min(1, 'must be at least 1 dollar'),
      expiresOn: calendarDate,
      holderNpn,
      file,
    }),
    z.object({ actor, item: z.literal('AML_TRAINING'), completedOn: calendarDate, holderNpn, file }),
    z.object({
      actor,
      item: z.enum(['RESIDENT_LICENSE', 'NONRESIDENT_LICENSE']),
      state: licenseState,
      licenseNumber,
      expiresOn: calendarDate,
      holderNpn,
      file,
    }),
  ],
  {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const given = (issue.input as { item?: unknown } | undefined)?.item;
      return given === undefined ? 'is required' : `must be one of ${PACKET_ITEMS.join(', ')}`;
    },
  },
);

/** A received item sent back to the broker; a licence names its state when the broker has more than one. */
export const RejectItemSchema = z.object({ actor, item: packetItem, state: licenseState.optional(), reason });

/** What the licence source (NIPR's PDB or the recorded licences) says about the broker in one state. */
export const LicenseVerifiedSchema = z
  .object({
    actor,
    state: licenseState,
    found: z.boolean(),
    active: z.boolean(),
    expiresOn: calendarDate.optional(),
    licenseNumber: licenseNumber.optional(),
  })
  .refine((v) => v.found || !v.active, { message: 'cannot be true for a licence that was not found', path: ['active'] });

export const CarrierAppointedSchema = z.object({
  actor,
  appointedOn: calendarDate,
  /** The carrier's own reference for the appointment, when it gives one. */
  appointmentId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,40}$/, 'must be 1-40 letters, digits or dashes')
    .optional(),
});

export const CarrierDeclinedSchema = z.object({ actor, reason });
export const CancelSchema = z.object({ actor, reason });

/** Each input, by the name callers give it. */
export const CONTRACTING_ACTIONS = {
  'join-case': JoinCaseSchema,
  'receive-item': ReceiveItemSchema,
  'reject-item': RejectItemSchema,
  'license-verified': LicenseVerifiedSchema,
  'carrier-appointed': CarrierAppointedSchema,
  'carrier-declined': CarrierDeclinedSchema,
  cancel: CancelSchema,
} as const satisfies Record<ContractingActionName, z.ZodType>;
export type ContractingInput<N extends ContractingActionName> = z.output<(typeof CONTRACTING_ACTIONS)[N]>;

export type OpenContracting = z.output<typeof OpenContractingSchema>;
export type JoinCase = ContractingInput<'join-case'>;
export type ReceiveItem = ContractingInput<'receive-item'>;
export type RejectItem = ContractingInput<'reject-item'>;
export type LicenseVerified = ContractingInput<'license-verified'>;
export type CarrierAppointed = ContractingInput<'carrier-appointed'>;
export type CarrierDeclined = ContractingInput<'carrier-declined'>;
export type Cancel = ContractingInput<'cancel'>;
