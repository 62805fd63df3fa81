import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import type { Application, Physician } from '../../domain/application';
import { CATALOGUE, type RequirementCode } from '../../domain/catalogue';
import * as C from './codes';

/*
 * ACORD TXLife 103 (New Business Submission) as the BGA sends it to carrier underwriting.
 * A pure function of its input: no clock, no random IDs, so a retried activity sends the
 * same bytes and the carrier can de-duplicate on TransRefGUID.
 */

export interface TxLife103Requirement {
  key: string;
  code: RequirementCode;
  description: string;
  status: string;
  requestedOn: string;
  fulfilledOn?: string;
  providerOrderNumber?: string;
}

export interface TxLife103Input {
  caseId: string;
  transRefGuid: string;
  /** YYYY-MM-DD */
  transExeDate: string;
  /** HH:MM:SS */
  transExeTime: string;
  carrierCode: string;
  carrierName: string;
  application: Application;
  issueAge: number;
  requirements: TxLife103Requirement[];
  bgaName: string;
}

type OtherParty = NonNullable<Application['owner']>;
type Address = Application['insured']['address'];
type PersonFields = Pick<Application['insured'], 'firstName' | 'middleName' | 'lastName' | 'sex' | 'dateOfBirth' | 'ssn' | 'email'> & {
  phone?: string;
  address?: Address;
};

const ID = {
  holding: 'Holding_1',
  insured: 'Party_Insured',
  owner: 'Party_Owner',
  payor: 'Party_Payor',
  agent: 'Party_Agent',
  agency: 'Party_Agency',
  carrier: 'Party_Carrier',
} as const;

interface PhysicianParty {
  id: string;
  physician: Physician;
}

export function buildTxLife103(input: TxLife103Input): string {
  const app = input.application;
  const physicians = distinctPhysicians(app);
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(C.ACORD_NAMESPACE, 'TXLife', { Version: C.ACORD_VERSION });
  const request = root.ele('TXLifeRequest');
  leaf(request, 'TransRefGUID', input.transRefGuid);
  coded(request, 'TransType', C.TRANS_NEW_BUSINESS);
  leaf(request, 'TransExeDate', input.transExeDate);
  leaf(request, 'TransExeTime', input.transExeTime);

  const olife = request.ele('OLifE');
  const source = olife.ele('SourceInfo');
  leaf(source, 'CreationDate', input.transExeDate);
  leaf(source, 'CreationTime', input.transExeTime);
  leaf(source, 'SourceInfoName', input.bgaName);
  leaf(source, 'FileControlID', input.caseId);

  addHolding(olife, input);
  addInsured(olife, app);
  if (app.owner) addOtherParty(olife, ID.owner, app.owner);
  if (app.payor) addOtherParty(olife, ID.payor, app.payor);
  addAgent(olife, input);
  if (app.broker.agency) addOrganization(olife, ID.agency, app.broker.agency);
  for (const p of physicians) addPhysician(olife, p);
  addOrganization(olife, ID.carrier, input.carrierName).ele('Carrier').ele('CarrierCode').txt(input.carrierCode);
  addRelations(olife, app, physicians);

  return root.end({ prettyPrint: true });
}

function addHolding(olife: XMLBuilder, input: TxLife103Input): void {
  const app = input.application;
  const holding = olife.ele('Holding', { id: ID.holding });
  coded(holding, 'HoldingTypeCode', C.HOLDING_POLICY);
  const policy = holding.ele('Policy', { CarrierPartyID: ID.carrier });
  // Empty until the carrier issues; the application number travels as TrackingID below.
  policy.ele('PolNumber');
  coded(policy, 'ProductType', C.PRODUCT_TYPE[app.product.type]);
  leaf(policy, 'CarrierCode', input.carrierCode);
  leaf(policy, 'PlanName', app.product.plan);
  coded(policy, 'Jurisdiction', C.stateTc(app.stateOfSigning));

  const coverage = policy.ele('Life').ele('Coverage', { id: 'Coverage_1' });
  leaf(coverage, 'PlanName', app.product.plan);
  coded(coverage, 'IndicatorCode', C.COVERAGE_BASE);
  leaf(coverage, 'CurrentAmt', String(app.product.faceAmount));
  // The level period is how a production 103 mapping states a term's length.
  if (app.product.type === 'TERM' && app.product.termYears !== undefined) {
    leaf(coverage, 'LevelPremiumPeriod', String(app.product.termYears));
  }
  const participant = coverage.ele('LifeParticipant', { PartyID: ID.insured });
  coded(participant, 'LifeParticipantRoleCode', C.PARTICIPANT_PRIMARY_INSURED);
  leaf(participant, 'IssueAge', String(input.issueAge));

  const appInfo = policy.ele('ApplicationInfo');
  leaf(appInfo, 'TrackingID', app.applicationNumber);
  coded(appInfo, 'ApplicationJurisdiction', C.stateTc(app.stateOfSigning));
  leaf(appInfo, 'SignedDate', app.signedOn);
  coded(appInfo, 'ReplacementInd', app.replacement.isReplacing ? C.BOOLEAN.true : C.BOOLEAN.false);

  input.requirements.forEach((r, i) => addRequirement(policy, r, i + 1));
}

