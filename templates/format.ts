import type { ProductType } from '../domain/catalogue';

/*
 * Value formatting shared by every template. Pinned to en-US and UTC so an email
 * renders the same on any worker, whatever its locale or time zone.
 */

const DATE_FORMAT = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  timeZone: 'UTC',
});

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** '2026-12-04' → 'Friday, December 4, 2026'. */
export function formatDate(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  // Date rolls 2026-02-30 over to March 2; a wrong date in a deadline is worse than a failed send.
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== isoDate) {
    throw new RangeError(`not an ISO calendar date: ${isoDate}`);
  }
  return DATE_FORMAT.format(date);
}

/** Whole dollars: 1500000 → '$1,500,000'. */
export function formatMoney(dollars: number): string {
  return USD.format(dollars);
}

/** count(1, 'item') → '1 item'; count(3, 'item') → '3 items'. */
export function count(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}

const PRODUCT_NAMES: Record<ProductType, string> = {
  TERM: 'term life',
  UL: 'universal life',
  IUL: 'indexed universal life',
  WL: 'whole life',
};

export function productName(planName: string, type: ProductType): string {
  return `${planName} (${PRODUCT_NAMES[type]})`;
}

/**
 * How brokers name a case at a glance: 'Summit Mutual WL app A-10023 (Jane Q. Doe)'.
 * Ends every broker-facing subject so their inbox sorts and searches by it.
 */
export function caseLabel(c: { carrierName: string; productType: ProductType; applicationNumber: string; insuredName: string }): string {
  const type = c.productType === 'TERM' ? 'Term' : c.productType;
  return `${c.carrierName} ${type} app ${c.applicationNumber} (${c.insuredName})`;
}
