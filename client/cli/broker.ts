import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadRulesConfig, rulesConfigPath } from '../../activities/rules-config';
import { BrokerSchema, oneLine } from '../../domain/application';
import { findCarrier, type RulesConfig } from '../../domain/carrier-config';
import { calendarDate, licenseState } from '../../domain/contracting';
import type { Db } from '../../platform/db';
import { projectRoot } from '../../platform/paths';
import type { Prisma } from '../../prisma/generated/client';
import { InputError, NotFoundError } from './errors';
import { type ActionOptions, examples, type JsonOption, withChangeOptions, withJson } from './options';
import { print, printJson, table } from './output';
import { closeContractingOnAppointment } from '../contracting';
import { recheckHeldCases } from '../operations';
import { inSession, type Session } from './session';

/*
 * Broker contracting records, written straight to PostgreSQL: licenses and carrier
 * appointments are what the pipeline checks before it submits business for a broker.
 * Every value is checked before anything is read or written, and a broker added by a
 * licence or appointment command is written in one transaction with it, so a refusal
 * leaves no broker, licence or appointment behind.
 */

// The broker as an application names them: a broker recorded here is one an application can name.
const { npn, name, email, agency } = BrokerSchema.shape;

/** How the command line spells each value the schemas check. */
const FLAGS: Record<string, string> = {
  npn: '<npn>', state: '--state', number: '--number', expires: '--expires', carrier: '--carrier', on: '--on', name: '--name', email: '--email', agency: '--agency',
  insurer: '--insurer', limit: '--limit',
};

/** Checks argument and option values; one `--option: message` line per error, all at once. */
function parse<S extends z.ZodType>(schema: S, values: Record<string, unknown>): z.output<S> {
  const res = schema.safeParse(values);
  if (res.success) return res.data;
  throw new InputError(
    res.error.issues
      .map((i) => {
        const key = String(i.path[0] ?? 'input');
        const given = values[key];
        // The rules shared with the application file read "must …": the value goes in front.
        const message = i.message.startsWith('must') && typeof given === 'string' && given !== '' ? `${JSON.stringify(given)} ${i.message}` : i.message;
        return `${FLAGS[key] ?? key}: ${message}`;
      })
      .join('\n'),
  );
}

/** Today's date, UTC: the same day `broker show` tells an expired licence by. */
const utcToday = () => new Date().toISOString().slice(0, 10);

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** An active licence expires today or later; a lapsed one may be kept on file as --inactive. */
function licenseSchema(today: string, active: boolean) {
  return z.object({
    npn,
    state: licenseState,
    number: oneLine(30),
    expires: calendarDate.pipe(
      z.string().refine((d) => !active || d >= today, {
        error: (iss) =>
          `${String(iss.input)} is in the past (today is ${today}, UTC): an expired licence cannot be recorded as active. ` +
          'Check the date, or add --inactive to record a lapsed licence',
      }),
    ),
    name: name.optional(),
    email: email.optional(),
  });
}

/** Where the carrier rules are read from, as a person would find the file. */
function rulesFileShown(): string {
  const file = rulesConfigPath();
  const inProject = path.relative(projectRoot, file);
  return inProject.startsWith('..') || path.isAbsolute(inProject) ? file : inProject;
}

const inWords = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/**
 * The carrier is one of the rules file's, in any letter case. The appointment is dated no
 * later than today: once on file it releases the broker's held cases, so it is recorded when
 * the carrier has made it, not ahead.
 */
function appointmentSchema(today: string, rules: RulesConfig) {
  const known = inWords(rules.carriers.map((c) => `${c.code} (${c.name})`));
  return z.object({
    npn,
    carrier: z.string().transform((given, ctx) => {
      const code = given.trim().toUpperCase();
      if (findCarrier(rules, code)) return code;
      ctx.addIssue({ code: 'custom', message: `"${given}" is not a carrier in ${rulesFileShown()}; the carriers there are ${known}` });
      return z.NEVER;
    }),
    on: calendarDate.pipe(
      z.string().refine((d) => d <= today, {
        error: (iss) =>
          `${String(iss.input)} is after today (${today}, UTC): record an appointment once the carrier has made it; on file, it releases the broker's held cases at once`,
      }),
    ),
    expires: calendarDate
      .pipe(z.string().refine((d) => d >= today, { error: (iss) => `${String(iss.input)} is in the past (today is ${today}, UTC): an appointment that has ended cannot be recorded as active` }))
      .optional(),
    name: name.optional(),
    email: email.optional(),
  });
}