function addRequirement(policy: XMLBuilder, r: TxLife103Requirement, n: number): void {
  const info = policy.ele('RequirementInfo', { id: `Requirement_${n}`, AppliesToPartyID: ID.insured });
  // Our key comes back on the carrier's status feed, which is how a 1122 finds its requirement.
  leaf(info, 'RequirementInfoUniqueID', r.key);
  coded(info, 'ReqCode', { tc: C.REQ_CODE_TC_SEEN_IN_SAMPLES[r.code] ?? C.OLI_OTHER, text: CATALOGUE[r.code].description });
  const statusText = (C.REQ_STATUS_TEXT_UNCONFIRMED_TC as Record<string, string | undefined>)[r.status] ?? r.status;
  coded(info, 'ReqStatus', { tc: C.OLI_OTHER, text: statusText });
  leaf(info, 'RequirementDetails', r.description);
  leaf(info, 'RequestedDate', r.requestedOn);
  leaf(info, 'FulfilledDate', r.fulfilledOn);
  leaf(info, 'ProviderOrderNum', r.providerOrderNumber);
}

function addInsured(olife: XMLBuilder, app: Application): void {
  const insured = app.insured;
  const party = addPerson(olife, ID.insured, insured, (person) =>
    coded(person, 'SmokerStat', insured.tobacco ? C.SMOKER_STAT.current : C.SMOKER_STAT.never),
  );
  const risk = party.ele('Risk');
  coded(risk, 'TobaccoInd', insured.tobacco ? C.BOOLEAN.true : C.BOOLEAN.false);
  app.medical.disclosures.forEach((d, i) => {
    const condition = risk.ele('MedicalCondition', { id: `MedicalCondition_${i + 1}` });
    // Only ConditionDescription is confirmed in public ACORD code; date, treatment and the
    // physician ride in its text, and the physician is also related to the insured below.
    const doctor = d.physician.practice ? `${d.physician.name} (${d.physician.practice})` : d.physician.name;
    const parts = [d.condition, d.diagnosedOn && `diagnosed ${d.diagnosedOn}`, d.treatment && `treatment: ${d.treatment}`, `physician: ${doctor}`];
    leaf(condition, 'ConditionDescription', parts.filter(Boolean).join('; '));
  });
}

function addOtherParty(olife: XMLBuilder, id: string, other: OtherParty): void {
  if (other.kind === 'PERSON') {
    addPerson(olife, id, other);
    return;
  }
  const party = olife.ele('Party', { id });
  coded(party, 'PartyTypeCode', C.PARTY_TYPE.organization);
  leaf(party, 'FullName', other.name);
  leaf(party, 'GovtID', digits(other.taxId));
  coded(party, 'GovtIDTC', C.GOVT_ID.tin);
  const org = party.ele('Organization');
  if (/\btrust/i.test(`${other.name} ${other.relationship}`)) coded(org, 'OrgForm', C.ORG_FORM_TRUST);
  addAddress(party, C.ADDRESS_TYPE.business, other.address);
}

function addPerson(olife: XMLBuilder, id: string, p: PersonFields, extra?: (person: XMLBuilder) => void): XMLBuilder {
  const party = olife.ele('Party', { id });
  coded(party, 'PartyTypeCode', C.PARTY_TYPE.person);
  leaf(party, 'FullName', [p.firstName, p.middleName, p.lastName].filter(Boolean).join(' '));
  leaf(party, 'GovtID', digits(p.ssn));
  coded(party, 'GovtIDTC', C.GOVT_ID.ssn);
  const person = party.ele('Person');
  leaf(person, 'FirstName', p.firstName);
  leaf(person, 'MiddleName', p.middleName);
  leaf(person, 'LastName', p.lastName);
  coded(person, 'Gender', C.GENDER[p.sex]);
  leaf(person, 'BirthDate', p.dateOfBirth);
  extra?.(person);
  if (p.address) addAddress(party, C.ADDRESS_TYPE.residence, p.address);
  if (p.phone) addPhone(party, C.PHONE_TYPE.home, p.phone);
  if (p.email) addEmail(party, C.EMAIL_TYPE.personal, p.email);
  return party;
}

function addAgent(olife: XMLBuilder, input: TxLife103Input): void {
  const broker = input.application.broker;
  const party = olife.ele('Party', { id: ID.agent });
  coded(party, 'PartyTypeCode', C.PARTY_TYPE.person);
  // Names arrive as one string; FullName carries it rather than a guessed first/last split.
  leaf(party, 'FullName', broker.name);
  party.ele('Person');
  addEmail(party, C.EMAIL_TYPE.business, broker.email);
  const producer = party.ele('Producer');
  leaf(producer.ele('CarrierAppointment'), 'CarrierCode', input.carrierCode);
  leaf(producer, 'NIPRNumber', broker.npn);
}

