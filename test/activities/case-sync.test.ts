import fs from 'node:fs';
import path from 'node:path';
import { recordActivities } from '../../activities/records';
import type { Application } from '../../domain/application';
import type { CaseEvent, CaseRequirement } from '../../domain/case';
import { projectRoot } from '../../platform/paths';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/*
 * syncCase mirrors what changed on the case into PostgreSQL: the case row, the requirements it
 * touched with their status history, the trail, stage visits and documents. Each write is
 * checked field by field, and a retried sync (Temporal retries activities) must change nothing.
 */

const CASE_ID = 'case-summit-sm-sync-1';
let database: TestDatabase;
let records: ReturnType<typeof recordActivities>;

beforeAll(async () => {
  database = await createTestDatabase();
  records = recordActivities({ db: database.db } as Parameters<typeof recordActivities>[0]);
  const application = JSON.parse(fs.readFileSync(path.join(projectRoot, 'examples', 'applications', 'summit-wl-clean.json'), 'utf8')) as Application;
  await records.registerCase({ caseId: CASE_ID, application, receivedAt: '2026-03-02T10:00:00.000Z', stage: 'COMPLETENESS_REVIEW' });
});
afterAll(() => database?.drop());

const requirement = (over: Partial<CaseRequirement>): CaseRequirement => ({
  key: 'BLOOD',
  code: 'BLOOD',
  description: 'Blood profile',
  fulfiller: 'EXAM_VENDOR',
  vendorCode: 'EXAMONE',
  source: 'GRID',
  phase: 'PRE_SUBMISSION',
  status: 'OUTSTANDING',
  requestedOn: '2026-03-02',
  statusAt: '2026-03-02T10:00:01.000Z',
  followUpCount: 0,
  escalated: false,
  history: [{ seq: 3, status: 'OUTSTANDING', at: '2026-03-02T10:00:01.000Z', actor: 'system' }],
  ...over,
});

const event = (seq: number, type: string, data?: Record<string, unknown>): CaseEvent => ({
  seq,
  type,
  actor: 'ops:lee',
  at: `2026-03-02T10:00:0${seq}.000Z`,
  description: `${type} ${seq}`,
  ...(data ? { data } : {}),
});

const state = (stage: string, over: Record<string, unknown> = {}) =>
  ({ caseId: CASE_ID, stage, stageEnteredAt: '2026-03-02T10:00:02.000Z', lastActivityAt: '2026-03-02T10:00:05.000Z', ...over }) as Parameters<
    typeof records.syncCase
  >[0]['state'];

async function snapshot() {
  const db = database.db;
  const kase = await db.case.findUniqueOrThrow({
    where: { id: CASE_ID },
    select: { stage: true, outcome: true, outcomeReason: true, stageEnteredAt: true, lastActivityAt: true, closedAt: true },
  });
  const requirements = await db.requirement.findMany({
    where: { caseId: CASE_ID },
    orderBy: { key: 'asc' },
    include: { history: { orderBy: { id: 'asc' }, select: { id: true, status: true, at: true, actor: true, note: true } } },
  });
  const events = await db.caseEvent.findMany({ where: { caseId: CASE_ID }, orderBy: { seq: 'asc' }, select: { id: true, seq: true, type: true, actor: true, at: true, description: true, data: true } });
  const visits = await db.stageVisit.findMany({ where: { caseId: CASE_ID }, orderBy: { enteredAt: 'asc' }, select: { id: true, stage: true, enteredAt: true, leftAt: true } });
  return { kase, requirements, events, visits };
}

