import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { inspectDocument } from '../../domain/document-inspection';
import { documentStoreFor } from '../../platform/document-store';
import { STAGE_LABELS, type ContractingStage } from '../../domain/contracting-core';
import type { ContractingView } from '../../workflows/contracting-messages';
import { actOnContracting, type ContractingRow, ContractingNotFoundError, contractingView, listContracting, startContracting } from '../contracting';
import { InputError } from './errors';
import { type ActionOptions, examples, type JsonOption, withActionOptions, withChangeOptions, withJson } from './options';
import { clip, minute, print, printJson, table } from './output';
import { inSession, Session } from './session';

/*
 * `bga contracting`: broker contracting requests, one per broker and carrier. Starting one by
 * hand joins the running request as a case does; each input is a signal with a request ID, and
 * the command answers with the request as it stands after it.
 */

const stageText = (stage: string) => `${STAGE_LABELS[stage as ContractingStage] ?? stage} (${stage})`;

function printView(v: ContractingView): void {
  const s = v.state;
  const lines = [
    `Contracting: ${s.brokerName} (NPN ${s.npn}) with ${s.carrierName} — ${v.workflowId}`,
    `Stage: ${stageText(s.stage)} since ${s.stageEnteredAt.slice(0, 10)}${v.waitingOn ? `; waiting on ${v.waitingOn}` : ''}`,
  ];
  const o = s.outcome;
  if (o) lines.push(o.stage === 'APPOINTED' ? `Appointed on ${o.appointedOn}${o.appointmentId ? ` (${o.appointmentId})` : ''}` : `${STAGE_LABELS[o.stage]} on ${o.on}: ${o.reason}`);
  lines.push(
    v.missing.length
      ? `Missing (${v.missing.length}):\n${table(['Item', 'Waiting on', 'Problem'], v.missing.map((m) => [clip(m.description, 70), m.waitingOn, clip(m.problem ?? '—', 70)]))}`
      : 'Missing: nothing',
  );
  const received = s.packet.filter((e) => e.status === 'RECEIVED');
  if (received.length) lines.push(`Received: ${received.map((e) => `${e.description} (${e.receivedOn})`).join('; ')}`);
  if (s.cases.length) lines.push(`Cases waiting: ${s.cases.map((c) => `${c.caseId} (${c.state}${c.releasedOn ? `, released ${c.releasedOn}` : ''})`).join(', ')}`);
  lines.push(`Recent:\n${table(['When', 'Who', 'What'], s.events.slice(-6).map((e) => [minute(e.at), clip(e.actor, 24), clip(e.description, 90)]))}`);
  print(lines.join('\n'));
}

function printRow(r: ContractingRow): string {
  const missing = r.missing.length ? r.missing.map((m) => m.description).join('; ') : '—';
  return `${r.carrierCode}: ${stageText(r.stage)} since ${r.stageEnteredAt.slice(0, 10)}${r.waitingOn ? `, waiting on ${r.waitingOn}` : ''}; missing: ${missing}`;
}

/** The live request for the pair, or its last record in PostgreSQL once it has ended. */
async function statusOf(session: Session, npn: string, carrier: string | undefined, json: boolean | undefined): Promise<void> {
  const client = await session.client();
  if (carrier) {
    const live = await contractingView(client, npn, carrier.toUpperCase());
    if (live) return json ? printJson(live) : printView(live);
    if (!session.hasDatabase) throw new ContractingNotFoundError(npn, carrier.toUpperCase());
  }
  const rows = (await listContracting(await session.db(), { npn })).filter((r) => !carrier || r.carrierCode === carrier.toUpperCase());
  if (!rows.length) throw new ContractingNotFoundError(npn, carrier?.toUpperCase());
  const latest = [...new Map(rows.map((r) => [r.carrierCode, r] as const)).values()];
  const views = [];
  for (const r of latest) views.push(r.stage === 'APPOINTED' || r.stage === 'DECLINED' || r.stage === 'CANCELLED' ? r : ((await contractingView(client, npn, r.carrierCode)) ?? r));
  if (json) return printJson({ contracting: views });
  for (const v of views) {
    if ('state' in v) printView(v);
    else print(`Contracting: ${v.brokerName} (NPN ${v.npn}) — ${v.workflowId}\n${printRow(v)}`);
  }
}

