import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import type { ApiKey } from '../../client/api/keys';
import { startApi } from '../../client/api/server';
import { type InboundReceiver, startInboundReceiver } from '../../client/inbound/receiver';
import type { CaseRequirement } from '../../domain/case';
import { exampleApplication } from '../helpers/applications';
import { cliEnv, runBga } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { signedPdf, tinyPng as png } from '../helpers/document-files';
import { World } from '../helpers/world';

/* The other ways in: an upload over HTTP, `bga document` and `bga requirement receive --file`, and unmatched mail put on its case by hand. */

const OPS: ApiKey = { name: 'ops-desk', key: 'ops-desk-secret-0123456789abcdef', role: 'ops' };
const EXAMONE: ApiKey = { name: 'examone', key: 'examone-secret-0123456789abcdefgh', role: 'vendor', vendor: 'EXAMONE' };
const READ: ApiKey = { name: 'dashboard', key: 'dashboard-secret-0123456789abcdef', role: 'read' };
const MAX_BYTES = 256 * 1024;


let world: World;
let api: FastifyInstance;
let inbound: InboundReceiver;
let files: string;

beforeAll(async () => {
  world = await World.create('time-skipping');
  api = await startApi(
    { client: world.client, taskQueue: world.taskQueue, db: world.db, keys: [OPS, EXAMONE, READ], uiUrl: 'http://localhost:8233', documents: { store: world.documents, maxBytes: MAX_BYTES } },
    { port: 0 },
  );
  inbound = await startInboundReceiver({ db: world.db, store: world.documents, client: world.client, taskQueue: world.taskQueue, host: '127.0.0.1', port: 0, maxMessageBytes: 10 * 1024 * 1024 });
  files = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-files-'));
  fs.writeFileSync(path.join(files, 'signed-hipaa.pdf'), signedPdf);
  fs.writeFileSync(path.join(files, 'exam-page.png'), png);
  fs.writeFileSync(path.join(files, 'invoice.pdf'), Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]));
});
afterAll(async () => {
  await inbound?.close();
  await api?.close();
  await world?.close();
  fs.rmSync(files, { recursive: true, force: true });
});

async function upload(caseId: string, key: string, file: { name: string; bytes: Buffer } | undefined, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([new Uint8Array(file.bytes)]), file.name);
  const { port } = api.server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}/v1/cases/${caseId}/documents`, { method: 'POST', headers: { 'x-api-key': key }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

async function get(route: string, key: string) {
  const { port } = api.server.address() as AddressInfo;
  return fetch(`http://127.0.0.1:${port}${route}`, { headers: { 'x-api-key': key } });
}

async function orderedCase(): Promise<{ caseId: string; exam: CaseRequirement; aps: CaseRequirement }> {
  const app = exampleApplication('summit-wl-clean');
  await world.licensedBroker(app.broker.npn, app.stateOfSigning ?? 'GA', 'SUMMIT');
  const { caseId } = await world.submit(app);
  const state = await eventually(async () => {
    const s = await world.state(caseId);
    expect(s.requirements.filter((r) => r.vendorCode).length).toBeGreaterThan(1);
    expect(s.requirements.filter((r) => r.vendorCode).every((r) => r.status === 'ORDERED')).toBe(true);
    return s;
  });
  return { caseId, exam: state.requirements.find((r) => r.vendorCode === 'EXAMONE')!, aps: state.requirements.find((r) => r.vendorCode === 'APSNOW')! };
}

async function nigoCase() {
  const app = exampleApplication('harbor-iul-nigo');
  await world.licensedBroker(app.broker.npn, 'CA', 'HARBOR');
  const { caseId } = await world.submit(app);
  const s = await eventually(async () => {
    const state = await world.state(caseId);
    expect(state.nigo.items.filter((i) => !i.resolved).length).toBeGreaterThan(0);
    return state;
  });
  return { caseId, hipaa: s.nigo.items.find((i) => /hipaa/i.test(i.key))! };
}

