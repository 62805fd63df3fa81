import { ApplicationFailure } from '@temporalio/activity';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { LicenseLookup, LicenseRecord, LineOfAuthority } from './types';

/*
 * NIPR Producer Database (PDB), "entity info" XML report, queried by NPN.
 *
 * Where the names below come from. NIPR's own specification of this report was NOT found in the
 * searched corpora (NIPR gives it to subscribers), so everything here is read from third-party
 * clients of the service in public GitHub code, and anything none of them shows is marked ASSUMED:
 *
 * Request: GET <NIPR_PDB_URL>?customer_number=…&pin_number=…&report_type=1&id_entity=<NPN>
 *   - entityinfo_xml.cgi under /pdb-xml-reports/ on pdb-services.nipr.com (production) and
 *     pdb-services-beta.nipr.com (beta), with exactly these four query parameters: Ruby clients.
 *   - report_type 1 for an individual producer, 0 for a firm: a Java client
 *     (GetIndividualInformation / GetFirmInformation).
 *   - Newer clients call pdb-xml-reports.api.nipr.com/pdb-xml-reports/entityinfo_xml.cgi?id_entity=…
 *     with HTTP Basic credentials instead. This adapter sends the customer number and PIN as query
 *     parameters only; whether that host accepts them is not confirmed.
 *
 * Response (element names seen in those clients' parsers):
 *   PDB/PRODUCER/INDIVIDUAL (FIRM for a business entity)
 *     /PRODUCER_LICENSING/LICENSE_INFORMATION/STATE   attribute name = the state (ASSUMED: the
 *                                                      two-letter code; required here)
 *       /LICENSE   children LICENSE_NUM, DATE_EXPIRE_LICENSE, ACTIVE ("Yes"/"No"),
 *                  DATE_ISSUE_LICENSE_ORIG, DATE_UPDATED, LICENSE_CLASS, RESIDENCY_STATUS, …
 *         /DETAILS/DETAIL   lines of authority: LOA, LOA_CODE, AUTHORITY_ISSUE_DATE, STATUS, …
 *       /APPOINTMENT_INFORMATION/APPOINTMENT   (not read: appointments come from PostgreSQL)
 *   Dates are MM/DD/YYYY (a Ruby client parses them with "%m/%d/%Y"); YYYY-MM-DD is accepted too.
 *   ASSUMED: a STATE may hold more than one LICENSE (one Ruby client allows for it); the active one
 *   expiring last is used.
 *
 * NPN not found: ASSUMED, no client showed it. A PDB document without PRODUCER whose ERROR element
 * says the producer or record was not found. Any other PDB without PRODUCER is an error quoting it.
 *
 * The parser is strict: anything else is an unexpected answer and throws NiprResponseError naming
 * the element that is missing or wrong, rather than reading a licence into or out of existence.
 */

export interface NiprPdbSettings {
  /** The entity info report, e.g. https://pdb-services.nipr.com/pdb-xml-reports/entityinfo_xml.cgi */
  url: string;
  customerNumber: string;
  pin: string;
  /** How long to wait for NIPR's answer; 15 s by default, within the activity's 30 s. */
  timeoutMs?: number;
}

/** NIPR answered, but not with an entity info report this parser understands. Retryable: a plain Error to Temporal. */
export class NiprResponseError extends Error {
  override name = 'NiprResponseError';
}

/** What the report says about one NPN: `found: false` when NIPR does not know it. */
export type EntityInfoReport = { found: false; message: string } | { found: true; licenses: LicenseRecord[] };

const ROOT = 'PDB';
const NOT_FOUND = /not\s+found|no\s+(record|producer|entity|match|data)|does\s+not\s+exist|invalid\s+(npn|id_entity|producer)/i;

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Every element as an array, so one STATE and several STATEs read alike and a repeated element is never lost.
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  // Keep every value a string: licence numbers and NPNs may have leading zeros.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/** The children called `name`: elements parse as objects, or as strings when they hold only text. */
function children(node: Node, name: string): unknown[] {
  const v = node[name];
  return Array.isArray(v) ? v : [];
}

function asNode(v: unknown): Node {
  if (typeof v === 'object' && v !== null) return v as Node;
  // An element with only text (or empty) has no children.
  return { '#text': v };
}