/** An E&O certificate: the insurer, a whole-dollar limit, and an expiry today or later. */
function eoSchema(today: string) {
  return z.object({
    npn,
    insurer: oneLine(120),
    limit: z
      .string()
      .transform((given, ctx) => {
        const n = Number(given.replace(/[$,_\s]/g, ''));
        if (Number.isInteger(n) && n > 0) return n;
        ctx.addIssue({ code: 'custom', message: `"${given}" is not a limit in whole dollars, such as 1000000` });
        return z.NEVER;
      }),
    expires: calendarDate.pipe(
      z.string().refine((d) => d >= today, { error: (iss) => `${String(iss.input)} is in the past (today is ${today}, UTC): record the current certificate` }),
    ),
  });
}

const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

async function loadBroker(db: Db, npnValue: string) {
  const broker = await db.broker.findUnique({
    where: { npn: npnValue },
    include: {
      licenses: { orderBy: { state: 'asc' } },
      appointments: { orderBy: { carrierCode: 'asc' } },
      eoCertificate: true,
      cases: { where: { closedAt: null }, select: { id: true, stage: true }, orderBy: { receivedAt: 'asc' } },
    },
  });
  if (!broker) {
    throw new NotFoundError(`No broker with NPN ${npnValue}. Add one with \`bga broker add ${npnValue} --name "..." --email ...\`.`);
  }
  return broker;
}

type BrokerRecord = Awaited<ReturnType<typeof loadBroker>>;

interface NewBrokerOptions {
  name?: string;
  email?: string;
}

/** For commands that record something about a broker: --name and --email add one not yet on file. */
const withNewBrokerOptions = (cmd: Command): Command =>
  cmd.option('--name <name>', "the broker's name, to add a broker not on file yet (with --email)").option('--email <email>', 'where case emails go (with --name)');

/** A command line as a person would type it again, with what it lacked added. */
const retyped = (extra: string): string => ['bga', ...process.argv.slice(2).map((a) => (/^[\w@.:/=-]+$/.test(a) ? a : JSON.stringify(a))), extra].join(' ');

/**
 * The broker's row ID, inside the transaction that records their licence or appointment. One
 * not on file is added when the command names them (--name and --email, already checked);
 * otherwise the error gives the command to run again, with the options it needs.
 */
async function brokerOnFile(tx: Prisma.TransactionClient, npnValue: string, o: NewBrokerOptions): Promise<string> {
  const found = await tx.broker.findUnique({ where: { npn: npnValue }, select: { id: true } });
  if (found) return found.id;
  if (o.name === undefined && o.email === undefined) {
    throw new NotFoundError(
      `No broker with NPN ${npnValue} is on file. Add them in the same command:\n${retyped('--name "…" --email …')}\n` +
        `or first with \`bga broker add ${npnValue} --name "…" --email …\`.`,
    );
  }
  if (o.name === undefined || o.email === undefined) {
    const [missing, given] = o.name === undefined ? ['--name', '--email'] : ['--email', '--name'];
    throw new InputError(`${missing}: must be given with ${given} to add broker ${npnValue}, who is not on file`);
  }
  const created = await tx.broker.upsert({ where: { npn: npnValue }, create: { npn: npnValue, name: o.name, email: o.email }, update: {} });
  return created.id;
}

function brokerView(b: BrokerRecord, today: string) {
  return {
    npn: b.npn,
    name: b.name,
    email: b.email,
    agency: b.agency,
    licenses: b.licenses.map((l) => ({
      state: l.state,
      licenseNumber: l.licenseNumber,
      expiresOn: dateOnly(l.expiresOn),
      active: l.active,
      // The pipeline treats an expired license like an inactive one.
      valid: l.active && dateOnly(l.expiresOn) >= today,
    })),
    appointments: b.appointments.map((a) => ({
      carrierCode: a.carrierCode,
      appointedOn: dateOnly(a.appointedOn),
      expiresOn: a.expiresOn ? dateOnly(a.expiresOn) : null,
      active: a.active,
      recordedBy: a.recordedBy,
    })),
    eoCertificate: b.eoCertificate
      ? { insurer: b.eoCertificate.insurer, limit: b.eoCertificate.limitDollars, expiresOn: dateOnly(b.eoCertificate.expiresOn), lapsed: b.eoCertificate.lapsed || dateOnly(b.eoCertificate.expiresOn) < today }
      : null,
    openCases: b.cases.map((c) => ({ caseId: c.id, stage: c.stage })),
  };
}

type BrokerView = ReturnType<typeof brokerView>;

