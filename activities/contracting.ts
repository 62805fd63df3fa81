import { ApplicationFailure } from '@temporalio/activity';
import type { ContractingEffect, ContractingEmail, ContractingEvent, ContractingState, LicenseVerified, MissingItem, Party } from '../domain/contracting-core';
import { findCarrier } from '../domain/carrier-config';
import { contractingRules } from '../domain/rules';
import type { Prisma } from '../prisma/generated/client';
import type { EmailTemplateData } from '../templates';
import type { ActivityDeps } from './deps';
import { postJson } from './https';
import { recordsLicenseLookup } from './license-lookup';
import type { mailActivities } from './mail';
import { loadRulesConfig } from './rules-config';

/*
 * What a contracting request does outside its workflow: read the broker and the carrier's rules,
 * ask the licence source, email the broker and the carrier, request the appointment, and keep
 * PostgreSQL in step with the request. Each write is keyed by the request and the business fact.
 */

/** The facts every contracting email names, as the workflow knows them. */
export interface ContractingFacts {
  bgaName: string;
  contractingReference: string;
  brokerName: string;
  brokerNpn: string;
  carrierName: string;
  contractingEmail: string;
  waitingCases: string[];
}

export interface SyncContractingInput {
  id: string;
  workflowId: string;
  state: ContractingState;
  missing: MissingItem[];
  waitingOn: Party | null;
  events: ContractingEvent[];
  /** The trail position of the first event given. */
  firstSeq: number;
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

function storeOf(deps: ActivityDeps) {
  if (!deps.documents) throw new Error('The appointment request carries packet files, but no document store is configured here (BGA_DOCUMENT_STORE).');
  return deps.documents;
}

const refused = (message: string) => ApplicationFailure.nonRetryable(message, 'InvalidContractingRequest');

/** The template data of one of the core's emails; the core names the template, the facts fill it. */
export function contractingEmailData(e: ContractingEmail, f: ContractingFacts): EmailTemplateData {
  const { waitingCases, ...base } = f;
  const items = e.items.map((i) => ({ description: i.description.slice(0, 200), ...(i.problem ? { problem: i.problem.slice(0, 500) } : {}) }));
  const count = e.count ?? 1;
  const requestedOn = e.requestedOn ?? '';
  switch (e.template) {
    case 'contracting-packet':
      return { template: e.template, ...base, items, waitingCases };
    case 'contracting-item-returned':
      return { template: e.template, ...base, items: items.map((i) => ({ ...i, problem: i.problem ?? 'it could not be accepted' })) };
    case 'contracting-reminder':
      return { template: e.template, ...base, items, reminderNumber: count };
    case 'contracting-escalation':
      return { template: e.template, ...base, items, remindersSent: count };
    case 'contracting-carrier-follow-up':
      return { template: e.template, ...base, items, followUpNumber: count, requestedOn };
    case 'contracting-carrier-escalation':
      return { template: e.template, ...base, items, followUpsSent: count, requestedOn };
    case 'contracting-declined':
      return { template: e.template, ...base, reason: e.items[0]?.description ?? 'no reason given', waitingCases };
  }
}

type AppointmentRequest = Extract<ContractingEffect, { kind: 'request-appointment' }>;

const money = (n: number) => `$${n.toLocaleString('en-US')}`;

/** One line per packet item for the carrier: what was checked of it. */
function packetDetail(p: AppointmentRequest['packet'][number]): string | undefined {
  const d = p.details as Record<string, unknown> | undefined;
  if (!d) return p.state ? `${p.state}` : undefined;
  if ('limit' in d) return `${String(d.carrier)}, ${money(Number(d.limit))} limit, expires ${String(d.expiresOn)}`;
  if ('completedOn' in d) return `completed ${String(d.completedOn)}`;
  if ('licenseNumber' in d) return `${p.state ?? ''} licence ${String(d.licenseNumber)}, expires ${String(d.expiresOn)}`.trim();
  return undefined;
}

export function contractingActivities(deps: ActivityDeps, mail: ReturnType<typeof mailActivities>) {
  const { db } = deps;
  const licenseLookup = deps.licenseLookup ?? recordsLicenseLookup(db);
  return {
    /** The broker on record, the carrier's contracting rules, and which round of requests for the pair this is. */
    async openContractingRequest(input: { npn: string; carrierCode: string }) {
      const config = await loadRulesConfig();
      if (!findCarrier(config, input.carrierCode)) {
        throw refused(`carrier: ${input.carrierCode} is not in the carrier rules; the carriers are ${config.carriers.map((c) => c.code).join(', ')}`);
      }
      const broker = await db.broker.findUnique({ where: { npn: input.npn } });
      if (!broker) throw refused(`npn: no broker with NPN ${input.npn} is on record; add them with \`bga broker add\` first`);
      const earlier = await db.contractingRequest.count({ where: { brokerId: broker.id, carrierCode: input.carrierCode, closedAt: { not: null } } });
      return {
        rules: contractingRules(config, input.carrierCode),
        broker: { name: broker.name, email: broker.email, ...(broker.residentState ? { residentState: broker.residentState } : {}) },
        round: earlier + 1,
      };
    },

    /** The licence source's answer for one state, as the core takes it. */
    async verifyContractingLicense(input: { npn: string; state: string }): Promise<LicenseVerified> {
      const found = await licenseLookup.lookup(input.npn, input.state);
      const source = found?.source === 'nipr' ? 'licence-lookup:nipr' : 'licence-lookup:records';
      if (!found) return { actor: source, state: input.state as LicenseVerified['state'], found: false, active: false };
      return {
        actor: source,
        state: input.state as LicenseVerified['state'],
        found: true,
        active: found.active,
        expiresOn: found.expiresOn,
        licenseNumber: found.licenseNumber,
      };
    },

    async sendContractingEmail(input: { email: ContractingEmail; facts: ContractingFacts }): Promise<void> {
      const e = input.email;
      await mail.sendEmail({
        key: e.key,
        to: e.to,
        // The declined notice goes to the broker, and contracting hears it too.
        ...(e.template === 'contracting-declined' ? { cc: input.facts.contractingEmail } : {}),
        data: contractingEmailData(e, input.facts),
      });
    },

    /** Sends the appointment request through the carrier's channel: an email to its appointments desk, or a POST. */
    async requestCarrierAppointment(input: { request: AppointmentRequest; facts: ContractingFacts }): Promise<void> {
      const { request: r, facts: f } = input;
      const packet = r.packet.map((p) => {
        const detail = packetDetail(p);
        return { description: p.description.slice(0, 200), ...(detail ? { detail: detail.slice(0, 300) } : {}) };
      });
      const files = r.packet.flatMap((p) => (p.file ? [p.file] : []));
      if (r.channel.type === 'https') {
        await postJson(deps.fetch, r.channel.target, r.key, {
          kind: 'appointment-request',
          contractingReference: f.contractingReference,
          attempt: r.attempt,
          agency: f.bgaName,
          producer: { npn: r.npn, name: f.brokerName },
          states: r.states,
          packet: await Promise.all(
            r.packet.map(async ({ file, ...item }) => ({ ...item, ...(file ? { file: { ...file, contentBase64: (await storeOf(deps).get(file.sha256)).toString('base64') } } : {}) })),
          ),
        });
        return;
      }
      const { waitingCases: _cases, ...base } = f;
      await mail.sendEmail({
        key: r.key,
        to: r.channel.target,
        data: { template: 'contracting-appointment-request', ...base, states: r.states, attempt: r.attempt, packet, attachedFiles: files.length },
        // By reference: the email row keeps each file's hash, and the bytes are read from the store as it is sent.
        documents: files.map((file) => ({ filename: file.fileName, contentType: file.contentType, document: file.sha256 })),
      });
    },

    /** Mirrors the request into PostgreSQL; the trail rows are keyed by the request and position, so a retry writes nothing twice. */
    async syncContracting(input: SyncContractingInput): Promise<void> {
      const s = input.state;
      const broker = await db.broker.findUniqueOrThrow({ where: { npn: s.npn }, select: { id: true } });
      const o = s.outcome;
      const fields = {
        stage: s.stage,
        waitingOn: input.waitingOn,
        missing: input.missing as unknown as Prisma.InputJsonValue,
        caseIds: s.cases.map((c) => c.caseId),
        stageEnteredAt: new Date(s.stageEnteredAt),
        appointedOn: o?.stage === 'APPOINTED' ? day(o.appointedOn) : null,
        closedAt: o ? new Date(s.stageEnteredAt) : null,
        outcomeReason: o && o.stage !== 'APPOINTED' ? o.reason : null,
      };
      const eo = s.packet.find((e) => e.item === 'EO_CERTIFICATE' && e.status === 'RECEIVED')?.details;
      await db.$transaction(async (tx) => {
        await tx.contractingRequest.upsert({
          where: { id: input.id },
          create: {
            id: input.id,
            workflowId: input.workflowId,
            brokerId: broker.id,
            carrierCode: s.carrierCode,
            openedAt: new Date(s.events[0]?.at ?? s.stageEnteredAt),
            ...fields,
          },
          update: fields,
        });
        if (input.events.length) {
          await tx.contractingEvent.createMany({
            data: input.events.map((e, i) => ({
              id: `${input.id}:${input.firstSeq + i}`,
              requestId: input.id,
              seq: input.firstSeq + i,
              type: e.type,
              actor: e.actor,
              at: new Date(e.at),
              description: e.description,
            })),
            skipDuplicates: true,
          });
        }
        // The E&O cover the broker proved is what the expiry watch and the intake check read.
        // Written once per certificate, so the watch's lapsed mark on it stands.
        if (eo && 'limit' in eo) {
          const cover = { insurer: eo.carrier, limitDollars: eo.limit, expiresOn: day(eo.expiresOn), lapsed: false };
          const held = await tx.brokerEoCertificate.findUnique({ where: { brokerId: broker.id } });
          if (!held || held.expiresOn.getTime() !== cover.expiresOn.getTime() || held.insurer !== cover.insurer) {
            await tx.brokerEoCertificate.upsert({ where: { brokerId: broker.id }, create: { brokerId: broker.id, ...cover }, update: cover });
          }
        }
      });
    },
  };
}
