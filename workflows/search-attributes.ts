import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/*
 * What managers filter on in the Temporal Web UI. None of these carry PII: the
 * broker is identified by NPN (a public licence number), never the insured.
 */
export const StageKey = defineSearchAttributeKey('BgaStage', SearchAttributeType.KEYWORD);
export const CarrierKey = defineSearchAttributeKey('BgaCarrier', SearchAttributeType.KEYWORD);
export const BrokerNpnKey = defineSearchAttributeKey('BgaBrokerNpn', SearchAttributeType.KEYWORD);
export const ProductTypeKey = defineSearchAttributeKey('BgaProductType', SearchAttributeType.KEYWORD);
export const FaceAmountKey = defineSearchAttributeKey('BgaFaceAmount', SearchAttributeType.DOUBLE);
export const OutstandingCountKey = defineSearchAttributeKey('BgaOutstandingCount', SearchAttributeType.INT);
export const OutstandingCodesKey = defineSearchAttributeKey('BgaOutstandingCodes', SearchAttributeType.KEYWORD_LIST);
export const WaitingOnKey = defineSearchAttributeKey('BgaWaitingOn', SearchAttributeType.KEYWORD_LIST);
export const OldestApsOrderedAtKey = defineSearchAttributeKey('BgaOldestApsOrderedAt', SearchAttributeType.DATETIME);
export const StageEnteredAtKey = defineSearchAttributeKey('BgaStageEnteredAt', SearchAttributeType.DATETIME);
export const LastActivityAtKey = defineSearchAttributeKey('BgaLastActivityAt', SearchAttributeType.DATETIME);
export const OutcomeKey = defineSearchAttributeKey('BgaOutcome', SearchAttributeType.KEYWORD);

export const allSearchAttributeKeys = [
  StageKey,
  CarrierKey,
  BrokerNpnKey,
  ProductTypeKey,
  FaceAmountKey,
  OutstandingCountKey,
  OutstandingCodesKey,
  WaitingOnKey,
  OldestApsOrderedAtKey,
  StageEnteredAtKey,
  LastActivityAtKey,
  OutcomeKey,
];
