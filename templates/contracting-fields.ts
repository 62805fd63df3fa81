import { z } from 'zod';
import { line, npn } from './fields';
import { count } from './format';
import { facts, type Block, type Frame } from './layout';

/*
 * Fields shared by the broker-contracting emails. A contracting request takes one broker
 * (by NPN) to an appointment with one carrier; its reference, such as
 * `contracting-17345588-summit`, names the emails in the footer as a case reference does.
 */

export const contractingFields = {
  bgaName: line(120),
  contractingReference: line(80),
  brokerName: line(120),
  brokerNpn: npn,
  carrierName: line(120),
  /** The agency's contracting desk, for replies and questions. */
  contractingEmail: line(200),
};

/** Something asked of the broker, or the request at the carrier, with what was wrong with it when known. */
export const ContractingItemSchema = z.object({
  description: line(200),
  problem: line(500).optional(),
});

export type ContractingItem = z.infer<typeof ContractingItemSchema>;

const MAX_ITEMS = 20;

export const contractingItems = z
  .array(ContractingItemSchema)
  .min(1, 'must list at least one item')
  .max(MAX_ITEMS, `must list at most ${MAX_ITEMS} items`);

/** Items sent back to the broker: each says what was wrong with it. */
export const returnedItems = z
  .array(ContractingItemSchema.extend({ problem: line(500) }))
  .min(1, 'must list at least one item')
  .max(MAX_ITEMS, `must list at most ${MAX_ITEMS} items`);

/** Case references waiting on the appointment. */
export const waitingCases = z.array(line(80)).max(50, 'must list at most 50 cases').default([]);

/** The frame of a contracting email: its footer quotes the contracting reference. */
export const contractingFrame = (d: { bgaName: string; contractingReference: string }): Frame => ({
  bgaName: d.bgaName,
  caseReference: d.contractingReference,
});

/** Names the request in a broker-facing email: who is being appointed, with whom, and the reference to quote. */
export const contractingFacts = (d: { brokerName: string; brokerNpn: string; carrierName: string; contractingReference: string }): Block =>
  facts([
    ['Broker', `${d.brokerName} (NPN ${d.brokerNpn})`],
    ['Carrier', d.carrierName],
    ['Contracting reference', d.contractingReference],
  ]);

/** One item by name, several by number: 'W-9' or '3 items'. */
export const itemsLabel = (items: readonly ContractingItem[]): string =>
  items.length === 1 && items[0] ? items[0].description : count(items.length, 'item');

/** An item as a list line, with what was wrong with it when known. */
export const itemLine = (i: ContractingItem): string => (i.problem ? `${i.description}: ${i.problem}` : i.description);
