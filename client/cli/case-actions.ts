import { Argument, type Command } from 'commander';
import { CarrierDecisionSchema } from '../../domain/actions';
import { runAction } from './action';
import { type ActionOptions, allOrNone, examples, exactlyOne, oneOf, withActionOptions } from './options';

/* Actions on the case as a whole. Options left out are undefined and drop out of the JSON payload. */

const DECISIONS = CarrierDecisionSchema.options.map((o) => o.shape.decision.value);

function registerReview(program: Command): void {
  const cmd = withActionOptions(
    program
      .command('review')
      .description('completeness review: resolve NIGO items, return new ones to the broker, or confirm good order')
      .argument('<caseId>')
      .option('--resolve <keys...>', 'NIGO item keys now resolved, as `bga status` lists them')
      .option('--return <items...>', 'new items to return to the broker, one quoted sentence each')
      .option('--in-good-order', 'everything is in order: resolves all open items')
      .option('--note <text>', 'note for the case history'),
  ).action(async (caseId: string, o: ActionOptions & { resolve?: string[]; return?: string[]; inGoodOrder?: boolean; note?: string }) => {
    const input = { resolvedItems: o.resolve, returnItems: o.return, inGoodOrder: o.inGoodOrder, note: o.note };
    await runAction(caseId, 'review', input, o, 'Completeness review recorded.', {
      flags: { '(input)': 'a review', resolvedItems: '--resolve', returnItems: '--return', inGoodOrder: '--in-good-order' },
    });
  });
  examples(cmd, [
    'bga review case-harbor-hl-558120 --resolve MISSING_SIGNATURE:HIPAA:insured',
    'bga review case-harbor-hl-558120 --return "Owner signature missing on the trust certification"',
    'bga review case-harbor-hl-558120 --in-good-order --note "originals received by courier"',
  ]);
}

interface DecisionOptions extends ActionOptions {
  class?: string;
  rating?: string;
  reason?: string;
  until?: string;
  policyNumber?: string;
  note?: string;
}

function registerDecision(program: Command): void {
  const cmd = withActionOptions(
    program
      .command('decision')
      .description("record the carrier's underwriting decision, or the policy's issue")
      .argument('<caseId>')
      .addArgument(new Argument('<decision>', `one of ${DECISIONS.join(', ')}`).argParser(oneOf(DECISIONS)))
      .option('--class <riskClass>', 'risk class approved (APPROVED_*), e.g. "Preferred Non-Tobacco"')
      .option('--rating <rating>', 'table rating or flat extra (APPROVED_OTHER_THAN_APPLIED)')
      .option('--reason <reason>', 'why (POSTPONED, DECLINED)')
      .option('--until <postponeUntil>', 'postponed until, YYYY-MM-DD (POSTPONED)')
      .option('--policy-number <policyNumber>', 'the issued policy number (ISSUED)')
      .option('--note <text>', 'note (APPROVED_*)'),
  ).action(async (caseId: string, decision: string, o: DecisionOptions) => {
    const input = { decision, riskClass: o.class, rating: o.rating, reason: o.reason, postponeUntil: o.until, policyNumber: o.policyNumber, note: o.note };
    await runAction(caseId, 'decision', input, o, `Decision ${decision} recorded.`, {
      flags: { riskClass: '--class', postponeUntil: '--until' },
      requiredFor: decision,
    });
  });
  examples(cmd, [
    'bga decision case-summit-sm-2026-10431 APPROVED_AS_APPLIED --class "Preferred Non-Tobacco"',
    'bga decision case-summit-sm-2026-10431 APPROVED_OTHER_THAN_APPLIED --class "Standard" --rating "Table 2"',
    'bga decision case-summit-sm-2026-10431 POSTPONED --reason "recent surgery" --until 2027-06-01',
    'bga decision case-summit-sm-2026-10431 ISSUED --policy-number SL-1002934',
  ]);
}

