/** Paths inside the pos-ga4 checkout, found from this file (works wherever the repo is cloned). */
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURE_RECEIPTS_DIR = fileURLToPath(
  new URL('../../../fixtures/receipts/', import.meta.url),
);
export const SCHEMAS_DIR = fileURLToPath(new URL('../../../schemas/', import.meta.url));
