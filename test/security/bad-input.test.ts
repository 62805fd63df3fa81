import { WorkflowNotFoundError } from '@temporalio/client';
import { InvalidApplicationError, validateApplication } from '../../client/cases';
import { ActionRefusedError, act, CaseNotFoundError } from '../../client/operations';
import { ApplicationSchema, caseIdFor, type FieldError } from '../../domain/application';
import type { CaseState } from '../../domain/case';
import { eventually } from '../helpers/eventually';
import { World } from '../helpers/world';
import { acceptedOddNames, badActions, badApplications, LIVE_KEYS, validApplication } from './bad-input-corpus';

/*
 * Bad input is refused at the door: an application never starts a workflow, writes a row or
 * sends an email; an action never changes a case. Runs against the Temporal dev server rather
 * than the time-skipping test server: it starts sooner than the Java test server, nothing below
 * waits on a timer (so time skipping buys nothing), and it has the real visibility store, so
 * "no workflow was started" is checked by listing the whole namespace.
 */

let world: World;
beforeAll(async () => {
  world = await World.create('dev-server');
});
afterAll(async () => world?.close());

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** parseAction writes `field: message` pairs after "Invalid input — ", joined by "; "; case checks start with `field: `. */
const namesField = (message: string, field: string) => new RegExp(`(?:^|— |; )${escapeRegExp(field)}: `).test(message);

async function refusal<E extends Error>(p: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const outcome = await p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a ${type.name}, but it was accepted: ${JSON.stringify(outcome.value)?.slice(0, 200)}`);
  const error = outcome.error as Error;
  // Compared as name and message first, so a failure shows what was thrown instead.
  expect({ error: error?.constructor?.name, message: error?.message }).toEqual({ error: type.name, message: expect.any(String) });
  expect(error).toBeInstanceOf(type);
  return error as E;
}

const describeErrors = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`);

