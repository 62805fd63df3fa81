import type { CaseEvent, CaseRequirement, CaseState } from '../domain/case';
import type { Prisma } from '../prisma/generated/client';

/** What changed since the last sync: the case's scalar state, touched requirements, new events. */
export interface SyncCaseInput {
  state: Pick<CaseState, 'caseId' | 'stage' | 'outcome' | 'stageEnteredAt' | 'lastActivityAt'>;
  requirements: CaseRequirement[];
  events: CaseEvent[];
}

type RawClient = Pick<Prisma.TransactionClient, '$queryRaw'>;

/*
 * The case row, the requirements it touched with their status history, and the trail, written
 * by one SQL statement: every action's answer waits for this write, and as one round trip it
 * costs a fraction of the same writes issued one by one. Each row's key comes from the case and
 * the event sequence, so a retried sync writes the same values again and adds nothing.
 *
 * Times are stored as Prisma stores DateTime: UTC in `timestamp(3)`. A day (`requestedOn`) is
 * midnight UTC; `nextFollowUpOn` is a date.
 */

const requirementRow = (r: CaseRequirement) => ({
  key: r.key,
  code: r.code,
  description: r.description,
  fulfiller: r.fulfiller,
  vendorCode: r.vendorCode ?? null,
  source: r.source,
  status: r.status,
  requestedOn: r.requestedOn.slice(0, 10),
  statusAt: r.statusAt,
  fulfilledOn: r.fulfilledOn?.slice(0, 10) ?? null,
  providerOrderNumber: r.providerOrderNumber ?? null,
  carrierOrderNumber: r.carrierOrderNumber ?? null,
  nextFollowUpOn: r.nextFollowUpOn?.slice(0, 10) ?? null,
  followUpCount: r.followUpCount,
});

/**
 * Writes the changes; false when the case has no record, in which case nothing is written (the
 * requirements and events join the updated case row, so without it they insert nothing).
 */
export async function writeCaseChanges(client: RawClient, caseId: string, { state, requirements, events }: SyncCaseInput): Promise<boolean> {
  // One row per key: a statement may upsert a row only once.
  const unique = [...new Map(requirements.map((r) => [r.key, r])).values()];
  const reqs = JSON.stringify(unique.map(requirementRow));
  const history = JSON.stringify(
    unique.flatMap((r) => r.history.map((h) => ({ id: `${caseId}:${h.seq}:${r.key}`, key: r.key, status: h.status, at: h.at, actor: h.actor, note: h.note ?? null }))),
  );
  const trail = JSON.stringify(
    events.map((e) => ({ id: `${caseId}:${e.seq}`, seq: e.seq, type: e.type, actor: e.actor, at: e.at, description: e.description, data: e.data ?? null })),
  );
  const rows = await client.$queryRaw<{ found: bigint }[]>`
    WITH kase AS (
      UPDATE "Case" SET
        stage = ${state.stage},
        outcome = ${state.outcome?.outcome ?? null},
        "outcomeReason" = ${state.outcome?.reason ?? null},
        "stageEnteredAt" = ${state.stageEnteredAt}::timestamptz AT TIME ZONE 'UTC',
        "lastActivityAt" = ${state.lastActivityAt}::timestamptz AT TIME ZONE 'UTC',
        "closedAt" = ${state.outcome?.at ?? null}::timestamptz AT TIME ZONE 'UTC',
        "updatedAt" = now() AT TIME ZONE 'UTC'
      WHERE id = ${caseId}
      RETURNING id
    ),
    touched AS (
      INSERT INTO "Requirement" (id, "caseId", key, code, description, fulfiller, "vendorCode", source, status, "requestedAt", "statusAt",
                                 "fulfilledAt", "providerOrderNumber", "carrierOrderNumber", "nextFollowUpOn", "followUpCount")
      SELECT gen_random_uuid()::text, kase.id, r.key, r.code, r.description, r.fulfiller, r."vendorCode", r.source, r.status,
             r."requestedOn"::date::timestamp, r."statusAt"::timestamptz AT TIME ZONE 'UTC', r."fulfilledOn"::date::timestamp,
             r."providerOrderNumber", r."carrierOrderNumber", r."nextFollowUpOn"::date, r."followUpCount"
        FROM kase, jsonb_to_recordset(${reqs}::jsonb) AS r(key text, code text, description text, fulfiller text, "vendorCode" text, source text,
               status text, "requestedOn" text, "statusAt" text, "fulfilledOn" text, "providerOrderNumber" text, "carrierOrderNumber" text,
               "nextFollowUpOn" text, "followUpCount" int)
      ON CONFLICT ("caseId", key) DO UPDATE SET
        code = EXCLUDED.code, description = EXCLUDED.description, fulfiller = EXCLUDED.fulfiller, "vendorCode" = EXCLUDED."vendorCode",
        source = EXCLUDED.source, status = EXCLUDED.status, "requestedAt" = EXCLUDED."requestedAt", "statusAt" = EXCLUDED."statusAt",
        "fulfilledAt" = EXCLUDED."fulfilledAt", "providerOrderNumber" = EXCLUDED."providerOrderNumber",
        "carrierOrderNumber" = EXCLUDED."carrierOrderNumber", "nextFollowUpOn" = EXCLUDED."nextFollowUpOn", "followUpCount" = EXCLUDED."followUpCount"
      RETURNING id, key
    ),
    statuses AS (
      INSERT INTO "RequirementEvent" (id, "requirementId", status, at, actor, note)
      SELECT h.id, touched.id, h.status, h.at::timestamptz AT TIME ZONE 'UTC', h.actor, h.note
        FROM jsonb_to_recordset(${history}::jsonb) AS h(id text, key text, status text, at text, actor text, note text)
        JOIN touched ON touched.key = h.key
      ON CONFLICT DO NOTHING
    ),
    trail AS (
      INSERT INTO "CaseEvent" (id, "caseId", seq, type, actor, at, description, data)
      SELECT e.id, kase.id, e.seq, e.type, e.actor, e.at::timestamptz AT TIME ZONE 'UTC', e.description, NULLIF(e.data, 'null'::jsonb)
        FROM kase, jsonb_to_recordset(${trail}::jsonb) AS e(id text, seq int, type text, actor text, at text, description text, data jsonb)
      ON CONFLICT DO NOTHING
    )
    SELECT count(*) AS found FROM kase`;
  return Number(rows[0]?.found ?? 0) > 0;
}
