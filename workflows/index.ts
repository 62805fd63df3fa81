export { applicationWorkflow } from './application';
export { pendingCaseReportsWorkflow } from './reports';