function one(node: Node, name: string, path: string): Node {
  const found = children(node, name);
  if (found.length === 0) throw new NiprResponseError(`NIPR PDB answer has no ${path}/${name} element`);
  if (found.length > 1) throw new NiprResponseError(`NIPR PDB answer has ${found.length} ${path}/${name} elements, expected one`);
  return asNode(found[0]);
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'object' && v !== null) {
    const t = (v as Node)['#text'];
    return typeof t === 'string' ? t.trim() : '';
  }
  return '';
}

/** Every text in an element and below, for quoting NIPR's own message. */
function allText(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (Array.isArray(v)) return v.map(allText).filter(Boolean).join(' ');
  if (typeof v === 'object' && v !== null) {
    return Object.entries(v as Node)
      .filter(([k]) => !k.startsWith('@_'))
      .map(([, x]) => allText(x))
      .filter(Boolean)
      .join(' ');
  }
  return '';
}

function requiredText(node: Node, name: string, path: string): string {
  const found = children(node, name);
  if (found.length === 0) throw new NiprResponseError(`NIPR PDB answer has no ${path}/${name} element`);
  if (found.length > 1) throw new NiprResponseError(`NIPR PDB answer has ${found.length} ${path}/${name} elements, expected one`);
  const text = textOf(found[0]);
  if (!text) throw new NiprResponseError(`NIPR PDB answer has an empty ${path}/${name} element`);
  return text;
}

function optionalText(node: Node, name: string): string | undefined {
  const text = textOf(children(node, name)[0]);
  return text || undefined;
}

function isRealDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** MM/DD/YYYY (what NIPR is seen to send) or YYYY-MM-DD, to YYYY-MM-DD; anything else is an error. */
function pdbDate(value: string, where: string): string {
  let y: number, m: number, d: number;
  let match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (match) [m, d, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else throw new NiprResponseError(`NIPR PDB answer has ${where} = ${JSON.stringify(value)}, expected a date as MM/DD/YYYY`);
  if (!isRealDate(y, m, d)) throw new NiprResponseError(`NIPR PDB answer has ${where} = ${JSON.stringify(value)}, which is not a real date`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function yesNo(value: string, where: string): boolean {
  if (/^(yes|y)$/i.test(value)) return true;
  if (/^(no|n)$/i.test(value)) return false;
  throw new NiprResponseError(`NIPR PDB answer has ${where} = ${JSON.stringify(value)}, expected Yes or No`);
}

function parseLicense(license: Node, state: string, path: string): LicenseRecord {
  const linesOfAuthority: LineOfAuthority[] = [];
  const details = children(license, 'DETAILS');
  if (details.length > 1) throw new NiprResponseError(`NIPR PDB answer has ${details.length} ${path}/DETAILS elements, expected one`);
  for (const [i, detail] of children(asNode(details[0] ?? {}), 'DETAIL').entries()) {
    const node = asNode(detail);
    const status = optionalText(node, 'STATUS');
    linesOfAuthority.push({ name: requiredText(node, 'LOA', `${path}/DETAILS/DETAIL[${i + 1}]`), ...(status ? { status } : {}) });
  }
  return {
    state,
    licenseNumber: requiredText(license, 'LICENSE_NUM', path),
    active: yesNo(requiredText(license, 'ACTIVE', path), `${path}/ACTIVE`),
    expiresOn: pdbDate(requiredText(license, 'DATE_EXPIRE_LICENSE', path), `${path}/DATE_EXPIRE_LICENSE`),
    source: 'nipr',
    linesOfAuthority,
  };
}

/** Reads an entity info report (report_type 1, an individual). Throws NiprResponseError on anything unexpected. */
export function parseEntityInfoReport(xml: string): EntityInfoReport {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new NiprResponseError(`NIPR PDB answer is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}); it begins ${JSON.stringify(xml.slice(0, 80))}`);
  }
  const doc = parser.parse(xml) as Node;
  const roots = Object.keys(doc).filter((k) => k !== '?xml' && !k.startsWith('#') && !k.startsWith('!'));
  if (!roots.includes(ROOT)) {
    throw new NiprResponseError(`NIPR PDB answer has no ${ROOT} root element (found ${roots.join(', ') || 'no element'})`);
  }
  const pdb = one(doc, ROOT, '');
  const producers = children(pdb, 'PRODUCER');
  if (producers.length === 0) {
    const errors = children(pdb, 'ERROR');
    const message = errors.map(allText).filter(Boolean).join('; ');
    if (errors.length > 0 && NOT_FOUND.test(message)) return { found: false, message };
    if (errors.length > 0) throw new NiprResponseError(`NIPR PDB answered with an error: ${message || '(an empty ERROR element)'}`);
    throw new NiprResponseError('NIPR PDB answer has neither a PDB/PRODUCER element nor an ERROR element saying the NPN was not found');
  }
  const producer = one(pdb, 'PRODUCER', '/PDB');
  if (children(producer, 'INDIVIDUAL').length === 0 && children(producer, 'FIRM').length > 0) {
    throw new NiprResponseError('NIPR PDB answer has no /PDB/PRODUCER/INDIVIDUAL element but a FIRM: the NPN is a business entity, and report_type 1 asks about individual producers');
  }
  const individual = one(producer, 'INDIVIDUAL', '/PDB/PRODUCER');
  const licensing = one(individual, 'PRODUCER_LICENSING', '/PDB/PRODUCER/INDIVIDUAL');
  const information = one(licensing, 'LICENSE_INFORMATION', '/PDB/PRODUCER/INDIVIDUAL/PRODUCER_LICENSING');
  const licenses: LicenseRecord[] = [];
  for (const [i, s] of children(information, 'STATE').entries()) {
    const stateNode = asNode(s);
    const path = `/PDB/PRODUCER/INDIVIDUAL/PRODUCER_LICENSING/LICENSE_INFORMATION/STATE[${i + 1}]`;
    const raw = stateNode['@_name'];
    if (typeof raw !== 'string' || !raw.trim()) throw new NiprResponseError(`NIPR PDB answer has no name attribute on ${path}`);
    const state = raw.trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(state)) throw new NiprResponseError(`NIPR PDB answer has ${path} name=${JSON.stringify(raw)}, expected a two-letter state code`);
    const found = children(stateNode, 'LICENSE');
    if (found.length === 0) throw new NiprResponseError(`NIPR PDB answer has no LICENSE element in ${path} (${state})`);
    found.forEach((l, j) => licenses.push(parseLicense(asNode(l), state, `${path}/LICENSE[${j + 1}]`)));
  }
  return { found: true, licenses };
}

/** Of several licences in one state: an active one before an inactive one, then the one expiring last. */
function best(licenses: LicenseRecord[]): LicenseRecord | undefined {
  return [...licenses].sort((a, b) => Number(b.active) - Number(a.active) || b.expiresOn.localeCompare(a.expiresOn))[0];
}

/** The URL without its query, so that no message ever carries the PIN. */
const shown = (url: URL) => `${url.origin}${url.pathname}`;

export function niprLicenseLookup(settings: NiprPdbSettings, fetchFn: typeof fetch): LicenseLookup {
  const timeoutMs = settings.timeoutMs ?? 15_000;
  return {
    async lookup(npn, state) {
      const url = new URL(settings.url);
      url.searchParams.set('customer_number', settings.customerNumber);
      url.searchParams.set('pin_number', settings.pin);
      url.searchParams.set('report_type', '1');
      url.searchParams.set('id_entity', npn);
      let res: Response;
      let body: string;
      try {
        res = await fetchFn(url, { method: 'GET', headers: { accept: 'application/xml, text/xml' }, signal: AbortSignal.timeout(timeoutMs) });
        body = await res.text();
      } catch (err) {
        const e = err as Error;
        if (e.name === 'TimeoutError' || e.name === 'AbortError') {
          throw new Error(`NIPR PDB (${shown(url)}) did not answer within ${timeoutMs / 1000} s looking up NPN ${npn}`);
        }
        throw new Error(`NIPR PDB (${shown(url)}) could not be reached looking up NPN ${npn}: ${e.message}`);
      }
      // Retried, not final: a case must wait for the credentials to be fixed, not fail.
      if (res.status === 401 || res.status === 403) {
        throw ApplicationFailure.retryable(
          `NIPR PDB refused the credentials (HTTP ${res.status} from ${shown(url)}): check NIPR_CUSTOMER_NUMBER and NIPR_PIN (and NIPR_PDB_URL), then restart the worker`,
          'NiprCredentialsRefused',
        );
      }
      if (!res.ok) {
        // 5xx, 408 and 429 may pass; any other 4xx more likely means a wrong NIPR_PDB_URL, which a retry after the fix picks up.
        throw new Error(`NIPR PDB (${shown(url)}) answered HTTP ${res.status} looking up NPN ${npn}: ${body.slice(0, 200)}`);
      }
      const report = parseEntityInfoReport(body);
      if (!report.found) return undefined;
      return best(report.licenses.filter((l) => l.state === state.toUpperCase()));
    },
  };
}
