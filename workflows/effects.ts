import { ActivityFailure, ApplicationFailure, condition, patched, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { CaseDocument, CaseEvent, CaseRequirement } from '../domain/case';
import { type CaseCore, type Effect, markRecorded } from '../domain/case-core/core';
import type { Email } from '../domain/case-core/emails';
import type { VendorRef } from '../domain/evaluation';
import { describeCase, searchAttributesFor } from './visibility';

/*
 * Running what the case core lists: the database sync, emails, vendor orders and appointment
 * records. Each effect's identity comes from the case (email keys, requirement keys), so a
 * retry or a replay never repeats it.
 */

/** The activities the effects call, bound to the case by the workflow. */
export interface EffectPorts {
  syncCase(changes: { events: CaseEvent[]; requirements: CaseRequirement[] }): Promise<void>;
  sendEmail(email: Email): Promise<unknown>;
  orderRequirement(r: CaseRequirement, vendor: VendorRef): Promise<{ providerOrderNumber: string; channel: string }>;
  recordAppointment(a: Extract<Effect, { kind: 'record-appointment' }>): Promise<unknown>;
  forwardDocument(document: CaseDocument, requirement: CaseRequirement | undefined): Promise<unknown>;
}

/** What the lane tells the shell as it goes, each call a consequence of one activity result alone. */
export interface LaneHooks {
  /** An order went out and its requirement now has a follow-up date. */
  followUpSet?(r: CaseRequirement): void;
  /**
   * Search attributes wait for the database sync of the change they show: on the dev server an
   * upsert's visibility write takes SQLite's one writer lock ahead of the sync's dispatch.
   */
  searchAfterSync?: boolean;
}

export interface EffectRunner {
  /** After the case moved: starts (or, serially, runs) what it listed. */
  afterStep(): Promise<void>;
  /** Before the shell awaits an activity of its own (licensing check, submission). */
  beforeWaiting(): Promise<void>;
  /** Whether the shell should step again to start what is waiting. */
  wantsStep(): boolean;
  /** Until everything listed so far has run and the database holds the case as it is. */
  drain(): Promise<void>;
  /** For the Update handlers of cases opened before signals: runs everything, in order. */
  flush(): Promise<void>;
  /** Runs one of the shell's own activities in its turn, so that it never runs beside an effect. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

function emailSent(core: CaseCore, email: Email): void {
  core.book.event('EMAIL_SENT', 'system', email.summary, { key: email.key, template: email.data.template });
}

function emailFailed(core: CaseCore, email: Email, err: ActivityFailure): void {
  core.book.event('EMAIL_FAILED', 'system', `${email.summary} could not be delivered: ${err.cause?.message ?? err.message}`, { key: email.key });
}

async function deliverEmail(core: CaseCore, ports: EffectPorts, email: Email): Promise<void> {
  try {
    await ports.sendEmail(email);
    emailSent(core, email);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    emailFailed(core, email, err);
  }
}

function orderRefused(core: CaseCore, r: CaseRequirement, vendorName: string, reason: string): void {
  core.book.event('ORDER_REFUSED', 'system', `${r.description}: ${vendorName} refused the order — ${reason}`, { key: r.key, vendorCode: r.vendorCode, reason });
}

interface OrderToPlace {
  r: CaseRequirement;
  vendor: VendorRef;
}

/** The requirement and vendor of an order still to place; undefined when there is none to place. */
function orderToPlace(core: CaseCore, key: string, unknownVendorIsRefusal: boolean): OrderToPlace | undefined {
  const state = core.state;
  const r = core.book.requirement(key);
  if (!r || r.status !== 'OUTSTANDING' || !r.vendorCode) return undefined;
  const vendor = state.rules.vendors[r.vendorCode];
  if (!vendor) {
    if (!unknownVendorIsRefusal) throw ApplicationFailure.nonRetryable(`Vendor ${r.vendorCode} is not configured for ${state.carrierCode}`);
    orderRefused(core, r, r.vendorCode, `vendor ${r.vendorCode} is not configured for ${state.carrierCode}`);
    return undefined;
  }
  return { r, vendor };
}

/** Refused for good (a 4xx, a permanent SMTP answer): a person takes it from the worklist. The case goes on. */
function orderFailed(core: CaseCore, { r, vendor }: OrderToPlace, err: ActivityFailure): void {
  orderRefused(core, r, vendor.name, err.cause?.message ?? err.message);
}

function orderPlaced(core: CaseCore, { r, vendor }: OrderToPlace, order: { providerOrderNumber: string; channel: string }, hooks: LaneHooks): void {
  r.providerOrderNumber = order.providerOrderNumber;
  // Received, waived or cancelled while the order was on its way (a slow vendor channel, a
  // document that came in first): the later status stands. Added after cases were running;
  // the marker is written only when this happens.
  const current = core.book.requirement(r.key)!.status;
  if (current !== 'OUTSTANDING' && patched('order-keeps-later-status')) {
    core.book.event('ORDER_AFTER_STATUS', 'system', `${r.description}: order ${order.providerOrderNumber} reached ${vendor.name} after it was already ${current.toLowerCase()}`, {
      key: r.key,
    });
    return;
  }
  r.nextFollowUpOn = core.addDays(core.today(), vendor.followUpBusinessDays);
  core.book.setStatus(r, 'ORDERED', 'system', `order ${order.providerOrderNumber} sent to ${vendor.name} by ${order.channel}`);
  hooks.followUpSet?.(r);
}

async function orderRequirement(core: CaseCore, ports: EffectPorts, key: string, unknownVendorIsRefusal: boolean, hooks: LaneHooks = {}): Promise<void> {
  const placing = orderToPlace(core, key, unknownVendorIsRefusal);
  if (!placing) return;
  let order: { providerOrderNumber: string; channel: string };
  try {
    order = await ports.orderRequirement(placing.r, placing.vendor);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    orderFailed(core, placing, err);
    return;
  }
  orderPlaced(core, placing, order, hooks);
}

function documentToForward(core: CaseCore, documentId: string): CaseDocument | undefined {
  const d = core.state.documents?.find((x) => x.id === documentId);
  return !d || d.forwardedAt ? undefined : d;
}

function forwardFailed(core: CaseCore, d: CaseDocument, err: ActivityFailure): void {
  core.book.event('DOCUMENT_FORWARD_FAILED', 'system', `${d.fileName} could not be sent to ${core.state.carrierName}: ${err.cause?.message ?? err.message}`, { documentId: d.id });
}

const forwardTo = (core: CaseCore, ports: EffectPorts, d: CaseDocument) =>
  ports.forwardDocument(d, d.requirementKey ? core.book.requirement(d.requirementKey) : undefined);

async function forwardDocument(core: CaseCore, ports: EffectPorts, documentId: string): Promise<void> {
  const d = documentToForward(core, documentId);
  if (!d) return;
  try {
    await forwardTo(core, ports, d);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    forwardFailed(core, d, err);
    return;
  }
  core.documentsForwarded([documentId], 'in a requirement transmittal');
}

/** Search attributes only when they changed (each upsert is a history event); current details every time. */
function visibility(core: CaseCore): (withSearch?: boolean) => void {
  let last = '';
  return (withSearch = true) => {
    if (withSearch) {
      const attrs = searchAttributesFor(core.state);
      const serialized = JSON.stringify(attrs);
      if (serialized !== last) {
        upsertSearchAttributes(attrs);
        last = serialized;
      }
    }
    setCurrentDetails(describeCase(core.state));
  };
}

async function sync(core: CaseCore, ports: EffectPorts): Promise<void> {
  const changes = core.book.takeChanges();
  try {
    await ports.syncCase(changes);
  } catch (err) {
    core.book.returnChanges(changes);
    throw err;
  }
  markRecorded(core.state, changes.events);
}

/**
 * Cases opened before signals: emails, orders and then the database sync, one at a time, and
 * the case waits for all of them. Kept unchanged so that their histories replay.
 */
export function serialEffects(core: CaseCore, ports: EffectPorts): EffectRunner {
  const show = visibility(core);
  let chain: Promise<void> = Promise.resolve();
  async function runAll(): Promise<void> {
    while (core.effects.length > 0) {
      const item = core.effects[0]!;
      if (item.kind === 'email') await deliverEmail(core, ports, item.email);
      else if (item.kind === 'order') await orderRequirement(core, ports, item.key, false);
      else if (item.kind === 'forward-document') await forwardDocument(core, ports, item.documentId);
      else {
        await ports.recordAppointment(item);
        core.appointmentRecorded(item);
      }
      core.effects.shift();
    }
    if (core.book.hasUnsynced()) await sync(core, ports);
    show();
  }
  const flush = (): Promise<void> => {
    const run = chain.then(runAll);
    chain = run.catch(() => undefined);
    return run;
  };
  return {
    afterStep: flush,
    beforeWaiting: async () => {},
    // An appointment record is run by the Update handler that listed it, as it always was.
    wantsStep: () => core.effects.some((e) => e.kind !== 'record-appointment'),
    drain: flush,
    flush,
    // The shell awaited its activities directly, after the effects it had flushed.
    exclusive: (fn) => fn(),
  };
}

/**
 * Cases opened before effects ran concurrently: one lane, running in the background while the case goes on. Before
 * anything else the lane writes what changed to the database; then the shell's own activities
 * (licence check, submission), then emails, orders and appointment records, each with its own
 * retries. Only one activity per case is ever in flight: when several complete in one workflow
 * task, the SDK's core can group them differently live and on replay after a worker crash
 * (seen with concurrent effects in the crash test: docs/history.md), and one at a time leaves
 * nothing to group. A failure no retry can fix is kept and thrown at the shell's next step.
 */
export function laneEffects(core: CaseCore, ports: EffectPorts, hooks: LaneHooks = {}): EffectRunner {
  const show = visibility(core);
  const tasks: (() => Promise<void>)[] = [];
  let pumping = false;
  let fatal: unknown;

  const hasWork = () => core.book.hasUnsynced() || tasks.length > 0 || core.effects.length > 0;

  function run(item: Effect): Promise<void> {
    if (item.kind === 'email') return deliverEmail(core, ports, item.email);
    if (item.kind === 'order') return orderRequirement(core, ports, item.key, true, hooks);
    if (item.kind === 'forward-document') return forwardDocument(core, ports, item.documentId);
    return ports.recordAppointment(item).then(() => core.appointmentRecorded(item));
  }

  async function pump(): Promise<void> {
    try {
      for (;;) {
        if (core.book.hasUnsynced()) await sync(core, ports);
        else if (tasks.length > 0) await tasks.shift()!();
        else if (core.effects.length > 0) await run(core.effects.shift()!);
        else return;
        show();
      }
    } catch (err) {
      fatal ??= err;
    } finally {
      pumping = false;
    }
  }

  function kick(): void {
    // The pump shows the search attributes once the sync it starts first has completed.
    show(!(hooks.searchAfterSync && core.book.hasUnsynced()));
    if (pumping || fatal !== undefined || !hasWork()) return;
    pumping = true;
    void pump();
  }

  const check = () => {
    if (fatal !== undefined) throw fatal;
  };

  async function drain(): Promise<void> {
    for (;;) {
      kick();
      check();
      if (!pumping && !hasWork()) return;
      await condition(() => fatal !== undefined || !pumping);
    }
  }

  return {
    afterStep: async () => {
      kick();
      check();
    },
    beforeWaiting: async () => {
      kick();
      check();
    },
    wantsStep: () => fatal !== undefined || (!pumping && hasWork()),
    drain,
    flush: drain,
    exclusive: <T>(fn: () => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        tasks.push(() => fn().then(resolve, reject));
        kick();
      }),
  };
}

/**
 * Every case opened since effects ran concurrently: the database sync one at a time and ahead of
 * everything, and each email, order and transmittal in flight at once with its own retries. What
 * the case does with an activity result is done in one synchronous step, chained directly to the
 * result (every activity's promise is the same number of microtasks from its job), and that step
 * gives every command the result calls for: the sync of what changed, search attributes, a
 * follow-up alarm. So the commands follow the order of the results in the history however the
 * SDK groups them into activations, live or after a crash on replay. The shell never wakes on such
 * a result. What wakes the shell is run alone, as in the lane: its own activities (licence check,
 * submission) and appointment records start only once nothing else is in flight, and nothing
 * starts beside them.
 */
export function concurrentEffects(core: CaseCore, ports: EffectPorts, hooks: LaneHooks = {}): EffectRunner {
  const show = visibility(core);
  const alone: (() => void)[] = [];
  let syncing = false;
  let inFlight = 0;
  let aloneRunning = false;
  let fatal: unknown;

  const idle = () => !syncing && inFlight === 0 && !aloneRunning;
  const settled = () => idle() && alone.length === 0 && core.effects.length === 0 && !core.book.hasUnsynced();

  function startSync(): void {
    const changes = core.book.takeChanges();
    syncing = true;
    ports.syncCase(changes).then(
      () => react(() => {
        syncing = false;
        markRecorded(core.state, changes.events);
      }, 'now'),
      (err: unknown) => react(() => {
        syncing = false;
        core.book.returnChanges(changes);
        throw err;
      }),
    );
  }

  /** A result's whole reaction, then everything it lets start; a failure no retry fixes is kept for the shell. */
  function react(step: () => void, effects: 'unless-syncing' | 'now' = 'unless-syncing'): void {
    try {
      step();
    } catch (err) {
      fatal ??= err;
    }
    advance(effects);
  }

  function track<T>(activity: Promise<T>, done: (value: T) => void, failed: (err: ActivityFailure) => void): void {
    inFlight += 1;
    activity.then(
      (value) => react(() => {
        inFlight -= 1;
        done(value);
      }),
      (err: unknown) => react(() => {
        inFlight -= 1;
        if (!(err instanceof ActivityFailure)) throw err;
        failed(err);
      }),
    );
  }

  function start(item: Effect): void {
    if (item.kind === 'email') {
      track(ports.sendEmail(item.email), () => emailSent(core, item.email), (err) => emailFailed(core, item.email, err));
    } else if (item.kind === 'order') {
      const placing = orderToPlace(core, item.key, true);
      if (placing) track(ports.orderRequirement(placing.r, placing.vendor), (order) => orderPlaced(core, placing, order, hooks), (err) => orderFailed(core, placing, err));
    } else if (item.kind === 'forward-document') {
      const d = documentToForward(core, item.documentId);
      if (d) track(forwardTo(core, ports, d), () => core.documentsForwarded([d.id], 'in a requirement transmittal'), (err) => forwardFailed(core, d, err));
    } else {
      // A recorded appointment sends the case back to the licensing gate, which wakes the shell.
      alone.push(() =>
        ports.recordAppointment(item).then(
          () => react(() => {
            aloneRunning = false;
            core.appointmentRecorded(item);
          }),
          (err: unknown) => react(() => {
            aloneRunning = false;
            throw err;
          }),
        ),
      );
    }
  }

  /**
   * Starts what can start: the sync first, then what waits to run alone, else the listed effects.
   * Effects wait for the sync in flight, so that an action's workflow task holds its sync alone;
   * when a sync completes they start, behind the next sync if one starts then.
   */
  function advance(effects: 'none' | 'unless-syncing' | 'now'): void {
    if (fatal === undefined && !aloneRunning) {
      if (!syncing && core.book.hasUnsynced()) startSync();
      const release = effects === 'now' || (effects === 'unless-syncing' && !syncing);
      while (release && alone.length === 0 && core.effects.length > 0) start(core.effects.shift()!);
      if (alone.length > 0 && idle()) {
        aloneRunning = true;
        alone.shift()!();
      }
    }
    // Search attributes wait for the sync of the change they show.
    show(!syncing && !core.book.hasUnsynced());
  }

  const check = () => {
    if (fatal !== undefined) throw fatal;
  };

  async function drain(): Promise<void> {
    advance('unless-syncing');
    check();
    await condition(() => fatal !== undefined || settled());
    check();
  }

  return {
    afterStep: async () => {
      advance('unless-syncing');
      check();
    },
    beforeWaiting: async () => {
      advance('none');
      check();
    },
    wantsStep: () => fatal !== undefined,
    drain,
    flush: drain,
    exclusive: <T>(fn: () => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        // The shell goes on from the result, and its next step starts what waited meanwhile.
        alone.push(() =>
          fn().then(
            (value) => {
              aloneRunning = false;
              resolve(value);
            },
            (err: unknown) => {
              aloneRunning = false;
              reject(err);
            },
          ),
        );
        advance('none');
      }),
  };
}
