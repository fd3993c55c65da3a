/**
 * Environment overrides for config files, pure.
 *
 * `POS_GA4_REDIS__URL=redis://x` sets `redis.url`: the prefix is dropped, `__` separates levels,
 * and each level is turned from SNAKE_CASE into camelCase (`GA4__API_SECRET` → `ga4.apiSecret`).
 * Values that read as JSON numbers, booleans, arrays or objects are parsed; anything else stays a
 * string. Aliases map conventional names (`REDIS_URL`) onto paths; prefixed names win over aliases.
 */
export interface EnvOverride {
  readonly path: readonly string[];
  readonly value: unknown;
  readonly variable: string;
}

export interface EnvOverrideOptions {
  readonly prefix: string;
  readonly aliases?: Readonly<Record<string, string>>;
}

function camel(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase());
}

function parseValue(raw: string): unknown {
  if (/^(?:-?\d+(?:\.\d+)?|true|false|null)$/.test(raw) || /^[[{]/.test(raw)) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}

export function envOverrides(
  env: Readonly<Record<string, string | undefined>>,
  options: EnvOverrideOptions,
): EnvOverride[] {
  const out: EnvOverride[] = [];
  for (const [alias, path] of Object.entries(options.aliases ?? {})) {
    const raw = env[alias];
    if (raw !== undefined && raw !== '')
      out.push({ path: path.split('.'), value: parseValue(raw), variable: alias });
  }
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(options.prefix) || raw === undefined || raw === '') continue;
    const path = name.slice(options.prefix.length).split('__').filter(Boolean).map(camel);
    if (path.length > 0) out.push({ path, value: parseValue(raw), variable: name });
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns a copy of `base` with each override applied in order (later ones win). */
export function applyOverrides(
  base: Record<string, unknown>,
  overrides: readonly EnvOverride[],
): Record<string, unknown> {
  const root: Record<string, unknown> = structuredClone(base);
  for (const { path, value } of overrides) {
    let node = root;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (isRecord(next)) {
        node = next;
      } else {
        const created: Record<string, unknown> = {};
        node[key] = created;
        node = created;
      }
    }
    const last = path.at(-1);
    if (last !== undefined) node[last] = value;
  }
  return root;
}
