export { evaluateGate, type GateInput, type GateSide } from './evaluate.js';
export { extractCaseTable, METRICS, METRIC_NAMES, type CaseTable, type MetricName, type MetricDef } from './metrics.js';
export { parseGatePolicy, resolveGatePolicy, GatePolicySchema, DEFAULT_NOISE, DEFAULT_THRESHOLDS, type GatePolicy, type GatePolicyInput, type MetricPolicy } from './policy.js';
export { caseFlips } from './flips.js';
export { formatValue, formatDelta, formatP } from './format.js';
export type { GateVerdict, MetricVerdict, Verdict, CaseFlip, AbsoluteCheck, ComparisonCheck } from './types.js';
