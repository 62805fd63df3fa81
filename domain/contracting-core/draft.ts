import { addBusinessDays, parseIsoDate } from '../business-days';
import type { PacketItem } from '../carrier-config';
import type { UsState } from '../catalogue';
import { STATE_NAMES } from '../contracting';
import type { ContractingEffect } from './effects';
import { type ContractingStage, type ContractingState, isLicenseItem, licenseEntryKey, type PacketEntry, STAGE_LABELS } from './state';

/*
 * The working copy one step of the core changes, with the bookkeeping every change needs: an
 * event in the trail, the effects to list, business-day dates. The caller's state is never
 * touched, so a refusal met half-way through a step leaves it exactly as it was.
 */

export class Draft {
  readonly state: ContractingState;
  readonly effects: ContractingEffect[] = [];
  /** The business date of this step: the day part of the shell's instant. */
  readonly today: string;

  /** @param at the shell's time for this step (workflow time), as an ISO instant or date */
  constructor(
    state: ContractingState,
    readonly at: string,
  ) {
    this.today = at.slice(0, 10);
    parseIsoDate(this.today);
    // The state is plain JSON data, so a JSON round trip copies it whole.
    this.state = JSON.parse(JSON.stringify(state)) as ContractingState;
  }

  event(type: string, actor: string, description: string): void {
    this.state.events.push({ type, at: this.at, actor, description });
  }

  emit(effect: ContractingEffect): void {
    this.effects.push(effect);
  }

  addDays(date: string, businessDays: number): string {
    return addBusinessDays(date, businessDays, this.state.rules.holidays);
  }

  /** The first broker reminder about an item asked for today. */
  nextReminder(): string {
    return this.addDays(this.today, this.state.rules.followUp.brokerReminderBusinessDays);
  }

  enterStage(stage: ContractingStage, actor: string): void {
    if (this.state.stage === stage) return;
    this.state.stage = stage;
    this.state.stageEnteredAt = this.at;
    this.event('STAGE_ENTERED', actor, `Stage: ${STAGE_LABELS[stage].toLowerCase()}`);
  }

  /** Asks the broker for an item of the carrier's packet; undefined when the packet does not ask for it. */
  addEntry(item: PacketItem, state?: UsState): PacketEntry | undefined {
    const asked = this.state.rules.packet.find((p) => p.item === item);
    if (!asked) return undefined;
    const licence = isLicenseItem(item) && state !== undefined;
    const entry: PacketEntry = {
      key: licence ? licenseEntryKey(item, state) : item,
      item,
      description: licence ? `${asked.description} (${STATE_NAMES[state]})` : asked.description,
      ...(licence ? { state } : {}),
      status: 'OUTSTANDING',
      returns: 0,
      remindersSent: 0,
      nextReminderOn: this.nextReminder(),
      escalated: false,
    };
    this.state.packet.push(entry);
    return entry;
  }
}