test('an upload over the API: received to review, a duplicate, the content read back, and every refusal with its field', async () => {
  const { caseId, exam, aps } = await orderedCase();

  const first = await upload(caseId, OPS.key, { name: 'signed-hipaa.pdf', bytes: signedPdf });
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ status: 'RECEIVED', document: { fileName: 'signed-hipaa.pdf', contentType: 'application/pdf', review: 'TO_REVIEW', source: 'UPLOAD', sender: 'api:ops-desk' } });
  const again = await upload(caseId, OPS.key, { name: 'copy.pdf', bytes: signedPdf });
  expect([again.status, again.body.status, again.body.document.id]).toEqual([200, 'DUPLICATE', first.body.document.id]);

  const content = await get(`/v1/cases/${caseId}/documents/${first.body.document.id}/content`, OPS.key);
  expect([content.status, content.headers.get('content-type')]).toEqual([200, 'application/pdf']);
  expect(Buffer.compare(Buffer.from(await content.arrayBuffer()), signedPdf)).toBe(0);
  // Medical records: a read-only dashboard key lists them but may not read them.
  expect((await get(`/v1/cases/${caseId}/documents/${first.body.document.id}/content`, READ.key)).status).toBe(403);
  const listed = (await (await get(`/v1/cases/${caseId}/documents`, READ.key)).json()) as any;
  expect(listed.documents.map((d: { fileName: string }) => d.fileName)).toEqual(['signed-hipaa.pdf']);

  // A vendor uploads results for its own order, and for nothing else.
  const result = await upload(caseId, EXAMONE.key, { name: 'exam-page.png', bytes: png }, { requirement: exam.key });
  expect([result.status, result.body.document.requirementKey, result.body.document.contentType]).toEqual([201, exam.key, 'image/png']);
  expect((await upload(caseId, EXAMONE.key, { name: 'aps.png', bytes: png }, { requirement: aps.key })).status).toBe(403);
  expect((await upload(caseId, EXAMONE.key, { name: 'x.png', bytes: png })).status).toBe(403);
  expect((await upload('case-nobody-1', EXAMONE.key, { name: 'x.png', bytes: png }, { requirement: exam.key })).status).toBe(403);
  expect((await upload(caseId, READ.key, { name: 'x.png', bytes: png })).status).toBe(403);

  const refusals = [
    [await upload(caseId, OPS.key, { name: 'empty.pdf', bytes: Buffer.alloc(0) }), 422, 'file', /empty/],
    [await upload(caseId, OPS.key, { name: 'invoice.pdf', bytes: fs.readFileSync(path.join(files, 'invoice.pdf')) }), 422, 'file', /executable/],
    [await upload(caseId, OPS.key, { name: 'big.pdf', bytes: Buffer.concat([signedPdf, Buffer.alloc(MAX_BYTES)]) }), 413, 'file', /larger than/],
    [await upload(caseId, OPS.key, { name: 'x.png', bytes: Buffer.concat([png, Buffer.from('x')]) }, { requirement: 'NOPE' }), 422, 'requirement', /no requirement "NOPE"/],
    [await upload(caseId, OPS.key, undefined, { requirement: exam.key }), 422, 'file', /is required/],
  ] as const;
  for (const [res, status, field, message] of refusals) {
    expect([res.status, res.body.errors?.[0]?.field]).toEqual([status, field]);
    expect(res.body.message).toMatch(message);
  }
  const json = await fetch(`http://127.0.0.1:${(api.server.address() as AddressInfo).port}/v1/cases/${caseId}/documents`, {
    method: 'POST',
    headers: { 'x-api-key': OPS.key, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(json.status).toBe(415);
  // Nothing refused was kept: two documents on the case, two rows, two files in the store.
  expect((await world.state(caseId)).documents?.map((d) => d.fileName)).toEqual(['signed-hipaa.pdf', 'exam-page.png']);
  await eventually(async () => expect(await world.db.document.count({ where: { caseId } })).toBe(2));
  expect(fs.readdirSync(path.join(world.dataDir, 'documents'), { recursive: true }).filter((f) => /[0-9a-f]{64}/.test(String(f)))).toHaveLength(2);
});

test('bga document add, status, accept; bga requirement receive --file; and plain-worded refusals', async () => {
  const { caseId, hipaa } = await nigoCase();
  const env = cliEnv(world);

  const added = await runBga(['document', 'add', caseId, path.join(files, 'signed-hipaa.pdf'), '--item', hipaa.key, '--as', 'cm:jordan'], env);
  expect(added.stderr).toBe('');
  expect(added.stdout).toMatch(/^signed-hipaa\.pdf received as doc-[0-9a-f]{20}; it waits for review\./);
  const status = await runBga(['status', caseId], env);
  expect(status.stdout).toContain('Documents: 1, 1 waiting for review');
  expect(status.stdout).toMatch(new RegExp(`${hipaa.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+│\\s+signed-hipaa\\.pdf\\s+│\\s+to review`));

  await eventually(async () => {
    const worklist = (await runBga(['report', 'worklist'], env)).stdout;
    expect(worklist).toMatch(new RegExp(`${caseId}\\s+│\\s+signed-hipaa\\.pdf`));
  });

  const refused = await runBga(['document', 'add', caseId, path.join(files, 'invoice.pdf')], env);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/executable/);
  const missing = await runBga(['document', 'add', caseId, path.join(files, 'nope.pdf')], env);
  expect([missing.code, missing.stderr.trim()]).toEqual([2, `bga: Cannot read ${path.join(files, 'nope.pdf')}: there is no such file.`]);

  const accepted = await runBga(['document', 'accept', caseId, 'signed-hipaa.pdf', '--as', 'cm:jordan'], env);
  expect(accepted.code).toBe(0);
  const afterAccept = await world.state(caseId);
  expect(afterAccept.nigo.items.find((i) => i.key === hipaa.key)?.resolved).toBe(true);
  expect(afterAccept.documents?.[0]?.review).toBe('ACCEPTED');
  await eventually(async () => expect((await runBga(['report', 'worklist'], env)).stdout).not.toMatch(new RegExp(`${caseId}\\s+│\\s+signed-hipaa\\.pdf`)));
  const twice = await runBga(['document', 'accept', caseId, 'signed-hipaa.pdf'], env);
  expect([twice.code, twice.stderr]).toEqual([2, expect.stringMatching(/already accepted by cm:jordan/)]);

  // In good order, the case has requirements; one is received with its file in one command.
  expect((await runBga(['review', caseId, '--in-good-order'], env)).code).toBe(0);
  const open = await eventually(async () => {
    const r = (await world.state(caseId)).requirements.find((x) => x.fulfiller === 'BROKER' || x.fulfiller === 'CARRIER');
    expect(r).toBeDefined();
    return r!;
  });
  const received = await runBga(['requirement', 'receive', caseId, open.key, '--file', path.join(files, 'exam-page.png')], env);
  expect(received.stdout).toContain(`Requirement ${open.key} received with exam-page.png.`);
  const s = await world.state(caseId);
  expect(s.requirements.find((r) => r.key === open.key)?.status).toBe('RECEIVED');
  expect(s.documents?.find((d) => d.fileName === 'exam-page.png')).toMatchObject({ review: 'ACCEPTED', requirementKey: open.key, source: 'CLI' });
  const clash = await runBga(['requirement', 'receive', caseId, open.key, '--file', path.join(files, 'exam-page.png'), '--on', '2026-12-01'], env);
  expect([clash.code, clash.stderr]).toEqual([64, expect.stringMatching(/leave out --on and --note/)]);
});

