import type { Scope } from '../store/read-model.port.js';

/** The caller's scope, as the gateway set it on the query (absent fields: no restriction). */
export function scopeOf(query: {
  readonly onlyUser?: string;
  readonly onlyClusters?: readonly string[];
}): Scope {
  return {
    ...(query.onlyUser === undefined ? {} : { onlyUser: query.onlyUser }),
    ...(query.onlyClusters === undefined ? {} : { onlyClusters: query.onlyClusters }),
  };
}
