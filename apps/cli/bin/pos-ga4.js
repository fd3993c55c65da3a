#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx pos-ga4` works right after `npm ci`
// with no build step. See docs/decisions/0001-run-typescript-sources.md.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
