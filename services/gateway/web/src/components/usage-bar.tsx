import { useFormat } from '../format.js';
import { useI18n } from '../i18n/i18n.js';

/** `used of total (n %)` with a bar. */
export function UsageBar(props: { readonly used: number; readonly total: number }) {
  const { t } = useI18n();
  const f = useFormat();
  const share = props.total > 0 ? Math.min(1, props.used / props.total) : 0;
  return (
    <div class="usage">
      <div class="bar" role="presentation">
        <div style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </div>
      <span>
        {t('overview.used', {
          used: f.number(props.used),
          total: f.number(props.total),
          percent: f.percent(props.used, props.total),
        })}
      </span>
    </div>
  );
}