function registerOffer(program: Command): void {
  const cmd = withActionOptions(
    program
      .command('offer')
      .description("record the client's answer to a counter-offer (approved other than applied)")
      .argument('<caseId>')
      .option('--accept', 'the client takes the offer')
      .option('--decline', 'the client refuses it')
      .option('--note <text>', 'note for the case history'),
  ).action(async (caseId: string, o: ActionOptions & { accept?: boolean; decline?: boolean; note?: string }) => {
    const accepted = exactlyOne({ accept: o.accept, decline: o.decline }) === 'accept';
    await runAction(caseId, 'offer-response', { accepted, note: o.note }, o, `Counter-offer ${accepted ? 'accepted' : 'declined'}.`);
  });
  examples(cmd, ['bga offer case-summit-sm-2026-10431 --accept', 'bga offer case-summit-sm-2026-10431 --decline --note "client bought elsewhere"']);
}

interface AppointmentOptions extends ActionOptions {
  appointedOn?: string;
  licenseState?: string;
  licenseNumber?: string;
  licenseExpires?: string;
}

function registerAppointment(program: Command): void {
  const cmd = withActionOptions(
    program
      .command('appointment')
      .description("record the broker's carrier appointment (and license) for a case held for contracting")
      .argument('<caseId>')
      .option('--appointed-on <date>', 'appointment date, YYYY-MM-DD (default: today, UTC)')
      .option('--license-state <state>', 'license state, e.g. GA (with --license-number and --license-expires)')
      .option('--license-number <number>', 'license number')
      .option('--license-expires <date>', 'license expiry, YYYY-MM-DD'),
  ).action(async (caseId: string, o: AppointmentOptions) => {
    const lic = allOrNone({ licenseState: o.licenseState, licenseNumber: o.licenseNumber, licenseExpires: o.licenseExpires });
    const license = lic && { state: lic.licenseState, licenseNumber: lic.licenseNumber, expiresOn: lic.licenseExpires };
    await runAction(caseId, 'record-appointment', { appointedOn: o.appointedOn ?? new Date().toISOString().slice(0, 10), license }, o, 'Appointment recorded; licensing is checked again.', {
      flags: { 'license.state': '--license-state', 'license.licenseNumber': '--license-number', 'license.expiresOn': '--license-expires' },
    });
  });
  examples(cmd, [
    'bga appointment case-summit-sm-2026-10431',
    'bga appointment case-summit-sm-2026-10431 --appointed-on 2026-11-25 --license-state GA --license-number 3312456 --license-expires 2028-03-31',
  ]);
}

function registerWithdraw(program: Command): void {
  const cmd = withActionOptions(
    program
      .command('withdraw')
      .description('close the case at the broker\'s request (after issue: "not taken")')
      .argument('<caseId>')
      .requiredOption('--reason <text>', 'why the case is withdrawn'),
  ).action(async (caseId: string, o: ActionOptions & { reason: string }) => {
    await runAction(caseId, 'withdraw', { reason: o.reason }, o, 'Case withdrawn.');
  });
  examples(cmd, ['bga withdraw case-summit-sm-2026-10431 --reason "client no longer wants coverage"']);
}

function registerResubmit(program: Command): void {
  const cmd = withActionOptions(
    program
      .command('resubmit')
      .description('send the ACORD 103 again after the carrier refused it for good and what it objected to is fixed')
      .argument('<caseId>')
      .option('--note <text>', 'what was fixed, for the case history'),
  ).action(async (caseId: string, o: ActionOptions & { note?: string }) => {
    await runAction(caseId, 'resubmit', { ...(o.note ? { note: o.note } : {}) }, o, 'Resubmission requested.');
  });
  examples(cmd, ['bga resubmit case-harbor-hl-2026-77120 --note "carrier code corrected in config/rules.json"']);
}

function registerNote(program: Command): void {
  const cmd = withActionOptions(
    program
      .command('note')
      .description('add a note to the case history')
      .argument('<caseId>')
      .argument('<text...>', 'the note; quoting is optional'),
  ).action(async (caseId: string, text: string[], o: ActionOptions) => {
    await runAction(caseId, 'note', { text: text.join(' ') }, o, 'Note added.', { flags: { text: 'the note' } });
  });
  examples(cmd, ['bga note case-summit-sm-2026-10431 "Broker says the client is travelling until Dec 3"']);
}

export function registerCaseActionCommands(program: Command): void {
  registerReview(program);
  registerDecision(program);
  registerOffer(program);
  registerAppointment(program);
  registerWithdraw(program);
  registerResubmit(program);
  registerNote(program);
}
