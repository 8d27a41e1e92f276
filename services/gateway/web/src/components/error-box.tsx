import { ApiError, errorMessage } from '../api/client.js';
import type { Loaded } from '../use-api.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * What went wrong, in the API's words: a 400 lists each refused field with its problems (a bad
 * filter is never shown as an empty table); a 401 shows nothing here, the login prompt takes over.
 */
export function ErrorBox(props: { readonly error: unknown; readonly onRetry?: () => void }) {
  const { t } = useI18n();
  const { error } = props;
  if (error instanceof ApiError && error.status === 401) return null;
  if (error instanceof ApiError && error.status === 404) {
    return (
      <div class="error" role="alert">
        {t('common.notFound')}
      </div>
    );
  }
  if (error instanceof ApiError && error.status === 400) {
    const issues = error.problem?.issues ?? [];
    return (
      <div class="error" role="alert" data-status="400">
        <p>{t('common.badRequest')}</p>
        {issues.length > 0 ? (
          <ul>
            {issues.map((issue) => (
              <li key={issue.path}>
                <code>{issue.path}</code>: {issue.problems.join('; ')}
              </li>
            ))}
          </ul>
        ) : (
          <p>{error.message}</p>
        )}
      </div>
    );
  }
  const message = errorMessage(error);
  return (
    <div class="error" role="alert">
      {t('common.error', { message })}
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/**
 * What stands in for a resource that has no data yet (useApi drops the data when a request
 * fails): its error (ErrorBox, with a retry button when `retry`), else the loading line. The
 * pages' one way of saying "not here yet".
 */
export function Pending(props: { readonly loaded: Loaded<unknown>; readonly retry?: boolean }) {
  const { t } = useI18n();
  const { loaded } = props;
  if (loaded.error !== undefined)
    return <ErrorBox error={loaded.error} {...(props.retry ? { onRetry: loaded.reload } : {})} />;
  return <p>{t('common.loading')}</p>;
}
