/**
 * Regular expressions written in receipt profiles: compiling them and listing their named groups.
 *
 * Inputs: a pattern source string (JavaScript syntax, without slashes) and whether matching
 * ignores case. Outputs: the compiled `RegExp` (always with the `u` flag) or the compiler's
 * message; the names of its `(?<name>…)` groups. Errors: never thrown, returned as values.
 * Lifecycle: pure functions, no state.
 */

export type CompiledRegex =
  { readonly ok: true; readonly regex: RegExp } | { readonly ok: false; readonly message: string };

export function compileRegex(source: string, ignoreCase: boolean): CompiledRegex {
  try {
    return { ok: true, regex: new RegExp(source, ignoreCase ? 'iu' : 'u') };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Named groups of a pattern, in order of appearance. The pattern is wrapped as `(?:source)|` and
 * run on the empty string: the empty alternative always matches and every group is listed, unset.
 * Returns [] when the pattern does not compile.
 */
export function groupNames(source: string): string[] {
  const compiled = compileRegex(`(?:${source})|`, false);
  if (!compiled.ok) return [];
  const groups = compiled.regex.exec('')?.groups;
  return groups === undefined ? [] : Object.keys(groups);
}