interface ItemOptions extends ActionOptions {
  state?: string;
  number?: string;
  expires?: string;
  insurer?: string;
  limit?: string;
  completed?: string;
  holderNpn?: string;
  file?: string;
}

/** The item's details from the options; the core's schema says what each item needs and names a missing one. */
function itemInput(item: string, o: ItemOptions): Record<string, unknown> {
  const upper = item.toUpperCase();
  const given: Record<string, unknown> = { item: upper };
  if (o.state !== undefined) given.state = o.state;
  if (o.number !== undefined) given.licenseNumber = o.number;
  if (o.expires !== undefined) given.expiresOn = o.expires;
  if (o.insurer !== undefined) given.carrier = o.insurer;
  if (o.completed !== undefined) given.completedOn = o.completed;
  if (o.holderNpn !== undefined) given.holderNpn = o.holderNpn;
  if (o.limit !== undefined) {
    const limit = Number(o.limit.replace(/[$,_]/g, ''));
    if (!Number.isFinite(limit)) throw new InputError(`--limit: "${o.limit}" is not a number of dollars, such as 1000000`);
    given.limit = limit;
  }
  return given;
}

/** Checks the file by its bytes and keeps it in the document store; the request then holds its hash. */
async function storedFile(file: string): Promise<Record<string, unknown>> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`--file: cannot read ${file}: ${code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : (err as Error).message}.`);
  }
  const session = Session.open();
  const maxBytes = session.config.env.BGA_DOCUMENT_MAX_MB * 1024 * 1024;
  const fileName = path.basename(file);
  const inspected = await inspectDocument(fileName, bytes, maxBytes);
  if (!inspected.ok) throw new InputError(`--file: ${inspected.problem}`);
  await documentStoreFor(session.config).put(inspected.sha256, bytes);
  return { sha256: inspected.sha256, fileName, contentType: inspected.contentType, size: inspected.size };
}

