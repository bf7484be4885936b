import type { RunSummary } from '../eval/summary.js';
import type { RunStore } from '../store/run-store.js';
import { writeFileAtomically } from './atomic-write.js';
import { modelLabel } from './model-label.js';
import { xmlEscape } from './xml.js';

/** JUnit XML: a testsuite per run, a testcase per case (and repeat); fail → failure, error → error. */
export function writeJunit(path: string, summaries: RunSummary[], store: RunStore): void {
  writeFileAtomically(path, (w) => {
    w('<?xml version="1.0" encoding="UTF-8"?>\n');
    const tests = summaries.reduce((n, s) => n + s.results, 0);
    const failures = summaries.reduce((n, s) => n + s.fail, 0);
    const errors = summaries.reduce((n, s) => n + s.error, 0);
    w(`<testsuites name="llmops eval" tests="${tests}" failures="${failures}" errors="${errors}">\n`);
    for (const s of summaries) {
      const name = `${s.suite} · ${modelLabel(s)}`;
      w(`  <testsuite name="${xmlEscape(name)}" tests="${s.results}" failures="${s.fail}" errors="${s.error}" skipped="0" time="${((s.latencyMs?.p50 ?? 0) * s.results / 1000).toFixed(3)}">\n`);
      w(`    <properties><property name="run_id" value="${xmlEscape(s.runId)}"/><property name="status" value="${s.status}"/></properties>\n`);
      for (const r of store.iterateResults(s.runId)) {
        const caseName = r.repeat > 0 ? `${r.caseId}#${r.repeat}` : r.caseId;
        const time = ((r.latencyMs ?? 0) / 1000).toFixed(3);
        w(`    <testcase classname="${xmlEscape(`${s.suite}.${s.model}`)}" name="${xmlEscape(caseName)}" time="${time}"`);
        const scoreErrors = r.scoreErrors ?? [];
        if (r.outcome === 'pass' && scoreErrors.length === 0) { w('/>\n'); continue; }
        w('>\n');
        if (r.outcome === 'error') {
          w(`      <error type="${xmlEscape(r.errorKind ?? 'error')}" message="${xmlEscape(r.errorMessage ?? '')}"/>\n`);
        } else if (r.outcome === 'fail') {
          const failed = r.scores.filter((sc) => sc.pass === false).map((sc) => `${sc.name}: ${sc.reason ?? `score ${sc.value}`}`).join('; ');
          w(`      <failure type="fail" message="${xmlEscape(failed || 'failed')}">${xmlEscape((r.output ?? '').slice(0, 2000))}</failure>\n`);
        }
        // Every scorer that could not score, gating or not (a non-gating one leaves the outcome alone).
        if (scoreErrors.length) w(`      <system-err>${xmlEscape(scoreErrors.map((e) => `${e.name} could not score: ${e.message}`).join('\n'))}</system-err>\n`);
        w('    </testcase>\n');
      }
      w('  </testsuite>\n');
    }
    w('</testsuites>\n');
  });
}
