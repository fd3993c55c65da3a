/**
 * Whether this process may read and write a device node or directory (`fs.access` with
 * R_OK | W_OK, or W_OK for directories), as a small typed answer. Never throws.
 * Also the name of the user the checks run as, for fix messages.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { userInfo } from 'node:os';

import { errnoOf, messageOf } from './check-result.js';

export type AccessAnswer =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'missing' | 'denied' | 'other';
      readonly message: string;
    };

export async function checkAccess(
  path: string,
  mode: number = constants.R_OK | constants.W_OK,
): Promise<AccessAnswer> {
  try {
    await access(path, mode);
    return { ok: true };
  } catch (error) {
    const code = errnoOf(error);
    const reason =
      code === 'ENOENT' ? 'missing' : code === 'EACCES' || code === 'EPERM' ? 'denied' : 'other';
    return { ok: false, reason, message: messageOf(error) };
  }
}

export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'this user');
  }
}
