import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import { submitApplication } from '../client/cases';
import { act } from '../client/operations';
import { isOpen } from '../domain/case';
import { encryptedDataConverter } from '../platform/codec';
import { ensureSearchAttributes } from '../platform/search-attributes';
import { ensureTestServer } from '../platform/toolchain';
import * as msg from '../workflows/messages';
import { benchApplication, seedBroker } from './applications';
import type { Stack } from './stack';
import { benchConfig, startPipelineWorker } from './workers';
import { freePort } from '../platform/ports';
import { now, pool, round, say } from './util';

const TASK_QUEUE = 'bench-lifecycle';
const MONTH_DAYS = 30;
/** A case arriving on the last day of the month is placed about 60 days later; stop well after that. */
const DRAIN_DAYS = 90;
const ACTOR = 'bench-sim';

/** Days after arrival at which vendors, broker and carrier answer; varied per case so the days are not all alike. */
function scriptFor(i: number) {
  const examDone = 4 + (i % 3);
  const aps = 12 + (i % 10);
  const decision = aps + 8 + (i % 7);
  const issued = decision + 2;
  return { examScheduled: 1, examDone, brokerItems: 5 + (i % 4), aps, decision, issued, delivered: issued + 5 + (i % 4) };
}

interface SimCase {
  i: number;
  caseId: string;
  arrival: number;
  nextCheck: number;
  outcome?: string;
}

/** Applies whatever the case's script says is due at `age` days; returns how many actions were sent. */
async function advance(client: Client, c: SimCase, age: number, today: string, tag: string): Promise<number> {
  const h = client.workflow.getHandle(c.caseId);
  const s = await h.query(msg.caseStateQuery);
  if (s.stage === 'CLOSED') {
    c.outcome = s.outcome?.outcome ?? 'CLOSED';
    return 0;
  }
  const plan = scriptFor(c.i);
  const actions: (() => Promise<unknown>)[] = [];
  const receive = (key: string) => actions.push(() => act(client, h.workflowId, 'receive-requirement', { actor: ACTOR, key }));
  const open = s.requirements.filter(isOpen);
  if (s.stage === 'REQUIREMENTS') {
    for (const r of open) {
      if (r.vendorCode && r.vendorCode === s.rules.vendorByKind.exam) {
        if (age >= plan.examDone) {
          actions.push(() => act(client, h.workflowId, 'vendor-status', { actor: ACTOR, key: r.key, status: 'COMPLETED' }));
        } else if (age >= plan.examScheduled && r.status === 'ORDERED') {
          const scheduledFor = new Date(Date.parse(today) + (plan.examDone - age) * 86_400_000).toISOString().slice(0, 10);
          actions.push(() => act(client, h.workflowId, 'vendor-status', { actor: ACTOR, key: r.key, status: 'SCHEDULED', scheduledFor }));
        }
      } else if (r.fulfiller === 'BROKER') {
        if (age >= plan.brokerItems) receive(r.key);
      } else if (r.phase === 'PRE_SUBMISSION' && r.fulfiller !== 'CARRIER' && age >= plan.aps) {
        receive(r.key);
      }
    }
  } else if (s.stage === 'UNDERWRITING' && !s.decision && age >= plan.decision) {
    actions.push(() => act(client, h.workflowId, 'decision', { actor: ACTOR, decision: 'APPROVED_AS_APPLIED', riskClass: 'Preferred' }));
  } else if (s.stage === 'APPROVED' && age >= plan.issued) {
    actions.push(() => act(client, h.workflowId, 'decision', { actor: ACTOR, decision: 'ISSUED', policyNumber: `PL-${tag}-${c.i}` }));
  } else if (s.stage === 'PLACEMENT' && age >= plan.delivered) {
    for (const r of open) if (r.phase === 'DELIVERY') receive(r.key);
  }
  // One at a time: the workflow takes a case's actions in turn anyway.
  for (const send of actions) await send();
  return actions.length;
}