export function registerContractingCommands(program: Command): void {
  const contracting = program.command('contracting').description('broker contracting: one request per broker and carrier, from packet to appointment');

  const start = withChangeOptions(
    contracting
      .command('start')
      .description('start contracting for a broker with a carrier (or show the request already running)')
      .argument('<npn>')
      .argument('<carrier>', 'carrier code, such as SUMMIT')
      .option('--resident <state>', "the broker's resident state, kept on the broker record"),
  ).action(async (npn: string, carrier: string, o: ActionOptions & { resident?: string }) => {
    await inSession(async (session) => {
      const view = await startContracting(await session.client(), session.config.temporal.taskQueue, await session.db(), {
        npn,
        carrier,
        actor: o.as,
        ...(o.resident ? { residentState: o.resident } : {}),
      });
      return o.json ? printJson(view) : printView(view);
    });
  });
  examples(start, ['bga contracting start 17654321 SUMMIT --resident GA']);

  const status = withJson(
    contracting.command('status').description('what a contracting request is missing and who it waits on').argument('<npn>').argument('[carrier]'),
  ).action(async (npn: string, carrier: string | undefined, o: JsonOption) => {
    await inSession((session) => statusOf(session, npn, carrier, o.json));
  });
  examples(status, ['bga contracting status 17654321', 'bga contracting status 17654321 SUMMIT --json']);

  const list = withJson(
    contracting.command('list').description('contracting requests, newest first (needs DATABASE_URL)').option('--open', 'only requests still running'),
  ).action(async (o: JsonOption & { open?: boolean }) => {
    await inSession(async (session) => {
      const rows = await listContracting(await session.db(), { open: o.open ?? false });
      if (o.json) return printJson({ contracting: rows });
      if (!rows.length) return print('Contracting requests: none');
      print(
        [
          `Contracting requests (${rows.length}):`,
          table(
            ['NPN', 'Broker', 'Carrier', 'Stage', 'Since', 'Waiting on', 'Missing', 'Cases'],
            rows.map((r) => [r.npn, clip(r.brokerName, 24), r.carrierCode, r.stage, r.stageEnteredAt.slice(0, 10), r.waitingOn ?? '—', r.missing.length, r.caseIds.length]),
          ),
        ].join('\n'),
      );
    });
  });
  examples(list, ['bga contracting list --open']);

  /** One input to a running request, answered with the request as it stands after it. */
  const send = (name: Parameters<typeof actOnContracting>[3], npn: string, carrier: string, input: Record<string, unknown>, o: ActionOptions) =>
    inSession(async (session) => {
      const view = await actOnContracting(await session.client(), npn, carrier, name, { actor: o.as, ...input }, o.requestId);
      return o.json ? printJson(view) : printView(view);
    });

  const receive = withActionOptions(
    contracting
      .command('receive')
      .description('record a packet item the broker sent')
      .argument('<npn>')
      .argument('<carrier>')
      .argument('<item>', 'CARRIER_CONTRACT, W9, EO_CERTIFICATE, AML_TRAINING, RESIDENT_LICENSE or NONRESIDENT_LICENSE')
      .option('--insurer <name>', 'E&O: the insurer on the certificate')
      .option('--limit <dollars>', 'E&O: the limit of cover')
      .option('--expires <date>', 'E&O or licence: expiry date, YYYY-MM-DD')
      .option('--completed <date>', 'AML training: completion date, YYYY-MM-DD')
      .option('--state <state>', 'licence: its state')
      .option('--number <licence>', 'licence: its number')
      .option('--holder-npn <npn>', 'the NPN the certificate or licence names, checked against the broker')
      .option('--file <path>', 'the copy the broker sent (PDF, TIFF, JPEG or PNG): kept encrypted, and sent to the carrier with the appointment request'),
  ).action(async (npn: string, carrier: string, item: string, o: ItemOptions) => {
    const input = itemInput(item, o);
    if (o.file) input.file = await storedFile(o.file);
    await send('receive-item', npn, carrier, input, o);
  });
  examples(receive, [
    'bga contracting receive 17654321 SUMMIT W9',
    'bga contracting receive 17654321 SUMMIT EO_CERTIFICATE --insurer "Acme Professional" --limit 1000000 --expires 2027-09-30',
    'bga contracting receive 17654321 SUMMIT RESIDENT_LICENSE --state GA --number GA-889201 --expires 2028-04-30',
  ]);

  const reject = withActionOptions(
    contracting
      .command('reject')
      .description('send a received item back to the broker, saying why')
      .argument('<npn>')
      .argument('<carrier>')
      .argument('<item>')
      .requiredOption('--reason <text>', 'told to the broker')
      .option('--state <state>', 'which licence, when the broker sent several'),
  ).action((npn: string, carrier: string, item: string, o: ActionOptions & { reason: string; state?: string }) =>
    send('reject-item', npn, carrier, { item: item.toUpperCase(), reason: o.reason, ...(o.state ? { state: o.state } : {}) }, o),
  );
  examples(reject, ['bga contracting reject 17654321 SUMMIT W9 --reason "The form is not signed"']);

  const appointed = withActionOptions(
    contracting
      .command('appointed')
      .description("record the carrier's appointment; every case held for it is released")
      .argument('<npn>')
      .argument('<carrier>')
      .requiredOption('--on <date>', 'appointment date, YYYY-MM-DD')
      .option('--appointment-id <id>', "the carrier's reference"),
  ).action((npn: string, carrier: string, o: ActionOptions & { on: string; appointmentId?: string }) =>
    send('carrier-appointed', npn, carrier, { appointedOn: o.on, ...(o.appointmentId ? { appointmentId: o.appointmentId } : {}) }, o),
  );
  examples(appointed, ['bga contracting appointed 17654321 SUMMIT --on 2026-12-14 --appointment-id SM-APPT-2231']);

  const declined = withActionOptions(
    contracting.command('declined').description('record that the carrier declined the appointment').argument('<npn>').argument('<carrier>').requiredOption('--reason <text>'),
  ).action((npn: string, carrier: string, o: ActionOptions & { reason: string }) => send('carrier-declined', npn, carrier, { reason: o.reason }, o));
  examples(declined, ['bga contracting declined 17654321 SUMMIT --reason "Open complaint with the department of insurance"']);

  const cancel = withActionOptions(
    contracting.command('cancel').description('stop a contracting request').argument('<npn>').argument('<carrier>').requiredOption('--reason <text>'),
  ).action((npn: string, carrier: string, o: ActionOptions & { reason: string }) => send('cancel', npn, carrier, { reason: o.reason }, o));
  examples(cancel, ['bga contracting cancel 17654321 SUMMIT --reason "Broker left the agency"']);
}
