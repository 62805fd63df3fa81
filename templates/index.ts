import { z } from 'zod';
import { AcknowledgementSchema, renderAcknowledgement } from './acknowledgement';
import { AttachmentsRefusedSchema, renderAttachmentsRefused } from './attachments-refused';
import { CarrierSubmissionSchema, renderCarrierSubmission } from './carrier-submission';
import { ClosureSchema, renderClosure } from './closure';
import { ContractingHoldSchema, renderContractingHold } from './contracting-hold';
import { CoverExpirySchema, renderCoverExpiry } from './cover-expiry';
import { ContractingPacketSchema, renderContractingPacket } from './contracting-packet';
import { ContractingItemReturnedSchema, renderContractingItemReturned } from './contracting-item-returned';
import { ContractingReminderSchema, renderContractingReminder } from './contracting-reminder';
import { ContractingEscalationSchema, renderContractingEscalation } from './contracting-escalation';
import { ContractingCarrierFollowUpSchema, renderContractingCarrierFollowUp } from './contracting-carrier-follow-up';
import { ContractingCarrierEscalationSchema, renderContractingCarrierEscalation } from './contracting-carrier-escalation';
import { ContractingAppointmentRequestSchema, renderContractingAppointmentRequest } from './contracting-appointment-request';
import { ContractingDeclinedSchema, renderContractingDeclined } from './contracting-declined';
import { DecisionSchema, renderDecision } from './decision';
import { DocumentRejectedSchema, renderDocumentRejected } from './document-rejected';
import { EscalationSchema, renderEscalation } from './escalation';
import { ExamInstructionsSchema, renderExamInstructions } from './exam-instructions';
import { LicenseExpirySchema, renderLicenseExpiry } from './license-expiry';
import { NigoSchema, renderNigo } from './nigo';
import { PendingCasesSchema, renderPendingCases } from './pending-cases';
import { PlacementSchema, renderPlacement } from './placement';
import { ReminderSchema, renderReminder } from './reminder';
import { RequirementResultsSchema, renderRequirementResults } from './requirement-results';
import { RequirementUpdateSchema, renderRequirementUpdate } from './requirement-update';
import { VendorCancellationSchema, renderVendorCancellation } from './vendor-cancellation';
import { VendorFollowUpSchema, renderVendorFollowUp } from './vendor-follow-up';
import { VendorOrderSchema, renderVendorOrder } from './vendor-order';
import type { RenderedEmail } from './layout';

/*
 * Every email the pipeline sends. Activities validate their input against
 * EmailTemplateSchema, then render; the workflow bundle never imports this module.
 */

export const EmailTemplateSchema = z.discriminatedUnion('template', [
  AcknowledgementSchema,
  NigoSchema,
  ExamInstructionsSchema,
  ReminderSchema,
  EscalationSchema,
  DecisionSchema,
  ClosureSchema,
  PlacementSchema,
  VendorOrderSchema,
  VendorFollowUpSchema,
  VendorCancellationSchema,
  ContractingHoldSchema,
  CarrierSubmissionSchema,
  RequirementUpdateSchema,
  PendingCasesSchema,
  LicenseExpirySchema,
  CoverExpirySchema,
  DocumentRejectedSchema,
  RequirementResultsSchema,
  AttachmentsRefusedSchema,
  ContractingPacketSchema,
  ContractingItemReturnedSchema,
  ContractingReminderSchema,
  ContractingEscalationSchema,
  ContractingCarrierFollowUpSchema,
  ContractingCarrierEscalationSchema,
  ContractingAppointmentRequestSchema,
  ContractingDeclinedSchema,
]);

export type EmailTemplateData = z.infer<typeof EmailTemplateSchema>;
export type EmailTemplateName = EmailTemplateData['template'];
export type { RenderedEmail };

export function renderEmail(data: EmailTemplateData): RenderedEmail {
  switch (data.template) {
    case 'acknowledgement':
      return renderAcknowledgement(data);
    case 'nigo':
      return renderNigo(data);
    case 'exam-instructions':
      return renderExamInstructions(data);
    case 'reminder':
      return renderReminder(data);
    case 'escalation':
      return renderEscalation(data);
    case 'decision':
      return renderDecision(data);
    case 'closure':
      return renderClosure(data);
    case 'placement':
      return renderPlacement(data);
    case 'vendor-order':
      return renderVendorOrder(data);
    case 'vendor-cancellation':
      return renderVendorCancellation(data);
    case 'vendor-follow-up':
      return renderVendorFollowUp(data);
    case 'contracting-hold':
      return renderContractingHold(data);
    case 'cover-expiry':
      return renderCoverExpiry(data);
    case 'carrier-submission':
      return renderCarrierSubmission(data);
    case 'requirement-update':
      return renderRequirementUpdate(data);
    case 'pending-cases':
      return renderPendingCases(data);
    case 'document-rejected':
      return renderDocumentRejected(data);
    case 'requirement-results':
      return renderRequirementResults(data);
    case 'attachments-refused':
      return renderAttachmentsRefused(data);
    case 'license-expiry':
      return renderLicenseExpiry(data);
    case 'contracting-packet':
      return renderContractingPacket(data);
    case 'contracting-item-returned':
      return renderContractingItemReturned(data);
    case 'contracting-reminder':
      return renderContractingReminder(data);
    case 'contracting-escalation':
      return renderContractingEscalation(data);
    case 'contracting-carrier-follow-up':
      return renderContractingCarrierFollowUp(data);
    case 'contracting-carrier-escalation':
      return renderContractingCarrierEscalation(data);
    case 'contracting-appointment-request':
      return renderContractingAppointmentRequest(data);
    case 'contracting-declined':
      return renderContractingDeclined(data);
  }
}
