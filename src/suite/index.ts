export { loadSuite, suiteFilePath, MAX_ISSUES, type LoadSuiteOptions } from './load.js';
export { iterateCases, readCaseRecords } from './read-cases.js';
export { selectCases, shardOf, idHash, hasAnyTag, type CaseSelection } from './select.js';
export { renderMessages, caseScope, type CaseRenderer } from './render.js';
export { compileTemplate, MissingVariableError, type CompiledTemplate } from './template.js';
export type { Case, Suite, ScorerSpec, CaseSourceSpec, DatasetMapping } from './types.js';
