import { Argument, type Command, Option } from 'commander';
import { AddRequirementSchema, VendorStatusSchema } from '../../domain/actions';
import { runAction } from './action';
import { receiveWithFile } from './document';
import { UsageError } from './errors';
import { type ActionOptions, allOrNone, examples, exactlyOne, oneOf, upper, withActionOptions } from './options';

/*
 * Requirement work on one case. Options left out are undefined and drop out of the JSON
 * payload, so the case's schema sees them as absent.
 */

const VENDOR_STATUSES = VendorStatusSchema.shape.status.options;
const SOURCES = AddRequirementSchema.shape.source.options;

const KEY_HELP = 'requirement key as `bga status` lists it, e.g. PARAMED or PHYSSTMT:priya-natarajan';

function registerReceive(req: Command): void {
  const cmd = withActionOptions(
    req
      .command('receive')
      .description('mark a requirement received')
      .argument('<caseId>')
      .argument('<key>', KEY_HELP)
      .option('--on <receivedOn>', 'date received, YYYY-MM-DD (default: today)')
      .option('--note <text>', 'note kept with the status change')
      .option('--file <path>', 'the document that fulfils it (PDF, TIFF, JPEG or PNG): kept on the case, accepted for the requirement and sent on to the carrier'),
  ).action(async (caseId: string, key: string, o: ActionOptions & { on?: string; note?: string; file?: string }) => {
    if (o.file) {
      if (o.on || o.note) throw new UsageError('--file records the requirement as received today with the file; leave out --on and --note, or add the file with `bga document add`.');
      return receiveWithFile(caseId, key, o.file, o);
    }
    await runAction(caseId, 'receive-requirement', { key, receivedOn: o.on, note: o.note }, o, `Requirement ${key} received.`, { flags: { key: 'the requirement key', receivedOn: '--on' } });
  });
  examples(cmd, ['bga requirement receive case-summit-sm-2026-10431 HIPAA', 'bga requirement receive case-summit-sm-2026-10431 PHYSSTMT:priya-natarajan --on 2026-12-04 --note "12 pages"', 'bga requirement receive case-summit-sm-2026-10431 HIPAA --file signed-hipaa.pdf']);
}

function registerWaive(req: Command): void {
  const cmd = withActionOptions(
    req
      .command('waive')
      .description('waive an open requirement')
      .argument('<caseId>')
      .argument('<key>', KEY_HELP)
      .requiredOption('--reason <text>', 'why it is no longer needed'),
  ).action(async (caseId: string, key: string, o: ActionOptions & { reason: string }) => {
    await runAction(caseId, 'waive-requirement', { key, reason: o.reason }, o, `Requirement ${key} waived.`, { flags: { key: 'the requirement key' } });
  });
  examples(cmd, ['bga requirement waive case-summit-sm-2026-10431 EKGREST --reason "ECG from March on file with the carrier"']);
}

interface AddOptions extends ActionOptions {
  source: string;
  description?: string;
  carrierOrder?: string;
  physicianName?: string;
  physicianPhone?: string;
  note?: string;
}

