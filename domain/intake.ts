import type { Application, FieldError } from './application';
import { addCalendarDays } from './business-days';
import { ageBandIndex, findCarrier, findProduct, type CarrierConfig, type ProductConfig, type RulesConfig } from './carrier-config';
import { applicationIssueAge, formatDollars } from './rules';

/*
 * Intake checks that need the carrier rules: an application failing them is refused
 * at the door instead of becoming a case that can never be placed.
 */

export function checkIntake(app: Application, config: RulesConfig, today: string): FieldError[] {
  const carrier = findCarrier(config, app.carrier);
  if (!carrier) {
    const known = config.carriers.map((c) => c.code).join(', ');
    return [{ field: 'carrier', message: `"${app.carrier}" is not a carrier this agency places business with; known carriers: ${known}` }];
  }
  const errors = signingErrors(app, carrier, today);
  const product = findProduct(carrier, app.product.type);
  if (!product) {
    const offered = carrier.products.map((p) => p.type).join(', ');
    return [...errors, { field: 'product.type', message: `${carrier.name} (${carrier.code}) does not offer ${app.product.type}; it offers ${offered}` }];
  }
  if (!product.plans.includes(app.product.plan)) {
    errors.push({
      field: 'product.plan',
      message: `"${app.product.plan}" is not a ${carrier.code} ${product.type} plan; plans: ${product.plans.join(', ')}`,
    });
  }
  return [...errors, ...availabilityErrors(app, carrier, product)];
}

function signingErrors(app: Application, carrier: CarrierConfig, today: string): FieldError[] {
  if (app.signedOn > today) {
    return [{ field: 'signedOn', message: `${app.signedOn} is in the future (today is ${today})` }];
  }
  const { applicationValidDays } = carrier.followUp;
  const validUntil = addCalendarDays(app.signedOn, applicationValidDays);
  if (today > validUntil) {
    return [
      {
        field: 'signedOn',
        message: `the application signed on ${app.signedOn} was valid until ${validUntil} (${carrier.code} accepts applications for ${applicationValidDays} days after signing); a new application is needed`,
      },
    ];
  }
  return [];
}

function availabilityErrors(app: Application, carrier: CarrierConfig, product: ProductConfig): FieldError[] {
  const age = applicationIssueAge(app, carrier);
  const label = `${carrier.code} ${product.type}`;
  const basis = carrier.ageBasis === 'LAST_BIRTHDAY' ? 'age last birthday' : 'age nearest birthday';
  if (age > product.maxIssueAge) {
    return [{ field: 'insured.dateOfBirth', message: `issue age ${age} (${basis}) is over the maximum issue age ${product.maxIssueAge} for ${label}` }];
  }
  const band = ageBandIndex(product.grid, age);
  if (band === undefined) {
    const youngest = product.grid.ageBands[0]?.minAge;
    return [{ field: 'insured.dateOfBirth', message: `issue age ${age} (${basis}) is below the minimum issue age ${youngest} for ${label}` }];
  }
  const face = app.product.faceAmount;
  const row = product.grid.rows.find((r) => face >= r.minFace && face <= r.maxFace);
  if (row && row.cells[band] !== 'NA') return [];
  const ranges = availableRanges(product, band);
  const hint = ranges.length
    ? `at that age ${label} is available for ${ranges.map(([min, max]) => `${formatDollars(min)} to ${formatDollars(max)}`).join(' and ')}`
    : `${label} is not available at that age for any amount`;
  return [{ field: 'product.faceAmount', message: `${formatDollars(face)} is not available at issue age ${age} for ${label}; ${hint}` }];
}

/** Face-amount ranges offered in one age band, adjoining rows merged so the broker sees "$100,000 to $5,000,000". */
function availableRanges(product: ProductConfig, band: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (const row of product.grid.rows) {
    if (row.cells[band] === 'NA') continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] + 1 === row.minFace) last[1] = row.maxFace;
    else ranges.push([row.minFace, row.maxFace]);
  }
  return ranges;
}
