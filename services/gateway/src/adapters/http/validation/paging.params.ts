import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '@clocktower/contracts';
import type { RawJson } from '@clocktower/messaging';
import { IntParam } from './query-param.transforms.js';
import type { Problems } from './problems.js';

// TypeScript's rule for mixins: the base's constructor takes `...args: any[]`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AbstractClass<T = object> = abstract new (...args: any[]) => T;

export interface PagingParams {
  limit?: number;
  cursor?: string;
  page?: number;
}

/** Adds `limit`, `cursor` and `page` to a query DTO (a mixin: DTOs already extend their filters). */
export function WithPaging<B extends AbstractClass>(Base: B) {
  abstract class Paged extends Base implements PagingParams {
    @ApiPropertyOptional({
      description: `Items per page (default ${DEFAULT_PAGE_LIMIT}).`,
      example: DEFAULT_PAGE_LIMIT,
    })
    @IntParam()
    @IsOptional()
    @IsInt()
    @Min(1)
    @Max(MAX_PAGE_LIMIT)
    limit?: number;

    @ApiPropertyOptional({
      description: "The previous page's `nextCursor`, for the next page. Exclusive with `page`.",
    })
    @IsOptional()
    @IsString()
    @IsNotEmpty()
    @MaxLength(2_000)
    cursor?: string;

    @ApiPropertyOptional({
      description:
        'Page number from 1 (offset paging, to jump to a page). Exclusive with `cursor`.',
    })
    @IntParam()
    @IsOptional()
    @IsInt()
    @Min(1)
    page?: number;
  }
  return Paged;
}

export function checkPaging(params: PagingParams, problems: Problems): Problems {
  if (params.cursor !== undefined && params.page !== undefined) {
    problems.add('page', 'page and cursor are exclusive: give one of them');
  }
  return problems;
}

/** A page as the API answers it: the projection's page, with the limit and page it was read at. */
export function pageReply<P extends object>(page: P, params: PagingParams) {
  return {
    ...page,
    limit: params.limit ?? DEFAULT_PAGE_LIMIT,
    ...(params.page === undefined ? {} : { page: params.page }),
  };
}

/**
 * pageReply on the projection's page as JSON text (a JSON object), never parsed: its fields are
 * appended before the closing brace. The same text as JSON.stringify(pageReply(page, params)), in
 * two pieces — the projection's bytes up to the brace, not copied, and the appended fields — which
 * sendJsonBody writes one after the other: copying a 40 KB page into one Buffer per request was
 * garbage for the collector and nothing else.
 */
export function pageReplyJson(page: RawJson, params: PagingParams): [Uint8Array, Uint8Array] {
  const bytes = page.bytes();
  const end = bytes.lastIndexOf(0x7d); // '}'
  if (bytes[0] !== 0x7b || end < 0)
    throw new Error('the projection answered a page that is not a JSON object');
  const fields = `"limit":${params.limit ?? DEFAULT_PAGE_LIMIT}${params.page === undefined ? '' : `,"page":${params.page}`}}`;
  const empty = end === 1; // '{}'
  return [bytes.subarray(0, end), Buffer.from(empty ? fields : `,${fields}`)];
}
