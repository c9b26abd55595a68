// A small horizontal bar chart in plain SVG: one bar per row, its label and value written
// beside it. Hidden from assistive technology: the table beside each chart holds the same
// figures and is what a screen reader reads. Sizes are SVG attributes (the
// Content-Security-Policy refuses inline styles).
export interface Bar {
  label: string;
  value: number;
  text: string;  // the value as the table writes it
}

const rowHeight = 26;
const labelWidth = 150;
const barArea = 240;
const textWidth = 110;

export function BarChart({ bars }: { bars: readonly Bar[] }) {
  const max = Math.max(0, ...bars.map((b) => b.value));
  const width = labelWidth + barArea + textWidth;
  const height = Math.max(1, bars.length) * rowHeight;
  return (
    <svg class="bar-chart" viewBox={`0 0 ${width} ${height}`} width={width} height={height} aria-hidden="true" focusable="false">
      {bars.map((b, i) => {
        const w = max > 0 ? Math.max(b.value > 0 ? 2 : 0, (b.value / max) * barArea) : 0;
        const y = i * rowHeight;
        return (
          <g key={i}>
            <text x={labelWidth - 6} y={y + 17} text-anchor="end" class="bar-label">
              {b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label}
            </text>
            <rect x={labelWidth} y={y + 4} width={w} height={rowHeight - 8} rx={3} class="bar" />
            <text x={labelWidth + w + 6} y={y + 17} class="bar-value">
              {b.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
