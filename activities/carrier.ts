import { ApplicationSchema } from '../domain/application';
import type { CaseRequirement } from '../domain/case';
import { isOpen } from '../domain/case';
import type { ChannelRef, VendorRef } from '../domain/evaluation';
import { transRefGuidFor } from './acord/trans-ref';
import { buildTxLife103 } from './acord/txlife103';
import type { ActivityDeps } from './deps';
import { postJson } from './https';
import type { mailActivities } from './mail';

export interface SubmitToCarrierInput {
  caseId: string;
  /** Given by cases that drew theirs before it was derived from the case; otherwise transRefGuidFor(caseId). */
  transRefGuid?: string;
  /** ISO timestamp chosen by the workflow, so a retry builds the identical document. */
  submittedAt: string;
  carrierCode: string;
  carrierName: string;
  issueAge: number;
  requirements: CaseRequirement[];
  vendors: Record<string, VendorRef>;
  bgaName: string;
  channel: ChannelRef;
}

export function carrierActivities(deps: ActivityDeps, mail: ReturnType<typeof mailActivities>) {
  return {
    /** Builds the ACORD TXLife 103 and delivers it to the carrier's new-business channel; the email row keeps what was sent. */
    async submitToCarrier(input: SubmitToCarrierInput): Promise<{ sentAt: string; bytes: number; transRefGuid: string }> {
      const transRefGuid = input.transRefGuid ?? transRefGuidFor(input.caseId);
      const row = await deps.db.case.findUniqueOrThrow({ where: { id: input.caseId }, select: { application: true } });
      const app = ApplicationSchema.parse(row.application);
      const xml = buildTxLife103({
        caseId: input.caseId,
        transRefGuid,
        transExeDate: input.submittedAt.slice(0, 10),
        transExeTime: input.submittedAt.slice(11, 19),
        carrierCode: input.carrierCode,
        carrierName: input.carrierName,
        application: app,
        issueAge: input.issueAge,
        requirements: input.requirements,
        bgaName: input.bgaName,
      });
      const key = `${input.caseId}:submission:${transRefGuid}`;
      if (input.channel.type === 'https') {
        await postJson(deps.fetch, input.channel.target, key, { transRefGuid, caseReference: input.caseId, txlife: xml });
        return { sentAt: input.submittedAt, bytes: xml.length, transRefGuid };
      }
      const attachmentName = `TXLife103-${app.carrier}-${app.applicationNumber}.xml`;
      const insuredName = [app.insured.firstName, app.insured.middleName, app.insured.lastName].filter(Boolean).join(' ');
      await mail.sendEmail({
        key,
        caseId: input.caseId,
        to: input.channel.target,
        data: {
          template: 'carrier-submission',
          bgaName: input.bgaName,
          caseReference: input.caseId,
          carrierName: input.carrierName,
          applicationNumber: app.applicationNumber,
          insuredName,
          productType: app.product.type,
          planName: app.product.plan,
          faceAmount: app.product.faceAmount,
          brokerName: app.broker.name,
          brokerNpn: app.broker.npn,
          attachmentName,
          requirementsToFollow: input.requirements.filter(isOpen).map((r) => ({
            description: r.description,
            ...(r.vendorCode && input.vendors[r.vendorCode] ? { orderedFrom: input.vendors[r.vendorCode]!.name } : {}),
            orderedOn: r.requestedOn,
          })),
        },
        attachments: [{ filename: attachmentName, contentType: 'application/xml', content: xml }],
      });
      return { sentAt: input.submittedAt, bytes: xml.length, transRefGuid };
    },
  };
}
