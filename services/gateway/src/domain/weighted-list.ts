export interface WeightedValue {
  /** The value, lower-cased (`br`, `fr-ca`). */
  readonly value: string;
  /** Its weight: the `q` parameter, 1 without one. */
  readonly q: number;
}

/**
 * The values of an HTTP header that lists weighted choices (`Accept-Encoding`,
 * `Accept-Language`: `fr-CA,fr;q=0.9,en;q=0.8`), in the order written.
 */
export function weightedList(header: string | undefined): WeightedValue[] {
  if (!header) return [];
  return header.split(',').map((part) => {
    const [value = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return { value: value.trim(), q: q === undefined ? 1 : Number(q) };
  });
}