function registerAdd(req: Command): void {
  const cmd = withActionOptions(
    req
      .command('add')
      .description('add a requirement: asked for by the carrier, or added by the case manager')
      .argument('<caseId>')
      .addArgument(new Argument('<code>', 'requirement code, e.g. PHYSSTMT, FINSUPP, INSPRPT').argParser(upper))
      .addOption(new Option('--source <source>', `who asks for it: ${SOURCES.join(' or ')}`).argParser(oneOf(SOURCES)).default('MANUAL'))
      .option('--description <text>', 'wording to use instead of the catalogue description')
      .option('--carrier-order <carrierOrderNumber>', "the carrier's order number")
      .option('--physician-name <name>', 'for an APS: the physician (with --physician-phone)')
      .option('--physician-phone <phone>', "for an APS: the physician's phone")
      .option('--note <text>', 'note for the case history'),
  ).action(async (caseId: string, code: string, o: AddOptions) => {
    const physician = allOrNone({ physicianName: o.physicianName, physicianPhone: o.physicianPhone });
    const input = {
      code,
      source: o.source,
      description: o.description,
      carrierOrderNumber: o.carrierOrder,
      physician: physician && { name: physician.physicianName, phone: physician.physicianPhone },
      note: o.note,
    };
    await runAction(caseId, 'add-requirement', input, o, `Requirement ${code} added.`, {
      flags: { code: 'the requirement code', carrierOrderNumber: '--carrier-order', 'physician.name': '--physician-name', 'physician.phone': '--physician-phone' },
    });
  });
  examples(cmd, [
    'bga requirement add case-summit-sm-2026-10431 FINSUPP --source CARRIER --carrier-order UW-88123',
    'bga requirement add case-summit-sm-2026-10431 PHYSSTMT --physician-name "Dr. Ana Ruiz" --physician-phone 404-555-0199',
  ]);
}

function registerReview(req: Command): void {
  const cmd = withActionOptions(
    req
      .command('review')
      .description('accept a received requirement, or reject it so it is chased again')
      .argument('<caseId>')
      .argument('<key>', KEY_HELP)
      .option('--accept', 'the requirement is usable')
      .option('--reject', 'the requirement must be redone; it goes back to outstanding')
      .option('--note <text>', 'what was wrong, or any remark'),
  ).action(async (caseId: string, key: string, o: ActionOptions & { accept?: boolean; reject?: boolean; note?: string }) => {
    const result = exactlyOne({ accept: o.accept, reject: o.reject }) === 'accept' ? 'ACCEPTED' : 'REJECTED';
    await runAction(caseId, 'review-requirement', { key, result, note: o.note }, o, `Requirement ${key} ${result.toLowerCase()}.`, { flags: { key: 'the requirement key' } });
  });
  examples(cmd, ['bga requirement review case-summit-sm-2026-10431 BLOOD --accept', 'bga requirement review case-summit-sm-2026-10431 HIPAA --reject --note "signature missing on page 2"']);
}

export function registerRequirementCommands(program: Command): void {
  const req = program.command('requirement').description("work a case's requirements: receive, waive, add, review");
  examples(req, [
    'bga requirement receive case-summit-sm-2026-10431 HIPAA',
    'bga requirement add case-summit-sm-2026-10431 FINSUPP --source CARRIER',
    'bga requirement receive --help',
  ]);
  registerReceive(req);
  registerWaive(req);
  registerAdd(req);
  registerReview(req);

  const vendor = withActionOptions(
    program
      .command('vendor-status')
      .description("record what an exam, APS or inspection vendor reports on an order")
      .argument('<caseId>')
      .argument('<key>', KEY_HELP)
      .addArgument(new Argument('<status>', `one of ${VENDOR_STATUSES.join(', ')}`).argParser(oneOf(VENDOR_STATUSES)))
      .option('--date <scheduledFor>', 'appointment date, YYYY-MM-DD (required for SCHEDULED)')
      .option('--order-number <providerOrderNumber>', "the vendor's order number")
      .option('--note <text>', 'what the vendor said'),
  ).action(async (caseId: string, key: string, status: string, o: ActionOptions & { date?: string; orderNumber?: string; note?: string }) => {
    const input = { key, status, scheduledFor: o.date, providerOrderNumber: o.orderNumber, note: o.note };
    await runAction(caseId, 'vendor-status', input, o, `Vendor status ${status} recorded for ${key}.`, {
      flags: { key: 'the requirement key', scheduledFor: '--date', providerOrderNumber: '--order-number' },
      requiredFor: status,
    });
  });
  examples(vendor, [
    'bga vendor-status case-summit-sm-2026-10431 PARAMED SCHEDULED --date 2026-12-02',
    'bga vendor-status case-summit-sm-2026-10431 PHYSSTMT:priya-natarajan DELAYED --note "office asks for a new HIPAA"',
  ]);
}