function renderBroker(b: BrokerView): string {
  const lines = [`Broker ${b.npn}: ${b.name} <${b.email}>${b.agency ? `, ${b.agency}` : ''}`, ''];
  const licenseStatus = (l: BrokerView['licenses'][number]) => (!l.active ? 'inactive' : l.valid ? 'active' : 'expired');
  lines.push(
    b.licenses.length
      ? `Licenses:\n${table(['State', 'Number', 'Expires', 'Status'], b.licenses.map((l) => [l.state, l.licenseNumber, l.expiresOn, licenseStatus(l)]))}`
      : 'Licenses: none on file',
  );
  lines.push(
    b.appointments.length
      ? `Appointments:\n${table(['Carrier', 'Appointed on', 'Expires', 'Status', 'Recorded by'], b.appointments.map((a) => [a.carrierCode, a.appointedOn, a.expiresOn ?? '—', a.active ? 'active' : 'inactive', a.recordedBy]))}`
      : 'Appointments: none on file',
  );
  const eo = b.eoCertificate;
  lines.push(eo ? `E&O: ${eo.insurer}, $${eo.limit.toLocaleString('en-US')} limit, expires ${eo.expiresOn}${eo.lapsed ? ' (lapsed)' : ''}` : 'E&O: none on file');
  lines.push(b.openCases.length ? `Open cases: ${b.openCases.map((c) => `${c.caseId} (${c.stage})`).join(', ')}` : 'Open cases: none');
  return lines.join('\n');
}

/** Every broker command ends by showing the broker as now recorded. */
async function showBroker(db: Db, npnValue: string, opts: JsonOption, done?: string): Promise<void> {
  const view = brokerView(await loadBroker(db, npnValue), utcToday());
  if (opts.json) printJson(view);
  else print(done ? `${done}\n\n${renderBroker(view)}` : renderBroker(view));
}

/** Held cases re-check at once; when Temporal cannot be reached they still re-check daily on their own. */
async function releaseHeldCases(session: Session, npn: string, actor: string, carrier?: string): Promise<string> {
  try {
    const ids = await recheckHeldCases(await session.client(), npn, actor, carrier);
    return ids.length ? ` Re-checked ${ids.length} case(s) held for contracting: ${ids.join(', ')}.` : '';
  } catch (err) {
    return ` Cases held for contracting were not re-checked now (${(err as Error).message}); they re-check daily.`;
  }
}

function registerShow(broker: Command): void {
  const cmd = withJson(broker.command('show').description("a broker's licenses, appointments and open cases").argument('<npn>')).action(
    async (npnValue: string, opts: JsonOption) => {
      const b = parse(z.object({ npn }), { npn: npnValue });
      await inSession(async (session) => showBroker(await session.db(), b.npn, opts));
    },
  );
  examples(cmd, ['bga broker show 17654321', 'bga broker show 17654321 --json']);
}

function registerAdd(broker: Command): void {
  const schema = z.object({ npn, name, email, agency });
  const cmd = withJson(
    broker
      .command('add')
      .description('add a broker, or update the name and email (and agency, if given) of one on file')
      .argument('<npn>')
      .requiredOption('--name <name>', "the broker's name")
      .requiredOption('--email <email>', 'where case emails go')
      .option('--agency <agency>', 'agency name'),
  ).action(async (npnValue: string, o: JsonOption & { name: string; email: string; agency?: string }) => {
    const b = parse(schema, { npn: npnValue, name: o.name, email: o.email, agency: o.agency });
    await inSession(async (session) => {
      const db = await session.db();
      // An update without --agency keeps the agency on file.
      const fields = { name: b.name, email: b.email, ...(b.agency !== undefined ? { agency: b.agency } : {}) };
      await db.broker.upsert({ where: { npn: b.npn }, create: { npn: b.npn, ...fields }, update: fields });
      await showBroker(db, b.npn, o, `Broker ${b.npn} saved.`);
    });
  });
  examples(cmd, ['bga broker add 17654321 --name "Daniel Reyes" --email daniel.reyes@reyesfinancial.example --agency "Reyes Financial Group"']);
}

function registerLicense(broker: Command): void {
  const cmd = withNewBrokerOptions(withChangeOptions(
    broker
      .command('license')
      .description("record a broker's state license (replaces the one on file for that state)")
      .argument('<npn>')
      .requiredOption('--state <state>', 'license state: the two-letter code of one of the 50 states or DC, in any letter case (ga is GA)')
      .requiredOption('--number <number>', 'license number')
      .requiredOption('--expires <date>', 'expiry date, YYYY-MM-DD: today or later, unless --inactive')
      .option('--inactive', 'record the license as not active (a lapsed license may then have a past expiry date)'),
  )).action(async (npnValue: string, o: ActionOptions & NewBrokerOptions & { state: string; number: string; expires: string; inactive?: boolean }) => {
    const l = parse(licenseSchema(utcToday(), !o.inactive), { npn: npnValue, state: o.state, number: o.number, expires: o.expires, name: o.name, email: o.email });
    await inSession(async (session) => {
      const db = await session.db();
      await db.$transaction(async (tx) => {
        const id = await brokerOnFile(tx, l.npn, l);
        const fields = { licenseNumber: l.number, expiresOn: day(l.expires), active: !o.inactive };
        await tx.brokerLicense.upsert({ where: { brokerId_state: { brokerId: id, state: l.state } }, create: { brokerId: id, state: l.state, ...fields }, update: fields });
      });
      const released = await releaseHeldCases(session, l.npn, o.as);
      await showBroker(db, l.npn, o, `${l.state} license ${l.number} recorded for ${l.npn}.${released}`);
    });
  });
  examples(cmd, [
    'bga broker license 17654321 --state GA --number 3312456 --expires 2028-03-31',
    'bga broker license 17654321 --state FL --number W123456 --expires 2027-01-31 --inactive',
    'bga broker license 99887766 --state GA --number 4410021 --expires 2028-03-31 --name "Lee Newcomer" --email lee@newcomer.example',
  ]);
}

