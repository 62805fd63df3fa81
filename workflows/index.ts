export { applicationWorkflow } from './application';
export { pendingCaseReportsWorkflow } from './reports';
export { licenseExpiryWatchWorkflow } from './license-expiry';
export { inboundMailWorkflow } from './inbound-mail';
export { contractingWorkflow } from './contracting';
