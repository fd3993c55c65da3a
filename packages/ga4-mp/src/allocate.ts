/**
 * Exact allocation of an integer amount (minor units) over parts, by the largest-remainder
 * method: each part gets ⌊total × wᵢ / Σw⌋, and the units left over go one each to the parts with
 * the largest remainders (ties: the earlier part). The shares add up to `total` exactly. Integer
 * arithmetic throughout (BigInt), so no share drifts by a cent. Pure.
 *
 * Input: `total` ≥ 0, `weights` ≥ 0 (all zero: equal weights), optional `caps` (a share never
 * exceeds its cap; what a capped part cannot take goes to the others in order). Output: one
 * share per weight. Throws a RangeError when the caps together cannot hold `total`.
 */
export function allocateLargestRemainder(
  total: number,
  weights: readonly bigint[],
  caps?: readonly number[],
): number[] {
  const n = weights.length;
  if (n === 0) {
    if (total === 0) return [];
    throw new RangeError(`cannot allocate ${total} over no parts`);
  }
  const numbers = numberPath(total, weights);
  if (numbers) return capped(numbers, total, caps);
  const effective = weights.some((w) => w > 0n) ? weights : weights.map(() => 1n);
  const sum = effective.reduce((a, b) => a + b, 0n);
  const big = BigInt(total);
  const shares = effective.map((w) => Number((big * w) / sum));
  const remainders = effective.map((w, index) => ({ index, rest: (big * w) % sum }));
  let left = total - shares.reduce((a, b) => a + b, 0);
  remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
  for (const { index } of remainders) {
    if (left <= 0) break;
    shares[index] = (shares[index] ?? 0) + 1;
    left--;
  }
  return capped(shares, total, caps);
}

/**
 * The same allocation in plain numbers when every product `total × w` and the weights' sum are
 * safe integers (the usual receipt): no BigInt, same result.
 */
function numberPath(total: number, weights: readonly bigint[]): number[] | undefined {
  let sum = 0;
  const plain: number[] = [];
  for (const w of weights) {
    const n = Number(w);
    plain.push(n);
    sum += n;
  }
  if (!Number.isSafeInteger(sum) || !Number.isSafeInteger(total * sum)) return undefined;
  const effective = sum > 0 ? plain : plain.map(() => 1);
  const divisor = sum > 0 ? sum : plain.length;
  const shares: number[] = [];
  const rests: number[] = [];
  let left = total;
  for (const w of effective) {
    const product = total * w;
    let share = Math.floor(product / divisor);
    let rest = product - share * divisor;
    // the float quotient is correctly rounded, so the floor may be one off near an integer
    if (rest < 0) {
      share--;
      rest += divisor;
    } else if (rest >= divisor) {
      share++;
      rest -= divisor;
    }
    shares.push(share);
    rests.push(rest);
    left -= share;
  }
  if (left > 0) {
    const order = rests.map((_, i) => i).sort((a, b) => (rests[b] ?? 0) - (rests[a] ?? 0) || a - b);
    for (let k = 0; k < left; k++) {
      const index = order[k] ?? 0;
      shares[index] = (shares[index] ?? 0) + 1;
    }
  }
  return shares;
}

function capped(shares: number[], total: number, caps: readonly number[] | undefined): number[] {
  const n = shares.length;
  if (caps === undefined) return shares;
  let excess = 0;
  for (let i = 0; i < n; i++) {
    const cap = caps[i] ?? Infinity;
    const share = shares[i] ?? 0;
    if (share > cap) {
      excess += share - cap;
      shares[i] = cap;
    }
  }
  for (let i = 0; i < n && excess > 0; i++) {
    const room = (caps[i] ?? Infinity) - (shares[i] ?? 0);
    const take = Math.min(room, excess);
    shares[i] = (shares[i] ?? 0) + take;
    excess -= take;
  }
  if (excess > 0) throw new RangeError(`the parts can hold less than ${total}`);
  return shares;
}
