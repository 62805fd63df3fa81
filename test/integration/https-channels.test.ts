import fs from 'node:fs';
import { perform } from '../helpers/actions';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../platform/paths';
import { worklist } from '../../activities/reports/worklist';
import { loadRulesConfig } from '../../activities/rules-config';
import { dueAt } from '../../domain/case-core/clocks';
import { exampleApplication } from '../helpers/applications';
import { World } from '../helpers/world';

/*
 * A vendor and a carrier configured with an HTTPS channel (plain http to this machine, as the
 * config allows for local doubles): orders and the ACORD 103 arrive as POSTs with an
 * Idempotency-Key, and a failing endpoint is retried.
 */

interface Received {
  url: string;
  idempotencyKey: string;
  body: Record<string, unknown>;
}

let world: World;
let server: http.Server;
let rulesFile: string;
const received: Received[] = [];
let failNext = 1;
let refuseOrders = false;
let refuseSubmissions = false;
const APPS_DESK = 'client-services@apps-paramed.example';
const previousRulesFile = process.env.BGA_RULES_FILE;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (failNext > 0) {
        failNext -= 1;
        res.writeHead(503).end('busy');
        return;
      }
      if (refuseSubmissions && req.url === '/submissions') {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"unknown producer code for this agency"}');
        return;
      }
      if (refuseOrders && req.url === '/orders') {
        res.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"no examiner covers this ZIP code"}');
        return;
      }
      received.push({ url: req.url ?? '', idempotencyKey: String(req.headers['idempotency-key']), body: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'application/json' }).end(req.url === '/orders' ? JSON.stringify({ orderNumber: `APPS-${received.length}` }) : '{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rules = fs
    .readFileSync(path.join(projectRoot, 'config', 'rules.json'), 'utf8')
    .replace('{ "type": "email", "to": "newbusiness@harborlife.example" }', `{ "type": "https", "url": "${base}/submissions" }`)
    .replace(
      '{ "type": "email", "to": "orders@apps-paramed.example" }',
      `{ "type": "https", "url": "${base}/orders" }, "contactEmail": "${APPS_DESK}"`,
    );
  rulesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bga-rules-')), 'rules.json');
  fs.writeFileSync(rulesFile, rules);
  process.env.BGA_RULES_FILE = rulesFile;
  world = await World.create('time-skipping');
});

afterAll(async () => {
  await world?.close();
  await new Promise((r) => server.close(r));
  if (previousRulesFile === undefined) delete process.env.BGA_RULES_FILE;
  else process.env.BGA_RULES_FILE = previousRulesFile;
});

/** The Harbor NIGO example, confirmed in good order: Harbor submits at once, with its exams to follow. */
async function harborInGoodOrder() {
  const app = exampleApplication('harbor-iul-nigo');
  await world.licensedBroker(app.broker.npn, 'CA', 'HARBOR');
  const { caseId } = await world.submit(app);
  await world.skip('1 hour');
  await perform(world.handle(caseId), 'review', { actor: 'cm:jordan', inGoodOrder: true });
  await world.skip('1 hour');
  return { app, caseId };
}

test('exam orders and the ACORD 103 go to HTTPS endpoints with idempotency keys, and a 503 is retried', async () => {
  const { app, caseId } = await harborInGoodOrder();
  const s = await world.state(caseId);
  expect(s.stage).toBe('UNDERWRITING');

  const orders = received.filter((r) => r.url === '/orders');
  const examKeys = s.requirements.filter((r) => r.vendorCode === 'APPS').map((r) => r.key);
  expect(orders.map((o) => o.idempotencyKey).sort()).toEqual(examKeys.map((k) => `${caseId}:order:${k}`).sort());
  expect(orders[0]?.body).toMatchObject({ caseReference: caseId, insured: { name: 'Kevin Tran', phone: '619-555-0110' } });
  expect(JSON.stringify(orders)).not.toContain(app.insured.ssn);
  // The vendor's own order number is kept.
  expect(s.requirements.filter((r) => r.vendorCode === 'APPS').every((r) => /^APPS-\d+$/.test(r.providerOrderNumber ?? ''))).toBe(true);

  const submission = received.find((r) => r.url === '/submissions');
  expect(submission?.idempotencyKey).toBe(`${caseId}:submission:${s.submission?.transRefGuid}`);
  expect(String(submission?.body.txlife)).toContain('<TransType tc="103">');
  expect(failNext).toBe(0);

  // People at an HTTPS vendor are chased, and told of a cancellation, at its contact email.
  const toDesk = () => world.smtp.messages.filter((m) => m.idempotencyKey.startsWith(caseId) && m.to.includes(APPS_DESK)).map((m) => m.subject);
  expect(toDesk()).toEqual([]);
  // To just past the first follow-up each order is due, as the case's business-day calendar sets it.
  const firstFollowUps = s.requirements.filter((r) => r.vendorCode === 'APPS').map((r) => dueAt(r.nextFollowUpOn!));
  await world.skip(Math.max(...firstFollowUps) + 3_600_000 - (await world.env.currentTimeMs()));
  expect(toDesk().filter((subject) => /follow-up/i.test(subject))).toHaveLength(examKeys.length);
  await perform(world.handle(caseId), 'withdraw', { actor: 'cm:jordan', reason: 'test done' });
  await world.skip('1 hour');
  expect(toDesk().filter((subject) => /cancel/i.test(subject))).toHaveLength(examKeys.length);
});