test('a sync writes the case, each requirement with its history, and the trail; a retry changes nothing', async () => {
  const input = {
    state: state('REQUIREMENTS'),
    requirements: [
      requirement({ nextFollowUpOn: '2026-03-05' }),
      requirement({
        key: 'PHYSSTMT:dr-ana-ruiz',
        code: 'PHYSSTMT',
        description: 'Attending physician statement (Dr. Ana Ruiz)',
        fulfiller: 'APS_VENDOR',
        vendorCode: 'PARAMED_RECORDS',
        status: 'ORDERED',
        providerOrderNumber: 'PR-1001',
        nextFollowUpOn: '2026-03-09',
        followUpCount: 1,
        history: [
          { seq: 4, status: 'OUTSTANDING', at: '2026-03-02T10:00:01.000Z', actor: 'system' },
          { seq: 5, status: 'ORDERED', at: '2026-03-02T10:00:03.000Z', actor: 'system', note: 'order PR-1001 sent' },
        ],
      }),
    ],
    events: [event(1, 'STAGE_ENTERED', { stage: 'REQUIREMENTS' }), event(2, 'REQUIREMENT_ADDED', { key: 'BLOOD', nested: { list: [1, 'two'] } })],
  };
  await records.syncCase(input);
  const first = await snapshot();

  expect(first.kase).toEqual({
    stage: 'REQUIREMENTS',
    outcome: null,
    outcomeReason: null,
    stageEnteredAt: new Date('2026-03-02T10:00:02.000Z'),
    lastActivityAt: new Date('2026-03-02T10:00:05.000Z'),
    closedAt: null,
  });
  expect(first.requirements).toHaveLength(2);
  const aps = first.requirements.find((r) => r.code === 'PHYSSTMT');
  const blood = first.requirements.find((r) => r.key === 'BLOOD');
  expect(aps).toMatchObject({
    key: 'PHYSSTMT:dr-ana-ruiz',
    code: 'PHYSSTMT',
    description: 'Attending physician statement (Dr. Ana Ruiz)',
    fulfiller: 'APS_VENDOR',
    vendorCode: 'PARAMED_RECORDS',
    source: 'GRID',
    status: 'ORDERED',
    requestedAt: new Date('2026-03-02T00:00:00.000Z'),
    statusAt: new Date('2026-03-02T10:00:01.000Z'),
    fulfilledAt: null,
    providerOrderNumber: 'PR-1001',
    carrierOrderNumber: null,
    nextFollowUpOn: new Date('2026-03-09T00:00:00.000Z'),
    followUpCount: 1,
  });
  expect(aps!.history).toEqual([
    { id: `${CASE_ID}:4:PHYSSTMT:dr-ana-ruiz`, status: 'OUTSTANDING', at: new Date('2026-03-02T10:00:01.000Z'), actor: 'system', note: null },
    { id: `${CASE_ID}:5:PHYSSTMT:dr-ana-ruiz`, status: 'ORDERED', at: new Date('2026-03-02T10:00:03.000Z'), actor: 'system', note: 'order PR-1001 sent' },
  ]);
  expect(blood).toMatchObject({ key: 'BLOOD', status: 'OUTSTANDING', vendorCode: 'EXAMONE', nextFollowUpOn: new Date('2026-03-05T00:00:00.000Z'), providerOrderNumber: null });
  expect(blood!.history.map((h) => h.id)).toEqual([`${CASE_ID}:3:BLOOD`]);
  expect(first.events).toEqual([
    { id: `${CASE_ID}:1`, seq: 1, type: 'STAGE_ENTERED', actor: 'ops:lee', at: new Date('2026-03-02T10:00:01.000Z'), description: 'STAGE_ENTERED 1', data: { stage: 'REQUIREMENTS' } },
    {
      id: `${CASE_ID}:2`,
      seq: 2,
      type: 'REQUIREMENT_ADDED',
      actor: 'ops:lee',
      at: new Date('2026-03-02T10:00:02.000Z'),
      description: 'REQUIREMENT_ADDED 2',
      data: { key: 'BLOOD', nested: { list: [1, 'two'] } },
    },
  ]);
  expect(first.visits).toEqual([{ id: `${CASE_ID}:1`, stage: 'REQUIREMENTS', enteredAt: new Date('2026-03-02T10:00:01.000Z'), leftAt: null }]);

  await records.syncCase(input);
  expect(await snapshot()).toEqual(first);
});

