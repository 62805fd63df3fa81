import { carrierActivities } from './carrier';
import { contractingActivities } from './contracting';
import { coverExpiryActivities } from './cover-expiry';
import type { ActivityDeps } from './deps';
import { inboundMailActivities } from './inbound-mail';
import { licenseExpiryActivities } from './license-expiry';
import { mailActivities } from './mail';
import { recordActivities } from './records';
import { reportActivities } from './reports/pending';
import { rulesActivities } from './rules';
import { vendorActivities } from './vendors';

export type { ActivityDeps };

/** Every activity the worker registers, bound to its connections. Workflow code imports only the type. */
export function createActivities(deps: ActivityDeps) {
  const mail = mailActivities(deps);
  return {
    ...rulesActivities(),
    ...recordActivities(deps),
    ...mail,
    ...vendorActivities(deps, mail),
    ...carrierActivities(deps, mail),
    ...contractingActivities(deps, mail),
    ...reportActivities(deps, mail),
    ...licenseExpiryActivities(deps, mail),
    ...coverExpiryActivities(deps, mail),
    ...inboundMailActivities(deps, mail, deps.maxDocumentBytes ?? 25 * 1024 * 1024),
  };
}
