import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AddRequirement,
  CarrierDecision,
  Note,
  OfferResponse,
  ReceiveRequirement,
  RecheckLicensing,
  RecordAppointment,
  Review,
  ReviewRequirement,
  VendorStatus,
  WaiveRequirement,
  Withdraw,
} from '../domain/actions';
import type { CaseState } from '../domain/case';

/* Defined once; the workflow implements them and the client and API call them. */

export const caseStateQuery = defineQuery<CaseState>('caseState');

export const receiveRequirementUpdate = defineUpdate<CaseState, [ReceiveRequirement]>('receiveRequirement');
export const waiveRequirementUpdate = defineUpdate<CaseState, [WaiveRequirement]>('waiveRequirement');
export const addRequirementUpdate = defineUpdate<CaseState, [AddRequirement]>('addRequirement');
export const reviewUpdate = defineUpdate<CaseState, [Review]>('review');
export const reviewRequirementUpdate = defineUpdate<CaseState, [ReviewRequirement]>('reviewRequirement');
export const vendorStatusUpdate = defineUpdate<CaseState, [VendorStatus]>('vendorStatus');
export const carrierDecisionUpdate = defineUpdate<CaseState, [CarrierDecision]>('carrierDecision');
export const offerResponseUpdate = defineUpdate<CaseState, [OfferResponse]>('offerResponse');
export const recordAppointmentUpdate = defineUpdate<CaseState, [RecordAppointment]>('recordAppointment');
export const recheckLicensingUpdate = defineUpdate<CaseState, [RecheckLicensing]>('recheckLicensing');
export const withdrawUpdate = defineUpdate<CaseState, [Withdraw]>('withdraw');
export const noteUpdate = defineUpdate<CaseState, [Note]>('note');