function registerAppoint(broker: Command): void {
  const cmd = withNewBrokerOptions(withChangeOptions(
    broker
      .command('appoint')
      .description("record a broker's appointment with a carrier")
      .argument('<npn>')
      .requiredOption('--carrier <code>', 'carrier code from the rules file (BGA_RULES_FILE), in any letter case, e.g. SUMMIT')
      .option('--on <date>', 'appointment date, YYYY-MM-DD, today or earlier (default: today, UTC)')
      .option('--expires <date>', 'when the carrier requires the appointment renewed, YYYY-MM-DD; the expiry watch warns 30 days ahead'),
  )).action(async (npnValue: string, o: ActionOptions & NewBrokerOptions & { carrier: string; on?: string; expires?: string }) => {
    const today = utcToday();
    const a = parse(appointmentSchema(today, await loadRulesConfig()), { npn: npnValue, carrier: o.carrier, on: o.on ?? today, expires: o.expires, name: o.name, email: o.email });
    await inSession(async (session) => {
      const db = await session.db();
      await db.$transaction(async (tx) => {
        const id = await brokerOnFile(tx, a.npn, a);
        const fields = { appointedOn: day(a.on), expiresOn: a.expires ? day(a.expires) : null, active: true, recordedBy: o.as };
        await tx.brokerAppointment.upsert({
          where: { brokerId_carrierCode: { brokerId: id, carrierCode: a.carrier } },
          create: { brokerId: id, carrierCode: a.carrier, ...fields },
          update: fields,
        });
      });
      const released = await releaseHeldCases(session, a.npn, o.as, a.carrier);
      const closed = await closeContractingOnAppointment(await session.client(), a.npn, a.carrier, o.as, a.on).catch(
        (err: Error) => ` The running contracting request, if any, was not closed (${err.message}); close it with \`bga contracting cancel ${a.npn} ${a.carrier}\`.`,
      );
      await showBroker(db, a.npn, o, `Appointment with ${a.carrier} recorded for ${a.npn}.${released}${closed}`);
    });
  });
  examples(cmd, ['bga broker appoint 17654321 --carrier SUMMIT', 'bga broker appoint 17654321 --carrier SUMMIT --on 2026-11-02 --expires 2028-11-01']);
}

function registerEo(broker: Command): void {
  const cmd = withChangeOptions(
    broker
      .command('eo')
      .description("record a broker's current E&O certificate (replaces the one on file; a lapsed one holds every case at submission)")
      .argument('<npn>')
      .requiredOption('--insurer <name>', 'the insurer on the certificate')
      .requiredOption('--limit <dollars>', 'the limit of cover in whole dollars, such as 1000000')
      .requiredOption('--expires <date>', 'expiry date, YYYY-MM-DD, today or later'),
  ).action(async (npnValue: string, o: ActionOptions & { insurer: string; limit: string; expires: string }) => {
    const c = parse(eoSchema(utcToday()), { npn: npnValue, insurer: o.insurer, limit: o.limit, expires: o.expires });
    await inSession(async (session) => {
      const db = await session.db();
      const b = await loadBroker(db, c.npn);
      const cover = { insurer: c.insurer, limitDollars: c.limit, expiresOn: day(c.expires), lapsed: false };
      await db.brokerEoCertificate.upsert({ where: { brokerId: b.id }, create: { brokerId: b.id, ...cover }, update: cover });
      const released = await releaseHeldCases(session, c.npn, o.as);
      await showBroker(db, c.npn, o, `E&O certificate from ${c.insurer} recorded for ${c.npn}.${released}`);
    });
  });
  examples(cmd, ['bga broker eo 17654321 --insurer "Acme Professional" --limit 1000000 --expires 2027-09-30']);
}

export function registerBrokerCommands(program: Command): void {
  const broker = program.command('broker').description('broker contracting records: show, add, license, appoint, eo (needs DATABASE_URL)');
  examples(broker, ['bga broker show 17654321', 'bga broker license 17654321 --state GA --number 3312456 --expires 2028-03-31', 'bga broker appoint --help']);
  registerShow(broker);
  registerAdd(broker);
  registerLicense(broker);
  registerAppoint(broker);
  registerEo(broker);
}
