/**
 * A grouped bar chart as a standalone SVG string, written by hand (no dependency): one group
 * per scenario, one bar per target, the median labelled on each bar and the min–max range
 * drawn as a whisker.
 */
export interface ChartSeries {
  readonly name: string;
  readonly color: string;
}

export interface ChartGroup {
  readonly label: string;
  /** One entry per series, in series order; null when not measured. */
  readonly values: readonly ({ readonly median: number; readonly min: number; readonly max: number } | null)[];
}

export interface ChartSpec {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  readonly groups: readonly ChartGroup[];
}

const BAR = 18;
const BAR_GAP = 3;
const GROUP_GAP = 34;
const LEFT = 78;
const TOP = 70;
const PLOT_HEIGHT = 320;
const LABEL_SPACE = 84;

export function renderBarChart(spec: ChartSpec): string {
  const n = spec.series.length;
  const groupWidth = n * BAR + (n - 1) * BAR_GAP;
  const width = Math.max(LEFT + n * 170, LEFT + spec.groups.length * (groupWidth + GROUP_GAP) + 20);
  const height = TOP + PLOT_HEIGHT + LABEL_SPACE;
  const top = niceMax(Math.max(1, ...spec.groups.flatMap((g) => g.values.map((v) => (v === null ? 0 : Math.max(v.median, v.max))))));
  const y = (value: number): number => TOP + PLOT_HEIGHT - (value / top) * PLOT_HEIGHT;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="22" font-size="15" font-weight="bold">${escapeXml(spec.title)}</text>`,
  );
  spec.series.forEach((s, i) => {
    const x = LEFT + i * 170;
    out.push(`<rect x="${x}" y="34" width="12" height="12" fill="${s.color}"/>`, `<text x="${x + 17}" y="44">${escapeXml(s.name)}</text>`);
  });
  for (let i = 0; i <= 5; i++) {
    const value = (top / 5) * i;
    const yy = y(value).toFixed(1);
    out.push(
      `<line x1="${LEFT}" x2="${width - 10}" y1="${yy}" y2="${yy}" stroke="#dddddd"/>`,
      `<text x="${LEFT - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${escapeXml(shortNumber(value))}</text>`,
    );
  }
  out.push(
    `<text transform="translate(16 ${TOP + PLOT_HEIGHT / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  spec.groups.forEach((g, gi) => {
    const gx = LEFT + GROUP_GAP / 2 + gi * (groupWidth + GROUP_GAP);
    g.values.forEach((v, si) => {
      const x = gx + si * (BAR + BAR_GAP);
      const color = spec.series[si]?.color ?? '#888888';
      if (v === null || !Number.isFinite(v.median)) {
        out.push(`<text x="${x + BAR / 2}" y="${TOP + PLOT_HEIGHT - 4}" text-anchor="middle" fill="#999999" font-size="9">n/a</text>`);
        return;
      }
      const yTop = y(v.median);
      out.push(`<rect x="${x}" y="${yTop.toFixed(1)}" width="${BAR}" height="${(TOP + PLOT_HEIGHT - yTop).toFixed(1)}" fill="${color}"/>`);
      if (v.max > v.min) {
        const cx = x + BAR / 2;
        out.push(`<line x1="${cx}" x2="${cx}" y1="${y(v.max).toFixed(1)}" y2="${y(v.min).toFixed(1)}" stroke="#333333"/>`);
      }
      out.push(
        `<text transform="translate(${x + BAR / 2 + 3} ${(Math.min(y(v.max), yTop) - 4).toFixed(1)}) rotate(-90)" font-size="9">${escapeXml(shortNumber(v.median))}</text>`,
      );
    });
    const lines = wrap(g.label, 18);
    lines.forEach((line, li) => {
      out.push(`<text x="${gx + groupWidth / 2}" y="${TOP + PLOT_HEIGHT + 16 + li * 13}" text-anchor="middle">${escapeXml(line)}</text>`);
    });
  });
  out.push(`<line x1="${LEFT}" x2="${width - 10}" y1="${TOP + PLOT_HEIGHT}" y2="${TOP + PLOT_HEIGHT}" stroke="#333333"/>`, '</svg>');
  return `${out.join('\n')}\n`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A round axis top at or above max: 1, 2, 2.5 or 5 times a power of ten. */
export function niceMax(max: number): number {
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

function shortNumber(value: number): string {
  if (value >= 10_000) return `${(value / 1000).toFixed(value >= 100_000 ? 0 : 1)}k`;
  if (value >= 1000) return `${(value / 1000).toFixed(2)}k`;
  return String(Math.round(value));
}

/** Splits a label at ", " boundaries, then at spaces and after "/", into lines of at most `width` characters. */
export function wrap(label: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const segment of label.split(/(?<=,) /)) {
    const pieces = segment.length > width ? segment.split(/ |(?<=\/)/) : [segment];
    for (const piece of pieces) {
      const glue = line === '' || line.endsWith('/') ? '' : ' ';
      const next = `${line}${glue}${piece}`;
      if (next.length > width && line !== '') {
        lines.push(line);
        line = piece;
      } else {
        line = next;
      }
    }
  }
  if (line !== '') lines.push(line);
  return lines.slice(0, 5);
}
