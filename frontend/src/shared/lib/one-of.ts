/**
 * Whether `value` is one of `values` (a `const` list), narrowing it to that list's union: for
 * codes, filters and params that arrive as plain strings.
 */
export function isOneOf<T extends string>(values: readonly T[], value: string | null | undefined): value is T {
  return value !== null && value !== undefined && (values as readonly string[]).includes(value);
}
