import { ApplicationSchema } from '../domain/application';
import type { CaseDocument, CaseRequirement } from '../domain/case';
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
  /** Accepted documents that go with the 103. */
  documents?: CaseDocument[];
}

export interface ForwardDocumentInput {
  caseId: string;
  document: CaseDocument;
  requirement?: { description: string; carrierOrderNumber?: string };
  carrierName: string;
  bgaName: string;
  applicationNumber: string;
  insuredName: string;
  channel: ChannelRef;
}

const asAttachment = (d: CaseDocument) => ({ filename: d.fileName, contentType: d.contentType, document: d.sha256 });

/** An HTTPS channel gets each file inline, base64-encoded, with what it is for. */
async function inline(deps: ActivityDeps, d: CaseDocument) {
  if (!deps.documents) throw new Error(`Document ${d.fileName} is to go to the carrier, but no document store is configured (BGA_DOCUMENT_STORE).`);
  const bytes = await deps.documents.get(d.sha256);
  return { fileName: d.fileName, contentType: d.contentType, sha256: d.sha256, ...(d.requirementKey ? { requirementKey: d.requirementKey } : {}), contentBase64: bytes.toString('base64') };
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
        const documents = await Promise.all((input.documents ?? []).map((d) => inline(deps, d)));
        await postJson(deps.fetch, input.channel.target, key, { transRefGuid, caseReference: input.caseId, txlife: xml, ...(documents.length ? { documents } : {}) });
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
        documents: (input.documents ?? []).map(asAttachment),
      });
      return { sentAt: input.submittedAt, bytes: xml.length, transRefGuid };
    },

    /** A document accepted after the 103 went, sent as a requirement transmittal through the carrier's channel. */
    async forwardDocument(input: ForwardDocumentInput): Promise<void> {
      const d = input.document;
      const key = `${input.caseId}:document:${d.id}:forwarded`;
      const description = input.requirement?.description ?? 'Application documents';
      if (input.channel.type === 'https') {
        await postJson(deps.fetch, input.channel.target, key, {
          kind: 'requirement-results',
          caseReference: input.caseId,
          applicationNumber: input.applicationNumber,
          requirement: description,
          ...(input.requirement?.carrierOrderNumber ? { carrierOrderNumber: input.requirement.carrierOrderNumber } : {}),
          document: await inline(deps, d),
        });
        return;
      }
      await mail.sendEmail({
        key,
        caseId: input.caseId,
        to: input.channel.target,
        data: {
          template: 'requirement-results',
          bgaName: input.bgaName,
          caseReference: input.caseId,
          carrierName: input.carrierName,
          applicationNumber: input.applicationNumber,
          insuredName: input.insuredName,
          fileName: d.fileName,
          requirementDescription: description.slice(0, 200),
          ...(input.requirement?.carrierOrderNumber ? { carrierOrderNumber: input.requirement.carrierOrderNumber } : {}),
          receivedOn: d.receivedAt.slice(0, 10),
        },
        documents: [asAttachment(d)],
      });
    },
  };
}
