import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '@clocktower/contracts';
import { InvalidQueryError } from '../../domain/projection.errors.js';

/** The page size asked for, checked again here: the read model may be called without the bus. */
export function pageLimit(limit: number | undefined, fallback = DEFAULT_PAGE_LIMIT): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT)
    throw new InvalidQueryError('limit', `must be an integer from 1 to ${MAX_PAGE_LIMIT}`);
  return limit;
}

export function pageOffset(page: number | undefined, limit: number): number {
  if (page === undefined) return 0;
  if (!Number.isInteger(page) || page < 1)
    throw new InvalidQueryError('page', 'must be an integer from 1');
  return (page - 1) * limit;
}