test('a later sync updates a requirement in place, adds to its history and the trail, and closes the case', async () => {
  const before = await snapshot();
  const bloodId = before.requirements.find((r) => r.key === 'BLOOD')!.id;
  const input = {
    state: state('CLOSED', { outcome: { outcome: 'WITHDRAWN', reason: 'client withdrew', at: '2026-03-02T10:00:08.000Z', actor: 'ops:lee' }, lastActivityAt: '2026-03-02T10:00:08.000Z' }),
    requirements: [
      requirement({
        status: 'RECEIVED',
        statusAt: '2026-03-02T10:00:06.000Z',
        fulfilledOn: '2026-03-02',
        providerOrderNumber: 'EX-1',
        followUpCount: 2,
        history: [
          { seq: 3, status: 'OUTSTANDING', at: '2026-03-02T10:00:01.000Z', actor: 'system' },
          { seq: 6, status: 'RECEIVED', at: '2026-03-02T10:00:06.000Z', actor: 'ops:lee', note: 'lab results in' },
        ],
      }),
    ],
    events: [event(6, 'REQUIREMENT_RECEIVED'), event(7, 'CASE_CLOSED', { outcome: 'WITHDRAWN' }), event(8, 'STAGE_ENTERED', { stage: 'CLOSED' })],
  };
  await records.syncCase(input);
  const after = await snapshot();
  expect(after.kase).toEqual({
    stage: 'CLOSED',
    outcome: 'WITHDRAWN',
    outcomeReason: 'client withdrew',
    stageEnteredAt: new Date('2026-03-02T10:00:02.000Z'),
    lastActivityAt: new Date('2026-03-02T10:00:08.000Z'),
    closedAt: new Date('2026-03-02T10:00:08.000Z'),
  });
  const blood = after.requirements.find((r) => r.key === 'BLOOD')!;
  expect(blood.id).toBe(bloodId);
  expect(blood).toMatchObject({
    status: 'RECEIVED',
    statusAt: new Date('2026-03-02T10:00:06.000Z'),
    fulfilledAt: new Date('2026-03-02T00:00:00.000Z'),
    nextFollowUpOn: null,
    providerOrderNumber: 'EX-1',
    followUpCount: 2,
  });
  expect(blood.history.map((h) => [h.id, h.status, h.note])).toEqual([
    [`${CASE_ID}:3:BLOOD`, 'OUTSTANDING', null],
    [`${CASE_ID}:6:BLOOD`, 'RECEIVED', 'lab results in'],
  ]);
  // Untouched by this sync.
  expect(after.requirements.find((r) => r.key !== 'BLOOD')).toEqual(before.requirements.find((r) => r.key !== 'BLOOD'));
  expect(after.events.map((e) => e.seq)).toEqual([1, 2, 6, 7, 8]);
  expect(after.events.at(-2)!.data).toEqual({ outcome: 'WITHDRAWN' });
  expect(after.events.at(-3)!.data).toBeNull();
  expect(after.visits).toEqual([
    { id: `${CASE_ID}:1`, stage: 'REQUIREMENTS', enteredAt: new Date('2026-03-02T10:00:01.000Z'), leftAt: new Date('2026-03-02T10:00:08.000Z') },
    { id: `${CASE_ID}:8`, stage: 'CLOSED', enteredAt: new Date('2026-03-02T10:00:08.000Z'), leftAt: new Date('2026-03-02T10:00:08.000Z') },
  ]);

  await records.syncCase(input);
  expect(await snapshot()).toEqual(after);
});

test('a sync of the case row alone, with nothing else changed, writes just that', async () => {
  const before = await snapshot();
  await records.syncCase({ state: state('CLOSED', { outcome: { outcome: 'WITHDRAWN', reason: 'client withdrew', at: '2026-03-02T10:00:08.000Z', actor: 'ops:lee' }, lastActivityAt: '2026-03-02T10:00:09.000Z' }), requirements: [], events: [] });
  const after = await snapshot();
  expect(after.kase.lastActivityAt).toEqual(new Date('2026-03-02T10:00:09.000Z'));
  expect({ ...after, kase: before.kase }).toEqual(before);
});

test('a sync for a case with no record fails, writing nothing', async () => {
  const failed = 
    records.syncCase({ state: { ...state('REQUIREMENTS'), caseId: 'case-nobody-1' }, requirements: [requirement({})], events: [event(1, 'RECEIVED')] });
  await expect(failed).rejects.toThrow();
  expect(await database.db.requirement.count({ where: { caseId: 'case-nobody-1' } })).toBe(0);
  expect(await database.db.caseEvent.count({ where: { caseId: 'case-nobody-1' } })).toBe(0);
});
