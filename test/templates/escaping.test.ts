import escapeHtml from 'escape-html';
import { EmailTemplateSchema, renderEmail } from '../../templates';
import { allFixtures } from './fixtures';

const EVIL = '<script>alert(1)</script> & "Bob"';
const EVIL_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Bob&quot;';

type Path = (string | number)[];

/** Paths of every string leaf, so each free-text field is attacked on its own. */
function stringPaths(value: unknown, path: Path = []): Path[] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

function withValue(value: unknown, path: Path, replacement: string): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? withValue(v, rest, replacement) : v));
  const record = value as Record<string, unknown>;
  return { ...record, [head as string]: withValue(record[head as string], rest, replacement) };
}

describe('HTML escaping', () => {
  it('uses a markup-laden name whose escaped form differs from the raw one', () => {
    expect(escapeHtml(EVIL)).toBe(EVIL_ESCAPED);
  });

  // The pending-cases report names insureds per case, not in its subject, and license notices
  // and contracting emails name none; the per-field test below covers them.
  const singleCase = allFixtures.filter((f) => 'insuredName' in f);
  it.each(singleCase.map((f) => [f.template, f] as const))('%s escapes the insured name in HTML and keeps it verbatim in text', (_, fixture) => {
    const email = renderEmail(EmailTemplateSchema.parse({ ...fixture, insuredName: EVIL }));
    expect(email.html).not.toMatch(/<script/i);
    expect(email.html).not.toContain('"Bob"');
    expect(email.html).toContain(EVIL_ESCAPED);
    expect(email.text).toContain(EVIL);
    expect(email.subject).toContain(EVIL);
  });

  // Every field the schema accepts free text in must be shown, and shown escaped.
  const cases = allFixtures.flatMap((fixture) =>
    stringPaths(fixture)
      .map((path) => ({ fixture, path, input: withValue(fixture, path, EVIL) }))
      .filter(({ input }) => EmailTemplateSchema.safeParse(input).success)
      .map(({ fixture, path, input }) => [`${fixture.template} ${path.join('.')}`, input] as const),
  );

  it('finds free-text fields in every template', () => {
    expect(new Set(cases.map(([name]) => name.split(' ')[0])).size).toBe(allFixtures.length);
  });

  it.each(cases)('%s is escaped in HTML and verbatim in text', (_, input) => {
    const email = renderEmail(EmailTemplateSchema.parse(input));
    expect(email.html).not.toMatch(/<script/i);
    expect(email.html).toContain(EVIL_ESCAPED);
    expect(email.text).toContain(EVIL);
  });
});
