import type { CaseEvent, CaseRequirement, CaseState, RequirementStatus, Stage } from '../case';
import type { PlannedRequirement } from '../evaluation';

const RECENT_EVENTS = 30;

/**
 * The workflow's case state with the bookkeeping every change needs: an event in the trail,
 * the activity clock, and a note of what the next database sync must carry.
 */
export class CaseBook {
  private unsyncedEvents: CaseEvent[] = [];
  private touched = new Set<string>();

  constructor(
    public readonly state: CaseState,
    private readonly now: () => string,
  ) {}

  /**
   * @param activity whether the event counts as activity on the case; only people and outside
   * systems do, and a request's own outcome record does not count a second time.
   */
  event(type: string, actor: string, description: string, data?: Record<string, unknown>, activity = actor !== 'system'): CaseEvent {
    const at = this.now();
    const e: CaseEvent = { seq: this.state.nextSeq++, type, actor, at, description, ...(data ? { data } : {}) };
    this.state.recentEvents.push(e);
    if (this.state.recentEvents.length > RECENT_EVENTS) this.state.recentEvents.shift();
    this.unsyncedEvents.push(e);
    // The case's own follow-ups must not keep an abandoned case alive past its inactivity limit.
    if (activity) this.state.lastActivityAt = at;
    return e;
  }

  enterStage(stage: Stage, actor = 'system'): void {
    if (this.state.stage === stage) return;
    const from = this.state.stage;
    this.state.stage = stage;
    this.state.stageEnteredAt = this.now();
    this.event('STAGE_ENTERED', actor, `Stage: ${stage.replace(/_/g, ' ').toLowerCase()}`, { stage, from });
  }

  requirement(key: string): CaseRequirement | undefined {
    return this.state.requirements.find((r) => r.key === key);
  }

  addRequirement(p: PlannedRequirement, actor: string, status: RequirementStatus, extra: Partial<CaseRequirement> = {}): CaseRequirement {
    const at = this.now();
    const r: CaseRequirement = {
      ...p,
      status,
      requestedOn: at.slice(0, 10),
      statusAt: at,
      followUpCount: 0,
      escalated: false,
      history: [],
      ...extra,
    };
    this.state.requirements.push(r);
    this.recordStatus(r, status, actor, 'requested');
    return r;
  }

  setStatus(r: CaseRequirement, status: RequirementStatus, actor: string, note?: string): void {
    r.status = status;
    r.statusAt = this.now();
    this.recordStatus(r, status, actor, note);
  }

  /** Marks a requirement changed without a status change (follow-up counters, dates). */
  touch(r: CaseRequirement): void {
    this.touched.add(r.key);
  }

  private recordStatus(r: CaseRequirement, status: RequirementStatus, actor: string, note?: string): void {
    const e = this.event('REQUIREMENT_STATUS', actor, `${r.description}: ${status.toLowerCase()}${note ? ` — ${note}` : ''}`, {
      key: r.key,
      status,
    });
    r.history.push({ seq: e.seq, status, at: e.at, actor, ...(note ? { note } : {}) });
    this.touched.add(r.key);
  }

  hasUnsynced(): boolean {
    return this.unsyncedEvents.length > 0 || this.touched.size > 0;
  }

  /** Hands over what changed since the last call; the caller must sync it. */
  takeChanges(): { events: CaseEvent[]; requirements: CaseRequirement[] } {
    const events = this.unsyncedEvents;
    const requirements = this.state.requirements.filter((r) => this.touched.has(r.key));
    this.unsyncedEvents = [];
    this.touched = new Set();
    return { events, requirements };
  }

  /** Puts changes back after a failed sync so the next one carries them. */
  returnChanges(changes: { events: CaseEvent[]; requirements: CaseRequirement[] }): void {
    this.unsyncedEvents = [...changes.events, ...this.unsyncedEvents];
    for (const r of changes.requirements) this.touched.add(r.key);
  }
}
