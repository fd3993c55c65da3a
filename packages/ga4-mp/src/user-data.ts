/**
 * `user_data` helpers: normalise and SHA-256 hash email addresses and phone numbers by Google's
 * rules (Enhanced Conversions): trim, lower-case, remove dots in the local part of gmail.com and
 * googlemail.com addresses; phones in E.164 (digits with a leading +). Pure.
 */
import { createHash } from 'node:crypto';

import type { MpUserData } from './wire-types.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function normalizeEmail(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 1) return lower;
  const local = lower.slice(0, at);
  const domain = lower.slice(at + 1);
  return domain === 'gmail.com' || domain === 'googlemail.com'
    ? `${local.replaceAll('.', '')}@${domain}`
    : lower;
}

/**
 * E.164: `+` and 8 to 15 digits. Input may contain spaces, dashes, brackets and a leading `00`;
 * numbers without a country code cannot be normalised and return undefined.
 */
export function normalizePhone(phone: string): string | undefined {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/\D/g, '');
  let international: string;
  if (trimmed.startsWith('+')) international = digits;
  else if (digits.startsWith('00')) international = digits.slice(2);
  else return undefined;
  return /^[1-9]\d{7,14}$/.test(international) ? `+${international}` : undefined;
}

export function hashEmail(email: string): string {
  return sha256(normalizeEmail(email));
}

export function hashPhone(phone: string): string | undefined {
  const normalized = normalizePhone(phone);
  return normalized === undefined ? undefined : sha256(normalized);
}

export function buildUserData(input: {
  emails?: readonly string[];
  phones?: readonly string[];
}): MpUserData | undefined {
  const emails = [...new Set((input.emails ?? []).map(hashEmail))];
  const phones = [
    ...new Set((input.phones ?? []).map(hashPhone).filter((h): h is string => h !== undefined)),
  ];
  if (emails.length === 0 && phones.length === 0) return undefined;
  return {
    ...(emails.length > 0 ? { sha256_email_address: emails } : {}),
    ...(phones.length > 0 ? { sha256_phone_number: phones } : {}),
  };
}
