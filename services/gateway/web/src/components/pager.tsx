import { useI18n } from '../i18n/i18n.js';
import { href } from '../router.js';
import { Link } from './link.js';

/** Previous / next links of a paged list; `hrefOf(page)` keeps the page in the URL. */
export function Pager(props: {
  readonly page: number;
  readonly limit: number;
  readonly total: number;
  readonly hrefOf: (page: number) => string;
}) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(props.total / props.limit));
  return (
    <nav class="pager" aria-label="pages">
      {props.page > 1 ? (
        <Link href={props.hrefOf(props.page - 1)}>{t('common.previous')}</Link>
      ) : (
        <span class="disabled">{t('common.previous')}</span>
      )}
      <span>{t('common.page', { page: props.page, pages })}</span>
      {props.page < pages ? (
        <Link href={props.hrefOf(props.page + 1)}>{t('common.next')}</Link>
      ) : (
        <span class="disabled">{t('common.next')}</span>
      )}
    </nav>
  );
}

/**
 * `hrefOf` for a Pager: the page `path` with the current `query` and `param` (the page's number)
 * set; a cursor goes, since a page and a cursor are exclusive.
 */
export function pageHrefs(
  path: string,
  query: URLSearchParams,
  param = 'page',
): (page: number) => string {
  return (page) => {
    const next = new URLSearchParams(query);
    next.delete('cursor');
    next.set(param, String(page));
    return href(path, next);
  };
}
