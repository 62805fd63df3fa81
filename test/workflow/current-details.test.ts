import type { CaseRules } from '../../domain/evaluation';
import type { CaseRequirement, CaseState } from '../../domain/case';
import { describeCase } from '../../workflows/visibility';

function requirement(key: string, description: string, status: CaseRequirement['status']): CaseRequirement {
  return {
    key,
    code: 'PHYSSTMT',
    description,
    fulfiller: 'APS_VENDOR',
    vendorCode: 'APSNOW',
    source: 'DISCLOSURE',
    phase: 'PRE_SUBMISSION',
    status,
    requestedOn: '2026-11-02',
    statusAt: '2026-11-02T10:00:00Z',
    nextFollowUpOn: '2026-11-09',
    followUpCount: 0,
    escalated: false,
    history: [],
  };
}

const state: CaseState = {
  caseId: 'case-harbor-hl-1',
  carrierCode: 'HARBOR',
  carrierName: 'Harbor Life',
  applicationNumber: 'HL-1',
  productType: 'IUL',
  plan: 'Harbor Index Builder IUL',
  faceAmount: 750_000,
  stateOfSigning: 'CA',
  signedOn: '2026-11-01',
  insuredName: 'Kevin Tran',
  issueAge: 45,
  broker: { npn: '20456789', name: 'Ana Broker', email: 'ana@example.com' },
  rules: {} as CaseRules,
  stage: 'REQUIREMENTS',
  stageEnteredAt: '2026-11-02T10:00:00Z',
  receivedAt: '2026-11-02T09:00:00Z',
  lastActivityAt: '2026-11-02T10:00:00Z',
  nigo: {
    items: [
      { key: 'MISSING_FORM:HIPAA', kind: 'MISSING_FORM', form: 'HIPAA', message: 'HIPAA authorization is missing', resolved: false },
      { key: 'MISSING_FORM:SIGNILLUS', kind: 'MISSING_FORM', form: 'SIGNILLUS', message: 'Signed illustration is missing', resolved: false },
      { key: 'MISSING_FORM:EFT', kind: 'MISSING_FORM', form: 'EFT', message: 'Resolved already', resolved: true },
    ],
    remindersSent: 0,
    escalated: false,
  },
  requirements: [
    requirement('PHYSSTMT:a', 'Attending physician statement: Dr. A | Cardiology', 'ORDERED'),
    requirement('PHYSSTMT:b', 'Attending physician statement: Dr. B', 'RECEIVED'),
  ],
  plannedRequirements: [],
  recentEvents: [],
  nextSeq: 1,
};

/** The Web UI's Markdown renderer joins a list or table into the paragraph above it unless a blank line separates them. */
function blocksStartAfterBlankLine(markdown: string): string[] {
  const lines = markdown.split('\n');
  const problems: string[] = [];
  lines.forEach((line, i) => {
    if (line === '') return;
    const kind = line.startsWith('- ') ? 'list' : line.startsWith('|') ? 'table' : 'text';
    const previous = lines[i - 1];
    const previousKind = previous === undefined || previous === '' ? 'blank' : previous.startsWith('- ') ? 'list' : previous.startsWith('|') ? 'table' : 'text';
    if (previousKind !== 'blank' && previousKind !== kind) problems.push(`line ${i + 1} (${kind}) follows ${previousKind} without a blank line`);
    if (kind === 'text' && previousKind === 'text') problems.push(`line ${i + 1} would join the paragraph above`);
  });
  return problems;
}

describe('current details on the workflow page', () => {
  const markdown = describeCase(state);

  it('separates every paragraph, list and table with a blank line, so the Web UI renders them as such', () => {
    expect(blocksStartAfterBlankLine(markdown)).toEqual([]);
  });

  it('lists only unresolved NIGO items and open requirements', () => {
    expect(markdown).toContain('- HIPAA authorization is missing\n- Signed illustration is missing');
    expect(markdown).not.toContain('Resolved already');
    expect(markdown).toContain('| ORDERED | APSNOW | 2026-11-09 |');
    expect(markdown).not.toContain('Dr. B');
  });

  it('escapes a pipe in free text so it stays in its table cell', () => {
    expect(markdown).toContain('Dr. A \\| Cardiology | ORDERED');
  });
});