function addPhysician(olife: XMLBuilder, { id, physician }: PhysicianParty): void {
  const party = olife.ele('Party', { id });
  coded(party, 'PartyTypeCode', C.PARTY_TYPE.person);
  leaf(party, 'FullName', physician.name);
  party.ele('Person');
  if (physician.address) addAddress(party, C.ADDRESS_TYPE.business, physician.address);
  addPhone(party, C.PHONE_TYPE.business, physician.phone);
  if (physician.fax) addPhone(party, C.PHONE_TYPE.businessFax, physician.fax);
}

function addOrganization(olife: XMLBuilder, id: string, name: string): XMLBuilder {
  const party = olife.ele('Party', { id });
  coded(party, 'PartyTypeCode', C.PARTY_TYPE.organization);
  leaf(party, 'FullName', name);
  party.ele('Organization');
  return party;
}

function addRelations(olife: XMLBuilder, app: Application, physicians: PhysicianParty[]): void {
  const owner = app.owner ? ID.owner : ID.insured;
  // Application convention: the owner is the insured and the payor the owner unless named.
  const links: Array<[string, string, C.Tc]> = [
    [ID.holding, ID.insured, C.RELATION_ROLE.insured],
    [ID.holding, owner, C.RELATION_ROLE.owner],
    [ID.holding, app.payor ? ID.payor : owner, C.RELATION_ROLE.payer],
    [ID.holding, ID.agent, C.RELATION_ROLE.primaryWritingAgent],
  ];
  if (app.broker.agency) links.push([ID.holding, ID.agency, C.RELATION_ROLE.writingAgency]);
  for (const p of physicians) links.push([ID.insured, p.id, C.RELATION_ROLE.physician]);

  links.forEach(([from, to, role], i) => {
    const relation = olife.ele('Relation', { id: `Relation_${i + 1}`, OriginatingObjectID: from, RelatedObjectID: to });
    coded(relation, 'OriginatingObjectType', from === ID.holding ? C.OBJECT_TYPE.holding : C.OBJECT_TYPE.party);
    coded(relation, 'RelatedObjectType', C.OBJECT_TYPE.party);
    coded(relation, 'RelationRoleCode', role);
  });
}

/** One Party per physician, however many disclosures name them (one APS each). */
function distinctPhysicians(app: Application): PhysicianParty[] {
  const byKey = new Map<string, PhysicianParty>();
  for (const { physician } of app.medical.disclosures) {
    const key = `${physician.name.trim().toLowerCase()}|${nationalDigits(physician.phone)}`;
    if (!byKey.has(key)) byKey.set(key, { id: `Party_Physician_${byKey.size + 1}`, physician });
  }
  return [...byKey.values()];
}

function addAddress(party: XMLBuilder, type: C.Tc, a: Address): void {
  const address = party.ele('Address');
  coded(address, 'AddressTypeCode', type);
  leaf(address, 'Line1', a.line1);
  leaf(address, 'Line2', a.line2);
  leaf(address, 'City', a.city);
  leaf(address, 'AddressState', a.state);
  coded(address, 'AddressStateTC', C.stateTc(a.state));
  leaf(address, 'Zip', a.zip);
  coded(address, 'AddressCountryTC', C.NATION_USA);
}

function addPhone(party: XMLBuilder, type: C.Tc, raw: string): void {
  const national = nationalDigits(raw);
  const phone = party.ele('Phone');
  coded(phone, 'PhoneTypeCode', type);
  if (national.length === 10) {
    leaf(phone, 'AreaCode', national.slice(0, 3));
    leaf(phone, 'DialNumber', national.slice(3));
  } else {
    leaf(phone, 'DialNumber', national);
  }
}

function addEmail(party: XMLBuilder, type: C.Tc, address: string): void {
  const email = party.ele('EMailAddress');
  coded(email, 'EMailType', type);
  leaf(email, 'AddrLine', address);
}

/** Element with text, skipped when the value is absent; xmlbuilder2 escapes the text. */
function leaf(parent: XMLBuilder, name: string, value: string | undefined): void {
  if (value !== undefined) parent.ele(name).txt(value);
}

function coded(parent: XMLBuilder, name: string, code: C.Tc): void {
  parent.ele(name, { tc: String(code.tc) }).txt(code.text);
}

function digits(s: string): string {
  return s.replace(/\D/g, '');
}

/** A US number without its +1, so "+1 404 555 0101" and "404-555-0101" compare equal. */
function nationalDigits(phone: string): string {
  const all = digits(phone);
  return all.length === 11 && all.startsWith('1') ? all.slice(1) : all;
}
