import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildTxLife103, type TxLife103Input } from '../../activities/acord/txlife103';
import { ApplicationSchema, type Application, type ApplicationInput } from '../../domain/application';

/*
 * Builds the 103 from a schema-validated application, parses it back and checks the values a
 * carrier's intake would read.
 */

const OLI_OTHER = '2147483647';
const INSURED_SSN = '123-45-6789';
const TRUST_NAME = `Smith & Sons <Family> "Legacy" Trust's`;
const cardiologist = { name: 'Dr. Alan Grant', practice: 'Peachtree Cardiology', phone: '404-555-0101', fax: '404-555-0102' };

function application(overrides: Partial<ApplicationInput> = {}): Application {
  return ApplicationSchema.parse({
    applicationNumber: 'APP-2024-0042',
    carrier: 'SUMMIT',
    product: { type: 'TERM', plan: 'Summit Term 20', faceAmount: 1_000_000, termYears: 20 },
    stateOfSigning: 'GA',
    signedOn: '2024-03-01',
    insured: {
      firstName: 'Dana',
      middleName: 'Q',
      lastName: 'Whitfield',
      dateOfBirth: '1979-06-15',
      sex: 'F',
      ssn: INSURED_SSN,
      tobacco: false,
      email: 'dana@example.com',
      phone: '(404) 555-0199',
      address: { line1: '12 Oak St', city: 'Atlanta', state: 'GA', zip: '30301' },
    },
    owner: {
      kind: 'ENTITY',
      name: TRUST_NAME,
      taxId: '98-7654321',
      relationship: 'Irrevocable life insurance trust',
      address: { line1: '1 Trust Plaza', line2: 'Suite 5', city: 'Atlanta', state: 'GA', zip: '30303' },
    },
    broker: { npn: '8765432', name: 'Pat Broker', email: 'pat@brokerage.example', agency: 'Peach State Agency' },
    medical: {
      disclosures: [
        { condition: 'Hypertension', diagnosedOn: '2019-05-01', treatment: 'Lisinopril 10 mg', physician: cardiologist },
        // Same doctor, phone written differently: still one physician.
        { condition: 'High cholesterol', physician: { ...cardiologist, phone: '+1 404 555 0101' } },
        { condition: 'Knee surgery', diagnosedOn: '2021-02-10', physician: { name: 'Dr. Ellie Sattler', phone: '678-555-0150' } },
      ],
    },
    replacement: { hasExistingCoverage: false, isReplacing: false },
    forms: [{ code: 'APPLICATION', signedByInsured: true, signedByAgent: true, dated: true }],
    ...overrides,
  } satisfies ApplicationInput);
}

function input(app: Application = application()): TxLife103Input {
  return {
    caseId: 'case-summit-app-2024-0042',
    transRefGuid: '6f1d2c3b-0000-4000-8000-000000000042',
    transExeDate: '2024-03-05',
    transExeTime: '14:30:00',
    carrierCode: 'SUMMIT',
    carrierName: 'Summit Life Insurance Company',
    application: app,
    issueAge: 45,
    bgaName: 'Keystone BGA',
    requirements: [
      { key: 'MIBCHECK', code: 'MIBCHECK', description: 'MIB check', status: 'RECEIVED', requestedOn: '2024-03-02', fulfilledOn: '2024-03-03' },
      {
        key: 'PHYSSTMT:dr-alan-grant',
        code: 'PHYSSTMT',
        description: 'APS from Dr. Alan Grant',
        status: 'ORDERED',
        requestedOn: '2024-03-02',
        providerOrderNumber: 'APS-991',
      },
      { key: 'HIPAA', code: 'HIPAA', description: 'HIPAA authorization', status: 'WAIVED', requestedOn: '2024-03-02' },
    ],
  };
}

// Parsed XML is loosely shaped by nature; tests read it through these small accessors.
type Node = any;

const REPEATED = new Set(['Party', 'Relation', 'RequirementInfo', 'MedicalCondition', 'Phone', 'Address', 'EMailAddress']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keep every value a string: SSNs and ZIPs must not lose leading zeros or turn into numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => REPEATED.has(name),
});

function parse(xml: string): Node {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml).TXLife;
}

const olife = (doc: Node): Node => doc.TXLifeRequest.OLifE;
const policy = (doc: Node): Node => olife(doc).Holding.Policy;
const party = (doc: Node, id: string): Node => {
  const found = (olife(doc).Party as Node[]).filter((p) => p['@_id'] === id);
  expect(found).toHaveLength(1);
  return found[0];
};
const relationsWithRole = (doc: Node, tc: string): Node[] => (olife(doc).Relation as Node[]).filter((r) => r.RelationRoleCode['@_tc'] === tc);
const requirement = (doc: Node, key: string): Node =>
  (policy(doc).RequirementInfo as Node[]).find((r) => r.RequirementInfoUniqueID === key);