test('mail that matched no case is listed, put on its case by hand, and not put there twice', async () => {
  const { caseId, hipaa } = await nigoCase();
  const env = cliEnv(world);
  const transport = nodemailer.createTransport({ url: inbound.url } as never);
  await transport.sendMail({ from: 'office@clinic.example', to: 'newbusiness@bga.example', subject: 'Signed form', text: 'See attached.', attachments: [{ filename: 'hipaa-from-office.pdf', content: signedPdf }] });
  transport.close();

  const mail = await eventually(async () => {
    const row = await world.db.inboundMail.findFirst({ where: { fromAddress: { contains: 'office@clinic.example' } } });
    expect(row?.status).toBe('UNMATCHED');
    return row!;
  });
  const listed = await runBga(['mail', 'unmatched'], env);
  expect(listed.stdout).toContain(mail.id);
  expect(listed.stdout).toContain('Signed form');
  expect((await runBga(['report', 'worklist'], env)).stdout).toMatch(new RegExp(`Mail that matched no case[^\\n]*\\(1\\):[\\s\\S]*${mail.id}`));

  const assigned = await runBga(['mail', 'assign', mail.id, caseId, '--item', hipaa.key, '--as', 'cm:jordan'], env);
  expect(assigned.stdout.trim()).toBe(`Mail ${mail.id} put on case ${caseId}: received hipaa-from-office.pdf (to review).`);
  expect((await world.state(caseId)).documents).toEqual([expect.objectContaining({ fileName: 'hipaa-from-office.pdf', source: 'EMAIL', nigoItemKey: hipaa.key, review: 'TO_REVIEW', inboundMailId: mail.id })]);
  expect(await world.db.inboundMail.findUniqueOrThrow({ where: { id: mail.id } })).toMatchObject({ status: 'MATCHED', caseId, matchedBy: 'assigned by cm:jordan' });
  expect((await runBga(['mail', 'unmatched'], env)).stdout.trim()).toBe('Unmatched mail: none');

  const again = await runBga(['mail', 'assign', mail.id, caseId], env);
  expect([again.code, again.stderr]).toEqual([2, expect.stringMatching(/is not unmatched: it is matched on case/)]);
  const wrongCase = await runBga(['mail', 'assign', 'mail-0000', caseId], env);
  expect([wrongCase.code, wrongCase.stderr]).toEqual([2, expect.stringMatching(/no inbound mail mail-0000/)]);
  expect((await world.state(caseId)).documents).toHaveLength(1);
});