/** The next day the case's script has something due; after the last step, daily until the case reports CLOSED. */
function nextCheck(c: SimCase, day: number, sent: number): number {
  const age = day - c.arrival;
  const later = Object.values(scriptFor(c.i)).filter((a) => a > age);
  // Nothing sent on a due day means the case was not ready for the step yet (e.g. still being submitted): look again tomorrow.
  return sent > 0 && later.length ? c.arrival + Math.min(...later) : day + 1;
}

export interface LifecycleResult {
  casesPerMonth: number;
  simulatedDays: number;
  /** Wall-clock seconds for the first 30 simulated days: arrivals, responses and every follow-up timer due. */
  firstMonthSeconds: number;
  totalSeconds: number;
  outcomes: Record<string, number>;
  actionsSent: number;
  emails: number;
}

/**
 * Measurement 5: a month of a busy BGA in time-skipping mode (the Java test server), then the
 * drain until every case is closed. Vendors, carrier and broker answer by script; the real
 * worker, PostgreSQL and SMTP do the rest, follow-ups and reminders included.
 */
export async function runLifecycle(stack: Stack, casesPerMonth: number): Promise<LifecycleResult> {
  const databaseUrl = await stack.createDatabase('bga_lifecycle');
  await seedBroker(databaseUrl);
  const port = await freePort();
  const endpoints = { temporalAddress: `127.0.0.1:${port}`, databaseUrl, smtpUrl: stack.smtp.url };
  const { config } = benchConfig(endpoints, TASK_QUEUE);
  const executable = await ensureTestServer(say);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    client: { dataConverter: encryptedDataConverter(config.encryption) },
    server: { port, ...(executable ? { executable: { type: 'existing-path', path: executable } } : {}) },
  });
  try {
    // The Java test server implements AddSearchAttributes but not ListSearchAttributes.
    await ensureSearchAttributes(env.connection, 'default', { listFirst: false });
    const worker = await startPipelineWorker(endpoints, TASK_QUEUE);
    try {
      return await simulate(env, casesPerMonth);
    } finally {
      await worker.stop();
    }
  } finally {
    await env.teardown();
  }

  async function simulate(env: TestWorkflowEnvironment, n: number): Promise<LifecycleResult> {
    const tag = Math.random().toString(36).slice(2, 8).toUpperCase();
    const cases: SimCase[] = [];
    const t0 = now();
    let firstMonthSeconds = NaN;
    let actionsSent = 0;
    let day = 0;
    for (; day < MONTH_DAYS + DRAIN_DAYS; day++) {
      const today = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
      const arriving = Array.from({ length: n }, (_, i) => i).filter((i) => Math.floor((i * MONTH_DAYS) / n) === day);
      for (const i of arriving) {
        const { caseId } = await submitApplication(env.client, TASK_QUEUE, benchApplication(tag, i));
        cases.push({ i, caseId, arrival: day, nextCheck: day + 1 });
      }
      const due = cases.filter((c) => !c.outcome && c.nextCheck <= day);
      await pool(due, 8, async (c) => {
        const sent = await advance(env.client, c, day - c.arrival, today, tag);
        actionsSent += sent;
        c.nextCheck = nextCheck(c, day, sent);
      });
      if (day === MONTH_DAYS) firstMonthSeconds = (now() - t0) / 1000;
      const open = cases.filter((c) => !c.outcome).length;
      if (day % 5 === 0) say(`lifecycle: day ${day}, ${cases.length} cases, ${open} open, ${actionsSent} actions, ${round((now() - t0) / 1000)} s`);
      if (day >= MONTH_DAYS && open === 0) break;
      await env.sleep('1 day');
    }
    const outcomes: Record<string, number> = {};
    for (const c of cases) outcomes[c.outcome ?? 'OPEN'] = (outcomes[c.outcome ?? 'OPEN'] ?? 0) + 1;
    const prefix = `case-summit-bn-${tag.toLowerCase()}-`;
    return {
      casesPerMonth: n,
      simulatedDays: day,
      firstMonthSeconds: round(firstMonthSeconds),
      totalSeconds: round((now() - t0) / 1000),
      outcomes,
      actionsSent,
      emails: [...stack.smtp.accepted.keys()].filter((k) => k.startsWith(prefix)).length,
    };
  }
}
