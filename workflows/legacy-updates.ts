import { ApplicationFailure, condition, defineUpdate, setHandler } from '@temporalio/workflow';
import type { CaseState } from '../domain/case';
import type { CaseCore } from '../domain/case-core/core';
import { type ActionName, Refusal } from '../domain/case-core/requests';

/*
 * Before actions were signals, they reached cases as Temporal Updates. Cases opened then have
 * accepted updates in their histories, and replaying those needs a handler for each. Only such
 * cases register these (see applicationWorkflow), and a live update is refused: callers send
 * signals. Such a case moves to the signal-only shell at its next continue-as-new; delete this
 * file once none is running (see README, Upgrades).
 */

/** Every action of that time; later ones (resubmit, the document actions) only ever came as signals. */
const UPDATE_NAMES: Record<Exclude<ActionName, 'resubmit' | 'receive-document' | 'review-document' | 'contracting-outcome'>, string> = {
  'receive-requirement': 'receiveRequirement',
  'waive-requirement': 'waiveRequirement',
  'add-requirement': 'addRequirement',
  review: 'review',
  'review-requirement': 'reviewRequirement',
  'vendor-status': 'vendorStatus',
  decision: 'carrierDecision',
  'offer-response': 'offerResponse',
  'record-appointment': 'recordAppointment',
  'recheck-licensing': 'recheckLicensing',
  withdraw: 'withdraw',
  note: 'note',
};

export function registerLegacyUpdates(core: () => CaseCore | undefined, runEffects: () => Promise<void>): void {
  for (const [action, name] of Object.entries(UPDATE_NAMES) as [keyof typeof UPDATE_NAMES, string][]) {
    setHandler(
      defineUpdate<CaseState, [Record<string, unknown>]>(name),
      async (input: Record<string, unknown>) => {
        if (!core()) await condition(() => core() !== undefined);
        try {
          core()!.decide(action, input);
        } catch (err) {
          if (err instanceof Refusal) throw ApplicationFailure.nonRetryable(err.message, 'ActionRefused');
          throw err;
        }
        await runEffects();
        return core()!.state;
      },
      {
        validator: (_input: Record<string, unknown>) => {
          throw new Error(`Actions are sent as signals now; run \`bga\` or the API of this release to ${action}.`);
        },
      },
    );
  }
}
