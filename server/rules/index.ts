// Runs every diagnostic rule over one analysis, in a stable order.
import type { DocumentAnalysis } from '../analysis/analyze';
import { callFindings } from './apiCalls';
import { memberFindings } from './apiMembers';
import type { Finding } from './finding';
import { globalFindings } from './globals';
import { holdThenUseFindings } from './holdThenUse';
import { callbackFindings, unusedLocalFindings } from './locals';
import { syntaxFindings } from './syntax';

const RULES: readonly ((analysis: DocumentAnalysis) => Finding[])[] = [
  syntaxFindings, memberFindings, callFindings, globalFindings, holdThenUseFindings, unusedLocalFindings, callbackFindings,
];

export function allFindings(analysis: DocumentAnalysis): Finding[] {
  return RULES.flatMap((rule) => rule(analysis)).sort((a, b) => a.span[0] - b.span[0]);
}
