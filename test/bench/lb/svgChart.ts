// A dependency-free SVG bar chart of the bench: per metric, each target's median relative to HAProxy (to direct where HAProxy has none: syslog), with min-max whiskers.
import { METRICS, targetsOf, type TargetName } from './benchTypes';
import type { SummaryTable } from './report';
import { ratio } from './stats';

const COLORS: Record<TargetName, string> = { runtime: '#3b6fd4', haproxy: '#d9822b', 'node-floor': '#8e6bb8', direct: '#6b8e23' };
const LABELS: Record<TargetName, string> = { runtime: 'runtime', haproxy: 'HAProxy', 'node-floor': 'plain Node proxy', direct: 'direct (mosquitto; rsyslog)' };

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

/** Two lines of at most ~16 characters, split at a space, so neighbouring group labels never overlap. */
function wrapLabel(label: string): string[] {
  if (label.length <= 16) return [label];
  const words = label.split(' ');
  let first = '';
  while (words.length > 1 && (first + ' ' + words[0]).trim().length <= 16) first = (first + ' ' + words.shift()).trim();
  return [first || words.shift() || '', words.join(' ')];
}

/**
 * Bars are value / HAProxy median (1.0 = HAProxy), so rates and costs share one axis; the label under
 * each group says which way is better. Values past `cap` are drawn at the cap with their number shown.
 */
export function renderSvg(table: SummaryTable, title: string, cap = 3): string {
  const targets = targetsOf(table);
  const barWidth = 22;
  // Three bars leave 32 px between groups; the floor's fourth bar widens each group rather than the bars.
  const groupWidth = targets.length * (barWidth + 2) + 32;
  const left = 48;
  const top = 40;
  const plotHeight = 240;
  const width = left + METRICS.length * groupWidth + 20;
  const height = top + plotHeight + 120;
  // Clamped both ways: a noisy delta (RSS per idle conn) can be negative, and its whisker must stay on the plot.
  const y = (v: number) => top + plotHeight - (Math.max(0, Math.min(v, cap)) / cap) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="20" font-size="14">${escapeXml(title)}</text>`,
  ];
  for (let tick = 0; tick <= cap; tick += 0.5) {
    parts.push(`<line x1="${left}" x2="${width - 20}" y1="${y(tick)}" y2="${y(tick)}" stroke="${tick === 1 ? '#888' : '#e4e4e4'}"/>`);
    parts.push(`<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end">${tick.toFixed(1)}x</text>`);
  }
  METRICS.forEach((m, i) => {
    const gx = left + i * groupWidth + 10;
    // The syslog rows have no HAProxy: their bars are relative to direct rsyslog (its bar is then 1.0).
    const haproxyBase = table.haproxy[m.id].median;
    const base = Number.isFinite(haproxyBase) ? haproxyBase : table.direct[m.id].median;
    targets.forEach((t, j) => {
      const s = table[t]?.[m.id];
      if (!s) return;
      const v = ratio(s.median, base);
      if (!Number.isFinite(v)) return;
      const x = gx + j * (barWidth + 2);
      parts.push(`<rect x="${x}" y="${y(v)}" width="${barWidth}" height="${top + plotHeight - y(v)}" fill="${COLORS[t]}"><title>${escapeXml(`${LABELS[t]} ${m.label}: ${s.median} ${m.unit}`)}</title></rect>`);
      const lo = ratio(s.min, base);
      const hi = ratio(s.max, base);
      if (Number.isFinite(lo) && Number.isFinite(hi) && s.n > 1) {
        const cx = x + barWidth / 2;
        parts.push(`<line x1="${cx}" x2="${cx}" y1="${y(hi)}" y2="${y(lo)}" stroke="#222"/>`);
      }
      if (v > cap) parts.push(`<text x="${x + barWidth / 2}" y="${y(cap) - 3}" text-anchor="middle">${v.toFixed(1)}</text>`);
    });
    const lx = gx + (targets.length * (barWidth + 2)) / 2;
    const ly = top + plotHeight + 14;
    wrapLabel(m.label).forEach((line, k) => parts.push(`<text x="${lx}" y="${ly + k * 13}" text-anchor="middle">${escapeXml(line)}</text>`));
    parts.push(`<text x="${lx}" y="${ly + 28}" text-anchor="middle" fill="#666">${m.better === 'higher' ? 'higher is better' : 'lower is better'}</text>`);
    if (!Number.isFinite(haproxyBase) && Number.isFinite(base)) parts.push(`<text x="${lx}" y="${ly + 41}" text-anchor="middle" fill="#666">1.0 = direct</text>`);
  });
  targets.forEach((t, j) => {
    const lx = left + j * 150;
    const ly = height - 24;
    parts.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${COLORS[t]}"/>`);
    parts.push(`<text x="${lx + 16}" y="${ly}">${LABELS[t]}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
