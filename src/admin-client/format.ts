/** Plain-text views of admin API answers for the CLI. */
import type { AdminDeployment, AdminDeploymentDetail, RoutedDeploymentView } from './client.js';

const pct = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(2)}%`;
const ms = (n: number | null) => (n === null ? '-' : `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`);

export function formatDeploymentList(list: { deployments: AdminDeployment[]; routed: RoutedDeploymentView[] }): string {
  const lines: string[] = [];
  for (const d of list.deployments) {
    const split = d.variants.filter((v) => v.role !== 'warm').map((v) => `${v.name}${v.role === 'baseline' ? '*' : ''} ${pct(v.weight)} → ${v.upstream}`).join(', ');
    lines.push(`${d.name}  [${d.status}]  ${split}`);
  }
  for (const r of list.routed) lines.push(`${r.name}  [routed]  fast → ${r.tiers.fast}, mid → ${r.tiers.mid}, powerful → ${r.tiers.powerful}`);
  if (lines.length === 0) lines.push('(no deployments)');
  lines.push('* baseline');
  return lines.join('\n');
}

export function formatDeploymentDetail(d: AdminDeploymentDetail | RoutedDeploymentView): string {
  if (d.kind === 'routed') return `${d.name} (routed)\n  fast     → ${d.tiers.fast}\n  mid      → ${d.tiers.mid}\n  powerful → ${d.tiers.powerful}`;
  const lines = [`${d.name}  status ${d.status}, updated ${d.updatedAt}${d.lastReason ? ` (${d.lastReason})` : ''}`];
  lines.push('  variant          role       weight   upstream (breaker)            requests  errors   p50       p95       thumbs');
  for (const v of d.variants) {
    const s = d.stats[v.name];
    const up = `${v.upstream} (${d.breakers[v.upstream] ?? '?'})`;
    lines.push(`  ${v.name.padEnd(16)} ${v.role.padEnd(10)} ${pct(v.weight).padStart(7)}  ${up.padEnd(29)} ${String(s?.requests ?? 0).padStart(8)}  ${(s ? `${(s.errorRate * 100).toFixed(1)}%` : '-').padStart(6)}  ${ms(s?.latencyMs.p50 ?? null).padStart(8)}  ${ms(s?.latencyMs.p95 ?? null).padStart(8)}  ${s ? `${s.feedback.up}↑ ${s.feedback.down}↓` : '-'}${v.warmUntil ? `  warm until ${v.warmUntil}` : ''}`);
  }
  if (d.fallback.length > 0) lines.push(`  fallback: ${d.fallback.join(' → ')}`);
  const windowS = Object.values(d.stats)[0]?.windowSeconds;
  if (windowS) lines.push(`  (stats over the last ${windowS} s)`);
  return lines.join('\n');
}
