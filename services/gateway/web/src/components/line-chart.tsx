import { useFormat } from '../format.js';

export interface Series {
  readonly name: string;
  /** One value per x; null leaves a gap. */
  readonly values: readonly (number | null)[];
}

const WIDTH = 560;
const HEIGHT = 180;
const PAD = { left: 44, right: 8, top: 8, bottom: 22 };

/**
 * A small hand-drawn SVG line chart: a few series over shared times, the y axis from 0 to the
 * largest value. Colours come from CSS (`.series-0` …), so both themes style it.
 */
export function LineChart(props: {
  readonly title: string;
  readonly times: readonly string[];
  readonly series: readonly Series[];
  readonly unit?: string;
}) {
  const f = useFormat();
  const { times, series } = props;
  const max = Math.max(
    1,
    ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)),
  );
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number): number =>
    PAD.left + (times.length <= 1 ? 0 : (i * plotW) / (times.length - 1));
  const y = (v: number): number => PAD.top + plotH - (v / max) * plotH;
  const path = (values: readonly (number | null)[]): string => {
    let d = '';
    let drawing = false;
    values.forEach((v, i) => {
      if (v === null) {
        drawing = false;
        return;
      }
      d += `${drawing ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      drawing = true;
    });
    return d;
  };
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.title}>
        <line
          class="axis"
          x1={PAD.left}
          y1={PAD.top + plotH}
          x2={WIDTH - PAD.right}
          y2={PAD.top + plotH}
        />
        <line class="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + plotH} />
        <text class="tick" x={PAD.left - 4} y={PAD.top + 8} text-anchor="end">
          {f.number(Math.round(max))}
        </text>
        <text class="tick" x={PAD.left - 4} y={PAD.top + plotH} text-anchor="end">
          0
        </text>
        {times.length > 0 && (
          <>
            <text class="tick" x={PAD.left} y={HEIGHT - 6}>
              {f.time(times[0])}
            </text>
            <text class="tick" x={WIDTH - PAD.right} y={HEIGHT - 6} text-anchor="end">
              {f.time(times[times.length - 1])}
            </text>
          </>
        )}
        {series.map((s, i) => (
          <g key={s.name} class={`series-${i % 8}`}>
            <path class="line" d={path(s.values)} />
            {/* A point with no neighbour draws no line: a dot shows it. */}
            {s.values.map((v, j) =>
              v !== null &&
              (s.values[j - 1] ?? null) === null &&
              (s.values[j + 1] ?? null) === null ? (
                <circle key={j} class="dot" cx={x(j)} cy={y(v)} r={3} />
              ) : null,
            )}
          </g>
        ))}
      </svg>
      <ul class="legend">
        {series.map((s, i) => (
          <li key={s.name}>
            <span class={`swatch series-${i % 8}`} />
            {s.name}
            {props.unit ? ` (${props.unit})` : ''}
          </li>
        ))}
      </ul>
    </figure>
  );
}
