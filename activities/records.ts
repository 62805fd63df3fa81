import type { Application } from '../domain/application';
import type { CaseDocument, CaseEvent } from '../domain/case';
import type { Prisma } from '../prisma/generated/client';
import type { ActivityDeps } from './deps';
import { type SyncCaseInput, writeCaseChanges } from './case-sync';
import { recordsLicenseLookup } from './license-lookup/records';

export type { SyncCaseInput } from './case-sync';

export interface RegisterCaseInput {
  caseId: string;
  application: Application;
  receivedAt: string;
  stage: string;
}

export interface LicensingCheck {
  ok: boolean;
  licensed: boolean;
  appointed: boolean;
  /** Set when the broker's E&O certificate on file has lapsed: no business goes out uncovered. */
  eoExpiredOn?: string;
  problems: string[];
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

const displayName = (p: { firstName: string; middleName?: string; lastName: string }) =>
  [p.firstName, p.middleName, p.lastName].filter(Boolean).join(' ');

const day = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`);

/**
 * The Document table follows the case's document events: the case is the one writer of what a
 * document is for and how its review went, and a replayed sync writes the same values again.
 */
async function projectDocumentEvent(tx: Prisma.TransactionClient, caseId: string, e: CaseEvent): Promise<void> {
  const data = e.data ?? {};
  const id = typeof data.documentId === 'string' ? data.documentId : undefined;
  if (e.type === 'DOCUMENT_RECEIVED') {
    const d = data.document as CaseDocument;
    await tx.document.createMany({
      data: [
        {
          id: d.id,
          caseId,
          sha256: d.sha256,
          fileName: d.fileName,
          contentType: d.contentType,
          size: d.size,
          source: d.source,
          sender: d.sender,
          inboundMailId: d.inboundMailId ?? null,
          requirementKey: d.requirementKey ?? null,
          nigoItemKey: d.nigoItemKey ?? null,
          reviewStatus: 'TO_REVIEW',
          receivedAt: new Date(d.receivedAt),
        },
      ],
      skipDuplicates: true,
    });
  } else if (id && (e.type === 'DOCUMENT_ACCEPTED' || e.type === 'DOCUMENT_REJECTED')) {
    await tx.document.update({
      where: { id },
      data: {
        reviewStatus: e.type === 'DOCUMENT_ACCEPTED' ? 'ACCEPTED' : 'REJECTED',
        reviewedBy: e.actor,
        reviewedAt: new Date(e.at),
        reviewNote: typeof data.reason === 'string' ? data.reason : null,
        ...(typeof data.requirementKey === 'string' ? { requirementKey: data.requirementKey } : {}),
        ...(typeof data.nigoItemKey === 'string' ? { nigoItemKey: data.nigoItemKey } : {}),
      },
    });
  } else if (id && e.type === 'DOCUMENT_FORWARDED') {
    await tx.document.update({ where: { id }, data: { forwardedAt: new Date(e.at) } });
  }
}

export function recordActivities({ db, licenseLookup = recordsLicenseLookup(db) }: ActivityDeps) {
  return {
    /** Creates the broker (by NPN), the case and its parties; a retry finds them and changes nothing. */
    async registerCase({ caseId, application: app, receivedAt, stage }: RegisterCaseInput): Promise<void> {
      await db.$transaction(async (tx) => {
        const broker = await tx.broker.upsert({
          where: { npn: app.broker.npn },
          create: { npn: app.broker.npn, name: app.broker.name, email: app.broker.email, agency: app.broker.agency ?? null },
          update: { name: app.broker.name, email: app.broker.email },
        });
        await tx.case.createMany({
          data: [
            {
              id: caseId,
              carrierCode: app.carrier,
              applicationNumber: app.applicationNumber,
              productType: app.product.type,
              plan: app.product.plan,
              faceAmount: app.product.faceAmount,
              stateOfSigning: app.stateOfSigning,
              brokerId: broker.id,
              stage,
              receivedAt: new Date(receivedAt),
              stageEnteredAt: new Date(receivedAt),
              lastActivityAt: new Date(receivedAt),
              application: app as unknown as Prisma.InputJsonValue,
            },
          ],
          skipDuplicates: true,
        });
        const parties: Prisma.PartyCreateManyInput[] = [
          { caseId, role: 'INSURED', fullName: displayName(app.insured), dateOfBirth: day(app.insured.dateOfBirth), email: app.insured.email ?? null },
        ];
        for (const [role, party] of [['OWNER', app.owner], ['PAYOR', app.payor]] as const) {
          if (!party) continue;
          parties.push(
            party.kind === 'ENTITY'
              ? { caseId, role, fullName: party.name }
              : { caseId, role, fullName: displayName(party), dateOfBirth: day(party.dateOfBirth), email: party.email ?? null },
          );
        }
        await tx.party.createMany({ data: parties, skipDuplicates: true });
      });
    },

    /**
     * Mirrors a workflow change into PostgreSQL. Every row written has a key derived from
     * the case and the event sequence, so replaying the same sync is a no-op. Most syncs (an
     * action, a status, an email sent) are one statement; a stage change or a document event
     * also writes the stage visits or the Document table, in the same transaction.
     */
    async syncCase(input: SyncCaseInput): Promise<void> {
      const { state, events } = input;
      const caseId = state.caseId;
      const missing = () => new Error(`No case record for ${caseId}; it is written when the case opens (registerCase), so this sync is retried until it is there`);
      const more = events.some((e) => e.type === 'STAGE_ENTERED' || e.type.startsWith('DOCUMENT_'));
      if (!more) {
        if (!(await writeCaseChanges(db, caseId, input))) throw missing();
        return;
      }
      await db.$transaction(async (tx) => {
        if (!(await writeCaseChanges(tx, caseId, input))) throw missing();
        for (const e of events) await projectDocumentEvent(tx, caseId, e);
        for (const e of events.filter((x) => x.type === 'STAGE_ENTERED')) {
          const visitId = `${caseId}:${e.seq}`;
          await tx.stageVisit.updateMany({
            where: { caseId, leftAt: null, NOT: { id: visitId }, enteredAt: { lte: new Date(e.at) } },
            data: { leftAt: new Date(e.at) },
          });
          await tx.stageVisit.createMany({
            data: [{ id: visitId, caseId, stage: String(e.data?.stage), enteredAt: new Date(e.at), leftAt: state.stage === 'CLOSED' && e.data?.stage === 'CLOSED' ? new Date(e.at) : null }],
            skipDuplicates: true,
          });
        }
      });
    },

    /**
     * Before submission the broker must be licensed in the state of signing and appointed with the
     * carrier. The licence comes from the configured lookup (recorded licences or NIPR's PDB), the
     * appointment always from PostgreSQL. NIPR is asked only for a broker on record.
     */
    async checkLicensing(input: { npn: string; state: string; carrierCode: string; onDate: string }): Promise<LicensingCheck> {
      const broker = await db.broker.findUnique({
        where: { npn: input.npn },
        include: { appointments: { where: { carrierCode: input.carrierCode } }, eoCertificate: true },
      });
      if (!broker) return { ok: false, licensed: false, appointed: false, problems: [`No broker record for NPN ${input.npn}`] };
      const onDate = input.onDate.slice(0, 10);
      const problems: string[] = [];
      const license = await licenseLookup.lookup(input.npn, input.state);
      const licensed = !!license && license.active && license.expiresOn >= onDate;
      if (!license) problems.push(`No ${input.state} license on file for NPN ${input.npn}`);
      else if (!licensed) problems.push(`${input.state} license ${license.licenseNumber} is not active on ${input.onDate}`);
      const appointment = broker.appointments[0];
      const appointmentEnds = appointment?.expiresOn ? isoDay(appointment.expiresOn) : undefined;
      const appointed = !!appointment?.active && (appointmentEnds === undefined || appointmentEnds >= onDate);
      if (!appointment?.active) problems.push(`No active appointment with ${input.carrierCode}`);
      else if (!appointed) problems.push(`The appointment with ${input.carrierCode} expired on ${appointmentEnds}`);
      // No certificate on file does not hold a case (the carrier's packet collects one); a lapsed one does.
      const eo = broker.eoCertificate;
      const eoEnds = eo ? isoDay(eo.expiresOn) : undefined;
      const eoLapsed = !!eo && (eo.lapsed || eoEnds! < onDate);
      if (eoLapsed) problems.push(`The E&O certificate from ${eo.insurer} expired on ${eoEnds}; record a current one with \`bga broker eo\``);
      return { ok: licensed && appointed && !eoLapsed, licensed, appointed, ...(eoLapsed ? { eoExpiredOn: eoEnds! } : {}), problems };
    },

    async recordAppointment(input: {
      npn: string;
      carrierCode: string;
      appointedOn: string;
      actor: string;
      license?: { state: string; licenseNumber: string; expiresOn: string };
    }): Promise<void> {
      const broker = await db.broker.findUnique({ where: { npn: input.npn } });
      if (!broker) throw new Error(`No broker record for NPN ${input.npn}`);
      await db.$transaction(async (tx) => {
        await tx.brokerAppointment.upsert({
          where: { brokerId_carrierCode: { brokerId: broker.id, carrierCode: input.carrierCode } },
          create: { brokerId: broker.id, carrierCode: input.carrierCode, appointedOn: day(input.appointedOn), recordedBy: input.actor },
          update: { active: true, appointedOn: day(input.appointedOn), recordedBy: input.actor },
        });
        if (input.license) {
          const { state, licenseNumber, expiresOn } = input.license;
          await tx.brokerLicense.upsert({
            where: { brokerId_state: { brokerId: broker.id, state } },
            create: { brokerId: broker.id, state, licenseNumber, expiresOn: day(expiresOn) },
            update: { licenseNumber, active: true, expiresOn: day(expiresOn) },
          });
        }
      });
    },
  };
}