describe('applications', () => {
  test('the corpus bases are valid, so each entry is refused for its own change', async () => {
    for (const kind of ['summit-wl', 'harbor-term'] as const) {
      await expect(validateApplication(validApplication(kind))).resolves.toMatchObject({ carrier: kind === 'summit-wl' ? 'SUMMIT' : 'HARBOR' });
    }
    expect(badApplications.length).toBeGreaterThanOrEqual(40);
  });

  test.each(badApplications.map((c) => [c.name, c] as const))('refuses %s', async (_, c) => {
    const err = await refusal(world.submit(c.input), InvalidApplicationError);
    const onField = err.errors.filter((e) => e.field === c.field);
    expect(describeErrors(err.errors)).toContainEqual(expect.stringMatching(new RegExp(`^${escapeRegExp(c.field)}: `)));
    if (c.message) expect(onField.map((e) => e.message)).toContainEqual(expect.stringMatching(c.message));
    // The message a broker reads names the field too.
    expect(err.message).toContain(`${c.field}: `);
  });

  test.each(acceptedOddNames.map((c) => [c.name, c] as const))('accepts, by decision, a last name with %s', (_, c) => {
    const parsed = ApplicationSchema.safeParse(validApplication('summit-wl', (a) => (a.insured.lastName = c.lastName)));
    expect(parsed.success && parsed.data.insured.lastName).toBe(c.lastName);
  });

  test('after the whole corpus: no workflow, no case row, no email', async () => {
    // Strongly consistent: each application's own workflow ID is unknown to the server.
    const ids = badApplications.flatMap(({ input }) => {
      const app = input as { carrier?: unknown; applicationNumber?: unknown } | null;
      return app && typeof app.carrier === 'string' && typeof app.applicationNumber === 'string' ? [caseIdFor(app.carrier, app.applicationNumber)] : [];
    });
    expect(ids.length).toBeGreaterThan(badApplications.length - 10);
    for (const id of ids) {
      await expect(world.handle(id).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    }
    // And the namespace as a whole holds no workflow of any type.
    const listed: string[] = [];
    for await (const wf of world.client.workflow.list()) listed.push(wf.workflowId);
    expect(listed).toEqual([]);

    expect(await world.db.case.count()).toBe(0);
    expect(await world.db.party.count()).toBe(0);
    expect(await world.db.broker.count()).toBe(0);
    expect(await world.db.emailMessage.count()).toBe(0);
    expect(world.smtp.messages).toEqual([]);
  });
});

describe('actions on a live case', () => {
  let caseId: string;
  let before: Snapshot;

  interface Snapshot {
    state: CaseState;
    row: unknown;
    brokers: unknown;
    emailRows: unknown;
    smtpKeys: string[];
  }

  async function snapshot(): Promise<Snapshot> {
    const state = await world.state(caseId);
    const row = await world.db.case.findUniqueOrThrow({
      where: { id: caseId },
      include: {
        parties: { orderBy: { role: 'asc' } },
        requirements: { orderBy: { key: 'asc' }, include: { history: { orderBy: { id: 'asc' } } } },
        events: { orderBy: { seq: 'asc' } },
        stageVisits: { orderBy: { id: 'asc' } },
      },
    });
    const brokers = await world.db.broker.findMany({ orderBy: { npn: 'asc' }, include: { licenses: true, appointments: true } });
    const emailRows = await world.db.emailMessage.findMany({ orderBy: { idempotencyKey: 'asc' } });
    return { state, row, brokers, emailRows, smtpKeys: world.smtp.messages.map((m) => m.idempotencyKey).sort() };
  }

  beforeAll(async () => {
    ({ caseId } = await world.submit(validApplication('summit-wl')));
    // Wait until intake, the vendor orders and their emails are done and nothing moves any more.
    before = await eventually(
      async () => {
        const s = await world.state(caseId);
        expect(s?.stage).toBe('REQUIREMENTS');
        expect(s.requirements.filter((r) => r.vendorCode).every((r) => r.status === 'ORDERED')).toBe(true);
        expect((await world.handle(caseId).describe()).raw.pendingActivities ?? []).toHaveLength(0);
        const first = await snapshot();
        await new Promise((r) => setTimeout(r, 300));
        const second = await snapshot();
        expect(second).toEqual(first);
        return second;
      },
      30_000,
      300,
    );
    expect(before.state.requirements.map((r) => r.key)).toEqual(expect.arrayContaining(Object.values(LIVE_KEYS)));
    expect(before.smtpKeys).toEqual(expect.arrayContaining([`${caseId}:acknowledgement`]));
  });

  test('the corpus covers every action at least once', () => {
    expect(badActions.length).toBeGreaterThanOrEqual(20);
    expect(new Set(badActions.map((c) => c.action))).toEqual(
      new Set(['receive-requirement', 'waive-requirement', 'add-requirement', 'review', 'review-requirement', 'vendor-status', 'decision', 'offer-response', 'record-appointment', 'withdraw', 'note']),
    );
  });

  test.each(badActions.map((c) => [c.action, c.name, c] as const))('%s: refuses %s', async (_, __, c) => {
    const err = await refusal(act(world.client, caseId, c.action, c.input as Record<string, unknown>), ActionRefusedError);
    expect({ field: c.field, named: namesField(err.message, c.field), message: err.message.slice(0, 300) }).toMatchObject({ field: c.field, named: true });
    if (c.message) expect(err.message).toMatch(c.message);
  });

  test('after every refusal the case, its rows and its emails are as they were; the trail records each refusal', async () => {
    // Give any effect a refused action might have started the time to land before comparing.
    await new Promise((r) => setTimeout(r, 500));
    const after = await snapshot();
    // What a refusal may add: its request record and its REQUEST_REFUSED event, nothing else.
    const business = ({ recentEvents: _e, nextSeq: _n, requests: _r, ...rest }: CaseState) => rest;
    expect(business(after.state)).toEqual(business(before.state));
    expect(after.state.nextSeq - before.state.nextSeq).toBe(badActions.length);
    expect(new Set(after.state.recentEvents.filter((e) => e.seq >= before.state.nextSeq).map((e) => e.type))).toEqual(new Set(['REQUEST_REFUSED']));
    expect(after.state.requests?.map((r) => r.status)).toEqual(badActions.map(() => 'REFUSED'));
    // The sync that writes the refusals touches the case row's updatedAt, and nothing else of it.
    const rowOf = (row: unknown) => {
      const { updatedAt: _u, events, ...rest } = row as { updatedAt: Date; events: { type: string }[] };
      return { ...rest, events: events.filter((e) => e.type !== 'REQUEST_REFUSED') };
    };
    expect(rowOf(after.row)).toEqual(rowOf(before.row));
    expect((after.row as { events: { type: string }[] }).events.filter((e) => e.type === 'REQUEST_REFUSED')).toHaveLength(badActions.length);
    expect(after.brokers).toEqual(before.brokers);
    expect(after.emailRows).toEqual(before.emailRows);
    expect(after.smtpKeys).toEqual(before.smtpKeys);
  });

  test('an action on a case that does not exist is CaseNotFoundError', async () => {
    const missing = caseIdFor('SUMMIT', 'SM-NO-SUCH-CASE');
    const err = await refusal(act(world.client, missing, 'note', { actor: 'cm:jordan', text: 'hello?' }), CaseNotFoundError);
    expect(err.caseId).toBe(missing);
    expect(err.message).toContain(missing);
  });

  describe('on a closed case', () => {
    const attempts = [
      ['note', { actor: 'cm:jordan', text: 'one more thing' }],
      ['receive-requirement', { actor: 'cm:jordan', key: LIVE_KEYS.aps }],
      ['decision', { actor: 'carrier:SUMMIT', decision: 'DECLINED', reason: 'too late' }],
    ] as const;
    let emailsAtClose: number;
    let eventsAtClose: number;

    beforeAll(async () => {
      // A valid withdrawal closes the case; the workflow completes.
      const closed = await act(world.client, caseId, 'withdraw', { actor: 'cm:jordan', reason: 'client changed their mind' });
      expect(closed.stage).toBe('CLOSED');
      await expect(world.handle(caseId).result()).resolves.toMatchObject({ outcome: 'WITHDRAWN' });
      emailsAtClose = await world.db.emailMessage.count();
      eventsAtClose = await world.db.caseEvent.count({ where: { caseId } });
    });

    test('actions are refused and change nothing', async () => {
      for (const [action, input] of attempts) {
        await expect(act(world.client, caseId, action, input)).rejects.toThrow();
      }
      const row = await world.db.case.findUniqueOrThrow({ where: { id: caseId } });
      expect(row.outcome).toBe('WITHDRAWN');
      // A closed workflow takes no signal: nothing reaches the case, not even a refusal record.
      expect(await world.db.caseEvent.count({ where: { caseId } })).toBe(eventsAtClose);
      expect(await world.db.emailMessage.count()).toBe(emailsAtClose);
    });

    test.each(attempts.map(([action, input]) => [action, input] as const))('%s is refused with ActionRefusedError naming that the case is closed', async (action, input) => {
      const err = await refusal(act(world.client, caseId, action, input), ActionRefusedError);
      expect(err.message).toMatch(new RegExp(`Case ${escapeRegExp(caseId)} is closed`));
    });
  });
});
