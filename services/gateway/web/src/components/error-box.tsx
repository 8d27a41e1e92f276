import { ApiError, errorMessage } from '../api/client.js';
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
