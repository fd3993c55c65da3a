/** The operator dashboard (Bull Board over pos-ga4's queues); see build-dashboard.ts. */
export { buildDashboard, partitionDisplayName } from './build-dashboard.js';
export type { Dashboard, DashboardOptions } from './build-dashboard.js';