/** Every text or attribute value in the tree with the path that leads to it. */
function valuesWithPaths(node: Node, path = ''): Array<[string, string]> {
  if (typeof node === 'string') return [[path, node]];
  if (Array.isArray(node)) return node.flatMap((n) => valuesWithPaths(n, path));
  return Object.entries(node ?? {}).flatMap(([k, v]) => valuesWithPaths(v, `${path}/${k}`));
}

describe('buildTxLife103', () => {
  const xml = buildTxLife103(input());
  const doc = parse(xml);

  it('is an ACORD TXLife 103 New Business Submission', () => {
    expect(doc['@_xmlns']).toBe('http://ACORD.org/Standards/Life/2');
    expect(doc['@_Version']).toMatch(/^2\.\d+\.\d+$/);
    const request = doc.TXLifeRequest;
    expect(request.TransType['@_tc']).toBe('103');
    expect(request.TransType['#text']).toBe('New Business Submission');
    expect(request.TransRefGUID).toBe('6f1d2c3b-0000-4000-8000-000000000042');
    expect(request.TransExeDate).toBe('2024-03-05');
    expect(request.TransExeTime).toBe('14:30:00');
    expect(olife(doc).SourceInfo.SourceInfoName).toBe('Keystone BGA');
    expect(olife(doc).SourceInfo.FileControlID).toBe('case-summit-app-2024-0042');
  });

  it('carries the policy as applied for: product, face amount, term, jurisdiction, signing', () => {
    expect(olife(doc).Holding.HoldingTypeCode['@_tc']).toBe('2');
    const p = policy(doc);
    expect(p.PolNumber).toBe('');
    expect(p.ProductType['@_tc']).toBe('2');
    expect(p.CarrierCode).toBe('SUMMIT');
    expect(p.PlanName).toBe('Summit Term 20');
    expect(p.Jurisdiction['@_tc']).toBe('13');
    const coverage = p.Life.Coverage;
    expect(coverage.IndicatorCode['@_tc']).toBe('1');
    expect(coverage.CurrentAmt).toBe('1000000');
    expect(coverage.LevelPremiumPeriod).toBe('20');
    expect(coverage.LifeParticipant['@_PartyID']).toBe('Party_Insured');
    expect(coverage.LifeParticipant.IssueAge).toBe('45');
    expect(p.ApplicationInfo.TrackingID).toBe('APP-2024-0042');
    expect(p.ApplicationInfo.SignedDate).toBe('2024-03-01');
    expect(p.ApplicationInfo.ApplicationJurisdiction['@_tc']).toBe('13');
  });

  it('codes other products and leaves the term length off permanent ones', () => {
    const iul = parse(buildTxLife103(input(application({ product: { type: 'IUL', plan: 'Summit IUL', faceAmount: 500_000 }, stateOfSigning: 'NY' }))));
    expect(policy(iul).ProductType['@_tc']).toBe('5');
    expect(policy(iul).Jurisdiction['@_tc']).toBe('37');
    expect(policy(iul).Life.Coverage.CurrentAmt).toBe('500000');
    expect(policy(iul).Life.Coverage.LevelPremiumPeriod).toBeUndefined();
  });

  it('puts the insured SSN in GovtID and nowhere else', () => {
    const paths = valuesWithPaths(doc)
      .filter(([, value]) => value.includes('123456789') || value.includes(INSURED_SSN))
      .map(([path]) => path);
    expect(paths).toEqual(['/TXLifeRequest/OLifE/Party/GovtID']);
    const insured = party(doc, 'Party_Insured');
    expect(insured.GovtID).toBe('123456789');
    expect(insured.GovtIDTC['@_tc']).toBe('1');
    expect(insured.Person.Gender['@_tc']).toBe('2');
    expect(insured.Person.BirthDate).toBe('1979-06-15');
    expect(insured.Person.SmokerStat['@_tc']).toBe('1');
    expect(insured.Address[0].AddressStateTC['@_tc']).toBe('13');
    expect(insured.Phone[0]).toMatchObject({ AreaCode: '404', DialNumber: '5550199' });
  });

  it('makes one Party per treating physician, each related to the insured', () => {
    const physicians = (olife(doc).Party as Node[]).filter((p) => String(p['@_id']).startsWith('Party_Physician_'));
    expect(physicians.map((p) => p.FullName)).toEqual(['Dr. Alan Grant', 'Dr. Ellie Sattler']);
    expect(physicians.every((p) => p.Person !== undefined && p.Phone.length >= 1)).toBe(true);
    expect(physicians[0].Phone.map((ph: Node) => ph.PhoneTypeCode['@_tc'])).toEqual(['2', '4']);

    const links = relationsWithRole(doc, '41');
    expect(links.map((r) => [r['@_OriginatingObjectID'], r['@_RelatedObjectID']])).toEqual([
      ['Party_Insured', physicians[0]['@_id']],
      ['Party_Insured', physicians[1]['@_id']],
    ]);
    const conditions = party(doc, 'Party_Insured').Risk.MedicalCondition.map((c: Node) => c.ConditionDescription);
    expect(conditions).toHaveLength(3);
    expect(conditions[0]).toContain('Hypertension; diagnosed 2019-05-01');
  });

  it('relates the holding to insured, owner, payor and writing agent with ACORD role codes', () => {
    const target = (tc: string) => relationsWithRole(doc, tc).map((r) => r['@_RelatedObjectID']);
    expect(target('32')).toEqual(['Party_Insured']);
    expect(target('8')).toEqual(['Party_Owner']);
    // No payor named: the owner pays.
    expect(target('31')).toEqual(['Party_Owner']);
    expect(target('37')).toEqual(['Party_Agent']);
    expect(target('182')).toEqual(['Party_Agency']);
    for (const tc of ['32', '8', '31', '37']) {
      expect(relationsWithRole(doc, tc)[0].OriginatingObjectType['@_tc']).toBe('4');
    }
    const agent = party(doc, 'Party_Agent');
    expect(agent.Producer.NIPRNumber).toBe('8765432');
    expect(agent.Producer.CarrierAppointment.CarrierCode).toBe('SUMMIT');
  });

  it('points the policy at the carrier Party rather than relating the holding to it', () => {
    const carrier = party(doc, policy(doc)['@_CarrierPartyID']);
    expect(carrier.PartyTypeCode['@_tc']).toBe('2');
    expect(carrier.FullName).toBe('Summit Life Insurance Company');
    expect(carrier.Carrier.CarrierCode).toBe('SUMMIT');
    expect(relationsWithRole(doc, '87')).toEqual([]);
  });

  it('defaults owner and payor to the insured, and renders a named payor as a Person', () => {
    const own = parse(
      buildTxLife103(
        input(
          application({
            owner: undefined,
            payor: {
              kind: 'PERSON',
              relationship: 'Spouse',
              firstName: 'Robin',
              lastName: 'Whitfield',
              dateOfBirth: '1980-01-02',
              sex: 'M',
              ssn: '234-56-7890',
            },
          }),
        ),
      ),
    );
    expect(relationsWithRole(own, '8').map((r) => r['@_RelatedObjectID'])).toEqual(['Party_Insured']);
    expect(relationsWithRole(own, '31').map((r) => r['@_RelatedObjectID'])).toEqual(['Party_Payor']);
    const payor = party(own, 'Party_Payor');
    expect(payor.PartyTypeCode['@_tc']).toBe('1');
    expect(payor.Person.FirstName).toBe('Robin');
    expect(payor.GovtID).toBe('234567890');
    expect((own.TXLifeRequest.OLifE.Party as Node[]).some((p) => p['@_id'] === 'Party_Owner')).toBe(false);
  });

  it('renders an owning trust as an Organization with its TIN', () => {
    const owner = party(doc, 'Party_Owner');
    expect(owner.PartyTypeCode['@_tc']).toBe('2');
    expect(owner.Person).toBeUndefined();
    expect(owner.Organization.OrgForm['@_tc']).toBe('16');
    expect(owner.GovtID).toBe('987654321');
    expect(owner.GovtIDTC['@_tc']).toBe('2');
    expect(owner.Address[0].Line2).toBe('Suite 5');
  });

  it('escapes names with markup characters and reads them back intact', () => {
    expect(xml).toContain('Smith &amp; Sons &lt;Family&gt;');
    expect(xml).not.toContain('<Family>');
    expect(party(doc, 'Party_Owner').FullName).toBe(TRUST_NAME);
  });

  it('sends each requirement with its code, status and dates, applying to the insured', () => {
    const requirements = policy(doc).RequirementInfo as Node[];
    expect(requirements).toHaveLength(3);
    expect(requirements.every((r) => r['@_AppliesToPartyID'] === 'Party_Insured')).toBe(true);

    const mib = requirement(doc, 'MIBCHECK');
    expect(mib.ReqStatus).toEqual({ '@_tc': OLI_OTHER, '#text': 'Received' });
    expect(mib.ReqCode['#text']).toBe('Medical Information Bureau check');
    expect(mib.RequestedDate).toBe('2024-03-02');
    expect(mib.FulfilledDate).toBe('2024-03-03');

    const aps = requirement(doc, 'PHYSSTMT:dr-alan-grant');
    expect(aps.ReqCode['@_tc']).toBe('11');
    expect(aps.ReqStatus['#text']).toBe('Order');
    expect(aps.ProviderOrderNum).toBe('APS-991');
    expect(aps.RequirementDetails).toBe('APS from Dr. Alan Grant');
    expect(aps.FulfilledDate).toBeUndefined();

    expect(requirement(doc, 'HIPAA').ReqStatus['#text']).toBe('Waived');
  });

  it('passes an unknown status through as Other with its own text', () => {
    const base = input();
    const odd = parse(buildTxLife103({ ...base, requirements: [{ ...base.requirements[0]!, status: 'ON_HOLD' }] }));
    expect(requirement(odd, 'MIBCHECK').ReqStatus).toEqual({ '@_tc': OLI_OTHER, '#text': 'ON_HOLD' });
  });

  it('is deterministic: the same input always gives the same bytes', () => {
    expect(buildTxLife103(input())).toBe(xml);
    expect(buildTxLife103(structuredClone(input()))).toBe(xml);
  });
});