test('a vendor that refuses an order for good (HTTP 422) leaves the case running: the refusal is in its history and on the worklist', async () => {
  refuseOrders = true;
  const { caseId } = await harborInGoodOrder();
  expect((await world.handle(caseId).describe()).status.name).toBe('RUNNING');
  const s = await world.state(caseId);
  expect(s.stage).toBe('UNDERWRITING');
  const exams = s.requirements.filter((r) => r.vendorCode === 'APPS');
  expect(exams.map((r) => r.status)).toEqual(exams.map(() => 'OUTSTANDING'));

  const refusals = await world.db.caseEvent.findMany({ where: { caseId, type: 'ORDER_REFUSED' } });
  expect(refusals.map((e) => (e.data as { key: string }).key).sort()).toEqual(exams.map((r) => r.key).sort());
  expect(refusals[0]?.description).toContain('no examiner covers this ZIP code');
  const list = await worklist(world.db, await loadRulesConfig(), new Date());
  expect(list.refusedOrders.filter((o) => o.caseId === caseId).map((o) => [o.key, o.vendorCode]).sort()).toEqual(exams.map((r) => [r.key, 'APPS']).sort());
  refuseOrders = false;

  // Once the requirement is settled by hand, it leaves the worklist.
  await perform(world.handle(caseId), 'waive-requirement', { actor: 'cm:jordan', key: exams[0]!.key, reason: 'carrier waived the exam' });
  await world.skip('1 hour');
  const after = await worklist(world.db, await loadRulesConfig(), new Date());
  expect(after.refusedOrders.filter((o) => o.caseId === caseId).map((o) => o.key)).not.toContain(exams[0]!.key);
});

test('a carrier that refuses the ACORD 103 for good (HTTP 400) leaves the case waiting for a resubmission, on the worklist; resubmit sends it again', async () => {
  refuseSubmissions = true;
  const { caseId } = await harborInGoodOrder();
  const h = world.handle(caseId);
  expect((await h.describe()).status.name).toBe('RUNNING');
  let s = await world.state(caseId);
  expect(s.stage).toBe('REQUIREMENTS');
  expect(s.submission).toBeUndefined();
  expect(s.submissionRefused?.reason).toContain('unknown producer code');
  const refusals = await world.db.caseEvent.findMany({ where: { caseId, type: 'SUBMISSION_REFUSED' } });
  expect(refusals).toHaveLength(1);
  const list = await worklist(world.db, await loadRulesConfig(), new Date());
  expect(list.refusedSubmissions.filter((r) => r.caseId === caseId).map((r) => r.carrierCode)).toEqual(['HARBOR']);

  // Nothing to resubmit is refused; once the carrier's objection is fixed, resubmit goes through.
  refuseSubmissions = false;
  s = await perform(h, 'resubmit', { actor: 'cm:jordan', note: 'producer code corrected' });
  // The answer comes once the request is recorded; the submission it releases follows.
  expect(s.requests?.at(-1)).toMatchObject({ action: 'resubmit', status: 'APPLIED' });
  await world.skip('1 minute');
  s = await world.state(caseId);
  expect(s.stage).toBe('UNDERWRITING');
  expect(s.submission?.count).toBe(1);
  const after = await worklist(world.db, await loadRulesConfig(), new Date());
  expect(after.refusedSubmissions.filter((r) => r.caseId === caseId)).toEqual([]);
  await expect(perform(h, 'resubmit', { actor: 'cm:jordan' })).rejects.toThrow(/nothing to resubmit/);
  await perform(h, 'withdraw', { actor: 'cm:jordan', reason: 'test done' });
});
