/** A config that cannot be used. `issues` name each field (dotted path), what is wrong, and where the value came from. */
export const CONFIG_ERROR_CODES = ['CONFIG_INVALID', 'CONFIG_UNREADABLE'] as const;
export type ConfigErrorCode = (typeof CONFIG_ERROR_CODES)[number];

export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
  /** `file`, `env POS_GA4_…`, or `default`. */
  readonly origin: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly issues: readonly ConfigIssue[];

  constructor(code: ConfigErrorCode, summary: string, issues: readonly ConfigIssue[] = []) {
    const detail = issues.map((i) => `\n  - ${i.path}: ${i.message} (from ${i.origin})`).join('');
    super(`${summary}${detail}`);
    this.code = code;
    this.issues = issues;
  }
}
