import { issueAge } from './age';
import type { Application } from './application';
import { addMonths } from './business-days';
import {
  findCarrier,
  findProduct,
  gridCell,
  type CarrierConfig,
  type Channel,
  type FormCondition,
  type RulesConfig,
  type Signer,
} from './carrier-config';
import { physicianSlug } from './physician';
import { FORM_NAMES, type RequirementCode } from './catalogue';
import type { ContractingRules } from './contracting-core/state';
import { planRequirement } from './planning';
import type {
  CaseRules,
  ChannelRef,
  Evaluation,
  NigoItem,
  PlannedRequirement,
  RequirementSource,
  VendorRef,
} from './evaluation';

/*
 * Carrier rules applied to one application: what is not in good order, what to order,
 * and the clock settings of the case. Pure, so it can be replayed and unit-tested.
 */

/**
 * Issue age at signing: the application date fixes the age the carrier underwrites at,
 * whenever the package reaches the BGA.
 */
export function applicationIssueAge(app: Application, carrier: CarrierConfig): number {
  return issueAge(app.insured.dateOfBirth, app.signedOn, carrier.ageBasis);
}

export function formatDollars(amount: number): string {
  return `$${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/** Throws when the application fails the checks of checkIntake, which must run first. */
export function evaluateApplication(app: Application, config: RulesConfig, today: string): Evaluation {
  const carrier = findCarrier(config, app.carrier);
  if (!carrier) throw new Error(`Unknown carrier ${app.carrier}; checkIntake must accept the application before it is evaluated`);
  const product = findProduct(carrier, app.product.type);
  const age = applicationIssueAge(app, carrier);
  const cell = product && gridCell(product.grid, age, app.product.faceAmount);
  if (!cell || cell === 'NA') {
    throw new Error(
      `${carrier.code} ${app.product.type} is not available for ${formatDollars(app.product.faceAmount)} at issue age ${age}; ` +
        'checkIntake must accept the application before it is evaluated',
    );
  }

  const formNigo = formItems(app, carrier);
  const requirements = plannedRequirements(app, carrier, age, cell).map((req) => withReceivedCopy(req, app, age, today, formNigo));
  return {
    issueAge: age,
    nigo: [...formNigo, ...fieldItems(app)],
    requirements,
    rules: caseRules(carrier, config),
  };
}

/* ---- NIGO: forms and fields ---- */

const SIGNERS: Record<Signer, { flag: 'signedByInsured' | 'signedByOwner' | 'signedByAgent'; name: string }> = {
  INSURED: { flag: 'signedByInsured', name: 'insured' },
  OWNER: { flag: 'signedByOwner', name: 'owner' },
  AGENT: { flag: 'signedByAgent', name: 'agent' },
};

/** Why the form must be in the package, told to the broker; null when it need not be. */
function whyRequired(when: FormCondition, app: Application): string | null {
  switch (when.type) {
    case 'ALWAYS':
      return 'required with every application';
    case 'WHEN_INCLUDED':
      return null;
    case 'REPLACEMENT':
      if (app.replacement.isReplacing) return 'the application says an existing policy is being replaced';
      if (app.replacement.hasExistingCoverage) return 'the application says the insured has existing coverage';
      return when.states.includes(app.stateOfSigning) ? `required for every application signed in ${app.stateOfSigning}` : null;
    case 'PRODUCT_TYPES':
      return when.productTypes.includes(app.product.type) ? `required for ${app.product.type} products` : null;
    case 'STATES':
      return when.states.includes(app.stateOfSigning) ? `required for applications signed in ${app.stateOfSigning}` : null;
  }
}

function formItems(app: Application, carrier: CarrierConfig): NigoItem[] {
  const items: NigoItem[] = [];
  for (const rule of carrier.forms) {
    const name = FORM_NAMES[rule.form];
    const form = app.forms.find((f) => f.code === rule.form);
    if (!form) {
      const reason = whyRequired(rule.when, app);
      if (reason !== null) {
        items.push({ key: `MISSING_FORM:${rule.form}`, kind: 'MISSING_FORM', form: rule.form, message: `${name} is missing (${reason})` });
      }
      continue;
    }
    for (const signer of rule.signedBy) {
      // The owner signs separately only when someone other than the insured owns the policy.
      if (signer === 'OWNER' && !app.owner) continue;
      const { flag, name: who } = SIGNERS[signer];
      if (form[flag] !== true) {
        items.push({
          key: `MISSING_SIGNATURE:${rule.form}:${who}`,
          kind: 'MISSING_SIGNATURE',
          form: rule.form,
          message: `${name} is not signed by the ${who}`,
        });
      }
    }
    if (rule.dated && !form.dated) {
      items.push({ key: `UNDATED_FORM:${rule.form}`, kind: 'UNDATED_FORM', form: rule.form, message: `${name} is not dated` });
    }
  }
  return items;
}

function fieldItems(app: Application): NigoItem[] {
  if (app.owner?.kind === 'PERSON' && !app.owner.address) {
    return [
      {
        key: 'MISSING_FIELD:owner.address',
        kind: 'MISSING_FIELD',
        message: 'The owner’s address is missing; the owner is not the insured, so the carrier needs it for the policy',
      },
    ];
  }
  return [];
}

/* ---- Requirements ---- */

function plannedRequirements(app: Application, carrier: CarrierConfig, age: number, gridCodes: RequirementCode[]): PlannedRequirement[] {
  const planned = (code: RequirementCode, source: RequirementSource) => planRequirement(code, source, 'PRE_SUBMISSION', carrier.vendors);
  const face = app.product.faceAmount;
  const all = [
    ...carrier.alwaysOn.filter((a) => age >= (a.minAge ?? 0)).map((a) => planned(a.code, 'ALWAYS')),
    ...gridCodes.map((code) => planned(code, 'GRID')),
    ...carrier.carrierRequirements.map((code) => planned(code, 'CARRIER')),
    ...(carrier.financialSupplement.some((t) => age >= t.minAge && face > t.faceAbove) ? [planned('FINSUPP', 'CARRIER')] : []),
    ...physicianStatements(app, carrier),
  ];
  // A code the grid and the always-on checks both name is ordered once.
  const byKey = new Map<string, PlannedRequirement>();
  for (const req of all) if (!byKey.has(req.key)) byKey.set(req.key, req);
  return [...byKey.values()];
}

function physicianStatements(app: Application, carrier: CarrierConfig): PlannedRequirement[] {
  const bySlug = new Map<string, PlannedRequirement>();
  for (const { physician } of app.medical.disclosures) {
    const slug = physicianSlug(physician.name);
    if (bySlug.has(slug)) continue;
    const req = planRequirement('PHYSSTMT', 'DISCLOSURE', 'PRE_SUBMISSION', carrier.vendors);
    bySlug.set(slug, {
      ...req,
      key: `PHYSSTMT:${slug}`,
      description: `${req.description}: ${physician.name}`,
      physician: { name: physician.name, phone: physician.phone, ...(physician.practice && { practice: physician.practice }) },
    });
  }
  return [...bySlug.values()];
}

/* ---- Copies already in the package ---- */

/** Months a result stays usable, by requirement; codes not listed never go stale. */
const SHELF_LIFE_MONTHS: Partial<Record<RequirementCode, (issueAge: number) => number>> = {
  BLOOD: (age) => (age <= 70 ? 12 : 6),
  URINE: (age) => (age <= 70 ? 12 : 6),
  EKGREST: () => 12,
  PARAMED: () => 6,
  TELEINTERVIEW: () => 6,
  COGSCREEN: () => 6,
};

function withReceivedCopy(req: PlannedRequirement, app: Application, age: number, today: string, formNigo: NigoItem[]): PlannedRequirement {
  const shelfLife = SHELF_LIFE_MONTHS[req.code];
  const physician = req.physician && physicianSlug(req.physician.name);
  const usable = app.documents
    .filter((doc) => doc.code === req.code && doc.receivedOn <= today)
    .filter((doc) => shelfLife === undefined || today <= addMonths(doc.receivedOn, shelfLife(age)))
    // An APS on file only counts for the physician it names.
    .filter((doc) => physician === undefined || `-${physicianSlug(doc.description ?? '')}-`.includes(`-${physician}-`))
    .map((doc) => doc.receivedOn)
    .sort();
  const latest = usable[usable.length - 1];
  if (latest !== undefined) return { ...req, alreadyReceivedOn: latest };
  // A requirement such as a financial supplement may come as a form in the package, good once in order.
  const inPackage = app.forms.some((f) => f.code === req.code) && !formNigo.some((n) => n.form === req.code);
  return inPackage ? { ...req, alreadyReceivedOn: app.signedOn } : req;
}

/* ---- Case rules ---- */

function channelRef(channel: Channel): ChannelRef {
  return channel.type === 'email' ? { type: 'email', target: channel.to } : { type: 'https', target: channel.url };
}

const holidayDates = (config: RulesConfig): string[] => config.settings.holidays.map((h) => h.date).sort();

function caseRules(carrier: CarrierConfig, config: RulesConfig): CaseRules {
  const vendors: Record<string, VendorRef> = {};
  for (const vendorCode of Object.values(carrier.vendors)) {
    const vendor = config.vendors.find((v) => v.code === vendorCode);
    if (!vendor) throw new Error(`Carrier ${carrier.code} uses vendor ${vendorCode}, which is not configured`);
    vendors[vendorCode] = {
      code: vendor.code,
      name: vendor.name,
      channel: channelRef(vendor.channel),
      ...(vendor.contactEmail ? { contactEmail: vendor.contactEmail } : {}),
      followUpBusinessDays: vendor.followUpBusinessDays,
    };
  }
  return {
    bgaName: config.settings.bgaName,
    carrierCode: carrier.code,
    carrierName: carrier.name,
    submissionPolicy: carrier.submissionPolicy,
    newBusinessChannel: channelRef(carrier.newBusinessChannel),
    followUp: { ...carrier.followUp },
    holidays: holidayDates(config),
    vendors,
    vendorByKind: { ...carrier.vendors },
    delivery: carrier.delivery.map((code) => planRequirement(code, 'DELIVERY', 'DELIVERY', carrier.vendors)),
    caseManagerEmail: config.settings.caseManagerEmail,
    contractingEmail: config.settings.contractingEmail,
  };
}

/* ---- Contracting rules ---- */

/** What one broker's contracting request with the carrier follows: the carrier's packet and clocks, the agency's calendar. */
export function contractingRules(config: RulesConfig, carrierCode: string): ContractingRules {
  const carrier = findCarrier(config, carrierCode);
  if (!carrier) throw new Error(`Unknown carrier ${carrierCode}; the carriers are ${config.carriers.map((c) => c.code).join(', ')}`);
  const { packet, eoMinimumLimit, amlTrainingValidMonths, appointmentChannel, followUp } = carrier.contracting;
  return {
    bgaName: config.settings.bgaName,
    carrierCode: carrier.code,
    carrierName: carrier.name,
    contractingEmail: config.settings.contractingEmail,
    packet: packet.map((p) => ({ ...p })),
    eoMinimumLimit,
    amlTrainingValidMonths,
    appointmentChannel: channelRef(appointmentChannel),
    followUp: { ...followUp },
    holidays: holidayDates(config),
  };
}
