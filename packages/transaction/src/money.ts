/**
 * Money and quantities, exactly.
 *
 * Money is always an integer count of the currency's minor unit (cents for EUR, yen for JPY,
 * fils for KWD). Quantities may be decimal (0.25 kg) with at most three decimals; arithmetic on
 * them goes through thousandths and BigInt so nothing drifts.
 */
import { z } from 'zod';

/** Largest amount accepted, in minor units: 10^13, i.e. 100 billion in a 2-decimal currency. */
export const MAX_MINOR_UNITS = 10_000_000_000_000;

export const MinorUnits = z
  .number()
  .int('must be an integer number of minor units (e.g. cents), not a decimal amount')
  .min(0)
  .max(MAX_MINOR_UNITS)
  .meta({ description: 'Amount in integer minor units of the currency (e.g. 1299 = 12.99 EUR).' });

export const SignedMinorUnits = z
  .number()
  .int('must be an integer number of minor units')
  .min(-MAX_MINOR_UNITS)
  .max(MAX_MINOR_UNITS);

/** Quantities are kept to three decimals (grams of a kilogram, millilitres of a litre). */
export const QUANTITY_SCALE = 1000;

/** The quantity in thousandths, or undefined when it has more than three decimals. */
export function quantityToThousandths(quantity: number): number | undefined {
  const scaled = Math.round(quantity * QUANTITY_SCALE);
  return Math.abs(scaled - quantity * QUANTITY_SCALE) < 1e-6 ? scaled : undefined;
}

export const Quantity = z
  .number()
  .positive()
  .max(1_000_000)
  .refine((q) => quantityToThousandths(q) !== undefined, 'must have at most 3 decimals')
  .meta({
    description: 'Units sold; decimal for weighed or measured goods (0.25 = 250 g of a kg).',
  });

/**
 * Whether `lineTotal` is the exact `(unitPrice - unitDiscount) * quantity` rounded either way to a
 * whole minor unit. Any rounding mode a POS uses (half up, half even, truncation) passes; an error
 * of one whole minor unit or more does not.
 */
export function lineTotalMatches(line: {
  quantity: number;
  unitPrice: number;
  unitDiscount: number;
  lineTotal: number;
}): boolean {
  const thousandths = quantityToThousandths(line.quantity);
  if (thousandths === undefined) return false;
  const exact = BigInt(line.unitPrice - line.unitDiscount) * BigInt(thousandths);
  const diff = BigInt(line.lineTotal) * BigInt(QUANTITY_SCALE) - exact;
  const scale = BigInt(QUANTITY_SCALE);
  return diff > -scale && diff < scale;
}
