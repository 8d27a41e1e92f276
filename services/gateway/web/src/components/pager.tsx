import { useI18n } from '../i18n/i18n.js';
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
