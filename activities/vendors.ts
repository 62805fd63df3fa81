import crypto from 'node:crypto';
import { ApplicationSchema } from '../domain/application';
import type { CaseRequirement } from '../domain/case';
import type { VendorRef } from '../domain/evaluation';
import type { ActivityDeps } from './deps';
import { postJson } from './https';
import type { mailActivities } from './mail';

export interface OrderRequirementInput {
  caseId: string;
  requirement: CaseRequirement;
  vendor: VendorRef;
  bgaName: string;
  carrierName: string;
  applicationNumber: string;
}

export interface OrderResult {
  providerOrderNumber: string;
  channel: 'email' | 'https';
}

/** Stable across retries: the same case and requirement always give the same order number. */
export function orderNumberFor(vendorCode: string, caseId: string, key: string): string {
  return `${vendorCode}-${crypto.createHash('sha256').update(`${caseId}|${key}`).digest('hex').slice(0, 8).toUpperCase()}`;
}

export function vendorActivities(deps: ActivityDeps, mail: ReturnType<typeof mailActivities>) {
  return {
    /**
     * Sends an exam, APS or inspection order to the vendor's channel. The insured's contact
     * details come from the case record, so they never pass through workflow history.
     */
    async orderRequirement(input: OrderRequirementInput): Promise<OrderResult> {
      const { caseId, requirement: r, vendor } = input;
      const row = await deps.db.case.findUniqueOrThrow({ where: { id: caseId }, select: { application: true } });
      const app = ApplicationSchema.parse(row.application);
      const orderNumber = orderNumberFor(vendor.code, caseId, r.key);
      const insuredName = [app.insured.firstName, app.insured.middleName, app.insured.lastName].filter(Boolean).join(' ');
      if (vendor.channel.type === 'https') {
        const answer = (await postJson(deps.fetch, vendor.channel.target, `${caseId}:order:${r.key}`, {
          orderNumber,
          caseReference: caseId,
          requirement: { code: r.code, description: r.description },
          insured: { name: insuredName, phone: app.insured.phone, address: app.insured.address },
          ...(r.physician ? { physician: r.physician } : {}),
        })) as { orderNumber?: unknown };
        return { providerOrderNumber: typeof answer.orderNumber === 'string' ? answer.orderNumber : orderNumber, channel: 'https' };
      }
      await mail.sendEmail({
        key: `${caseId}:order:${r.key}`,
        caseId,
        to: vendor.channel.target,
        data: {
          template: 'vendor-order',
          bgaName: input.bgaName,
          caseReference: caseId,
          carrierName: input.carrierName,
          applicationNumber: input.applicationNumber,
          insuredName,
          vendorName: vendor.name,
          orderNumber,
          orderedOn: r.requestedOn,
          requirement: { code: r.code, description: r.description },
          insuredPhone: app.insured.phone,
          insuredAddress: app.insured.address,
          ...(r.physician ? { physician: r.physician } : {}),
        },
      });
      return { providerOrderNumber: orderNumber, channel: 'email' };
    },
  };
}
