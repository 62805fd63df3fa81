import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { loadRulesConfig } from '../activities/rules-config';
import { type Application, ApplicationSchema, caseIdFor, type FieldError, toFieldErrors } from '../domain/application';
import { checkIntake } from '../domain/intake';
import type { ApplicationWorkflowInput, ApplicationWorkflowResult } from '../workflows/application';
import { BrokerNpnKey, CarrierKey, FaceAmountKey, ProductTypeKey, StageKey } from '../workflows/search-attributes';

export class InvalidApplicationError extends Error {
  override name = 'InvalidApplicationError';
  constructor(readonly errors: FieldError[]) {
    super(`The application is not valid:\n${errors.map((e) => `  ${e.field}: ${e.message}`).join('\n')}`);
  }
}

export class AlreadySubmittedError extends Error {
  override name = 'AlreadySubmittedError';
  constructor(readonly caseId: string, carrier: string, applicationNumber: string) {
    super(
      `Application ${applicationNumber} for ${carrier} was already submitted as case ${caseId}; no second pipeline was started. ` +
        `See it with \`bga status ${caseId}\`.`,
    );
  }
}

/** Schema first, then the carrier rules (known carrier, plan, grid availability); every error by field. */
export async function validateApplication(raw: unknown, today = new Date().toISOString().slice(0, 10)): Promise<Application> {
  const parsed = ApplicationSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidApplicationError(toFieldErrors(parsed.error, raw));
  const errors = checkIntake(parsed.data, await loadRulesConfig(), today);
  if (errors.length) throw new InvalidApplicationError(errors);
  return parsed.data;
}

export interface SubmittedCase {
  caseId: string;
  runId: string;
}

/**
 * Validates and starts the application's workflow. The workflow ID is the business key
 * (carrier + application number), so a second submission of the same application is
 * refused by Temporal itself, even from two clients at once. `today` is the date the signing
 * date is checked against: the wall clock's, unless the Temporal server keeps another (a
 * time-skipping test server).
 */
export async function submitApplication(client: Client, taskQueue: string, raw: unknown, opts: { today?: string } = {}): Promise<SubmittedCase> {
  const application = await validateApplication(raw, opts.today);
  const caseId = caseIdFor(application.carrier, application.applicationNumber);
  const p = application.product;
  try {
    const handle = await client.workflow.start('applicationWorkflow', {
      workflowId: caseId,
      taskQueue,
      args: [{ kind: 'new', application } satisfies ApplicationWorkflowInput],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      staticSummary: `${application.carrier} ${p.type} ${p.plan} $${p.faceAmount.toLocaleString('en-US')} — app ${application.applicationNumber}`,
      staticDetails: `Broker NPN ${application.broker.npn}, signed in ${application.stateOfSigning} on ${application.signedOn}`,
      typedSearchAttributes: [
        { key: StageKey, value: 'COMPLETENESS_REVIEW' },
        { key: CarrierKey, value: application.carrier },
        { key: BrokerNpnKey, value: application.broker.npn },
        { key: ProductTypeKey, value: p.type },
        { key: FaceAmountKey, value: p.faceAmount },
      ],
    });
    return { caseId, runId: handle.firstExecutionRunId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new AlreadySubmittedError(caseId, application.carrier, application.applicationNumber);
    }
    throw err;
  }
}

export type { ApplicationWorkflowResult };
