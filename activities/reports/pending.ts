import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { isoDate } from '../../domain/application';
import { OPEN_STATUSES } from '../../domain/case';
import { npn } from '../../templates/fields';
import type { OpenStage, OpenStatus } from '../../templates/pending-cases';
import type { ActivityDeps } from '../deps';
import type { mailActivities } from '../mail';
import { loadRulesConfig } from '../rules-config';
import { wholeDaysSince } from './days';

const PendingReportRequestSchema = z.object({ brokerNpn: npn, weekOf: isoDate });
export type PendingReportRequest = z.infer<typeof PendingReportRequestSchema>;

export interface PendingReportResult {
  /** NO_OPEN_CASES: the broker's last open case closed after the broker was listed; nothing is sent. */
  status: 'SENT' | 'ALREADY_SENT' | 'UNCONFIRMED' | 'NO_OPEN_CASES';
}

/** One report per broker and week: a retried activity or a re-run schedule finds the key already sent. */
const pendingReportKey = (r: PendingReportRequest) => `pending-report:${r.brokerNpn}:${r.weekOf}`;

const openCase = { stage: { not: 'CLOSED' } };

export function reportActivities({ db }: ActivityDeps, mail: ReturnType<typeof mailActivities>) {
  return {
    /** NPNs of the brokers with at least one case not closed, in a stable order. */
    async listBrokersWithOpenCases(): Promise<string[]> {
      const brokers = await db.broker.findMany({
        where: { cases: { some: openCase } },
        select: { npn: true },
        orderBy: { npn: 'asc' },
      });
      return brokers.map((b) => b.npn);
    },

    /** Renders the broker's open cases and outstanding requirements as they stand now, and emails them once per week. */
    async sendPendingCaseReport(raw: PendingReportRequest): Promise<PendingReportResult> {
      const parsed = PendingReportRequestSchema.safeParse(raw);
      if (!parsed.success) {
        throw ApplicationFailure.nonRetryable(
          `Invalid pending-case report request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          'InvalidReportRequest',
        );
      }
      const request = parsed.data;
      const broker = await db.broker.findUnique({
        where: { npn: request.brokerNpn },
        include: {
          cases: {
            where: openCase,
            orderBy: [{ receivedAt: 'asc' }, { applicationNumber: 'asc' }],
            include: {
              parties: { where: { role: 'INSURED' } },
              requirements: { where: { status: { in: [...OPEN_STATUSES] } }, orderBy: [{ requestedAt: 'asc' }, { key: 'asc' }] },
            },
          },
        },
      });
      if (!broker) throw ApplicationFailure.nonRetryable(`No broker record for NPN ${request.brokerNpn}`, 'UnknownBroker');
      if (broker.cases.length === 0) return { status: 'NO_OPEN_CASES' };

      const config = await loadRulesConfig();
      const carrierNames = new Map(config.carriers.map((c) => [c.code, c.name]));
      const now = new Date();
      const sent = await mail.sendEmail({
        key: pendingReportKey(request),
        to: broker.email,
        data: {
          template: 'pending-cases',
          bgaName: config.settings.bgaName,
          reportReference: `PCR-${request.brokerNpn}-${request.weekOf}`,
          brokerName: broker.name,
          brokerNpn: broker.npn,
          weekOf: request.weekOf,
          cases: broker.cases.map((c) => ({
            caseReference: c.id,
            // A carrier since removed from the rules file still has cases in flight.
            carrierName: carrierNames.get(c.carrierCode) ?? c.carrierCode,
            applicationNumber: c.applicationNumber,
            insuredName: c.parties[0]?.fullName ?? 'Insured not on file',
            // The stage and status columns are written only from the domain's own values.
            stage: c.stage as OpenStage,
            daysInStage: wholeDaysSince(c.stageEnteredAt, now),
            outstanding: c.requirements.map((r) => ({ description: r.description, status: r.status as OpenStatus })),
          })),
        },
      });
      return { status: sent.status };
    },
  };
}
