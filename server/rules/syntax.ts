// Syntax findings: the luaparse error (Lua 5.2 grammar, goto/label rules) and Lua 5.3+ operators the ADC's Lua 5.2 lacks.
import { LUA54_TRAPS } from '../../runtime/ns/catalog';
import type { DocumentAnalysis } from '../analysis/analyze';
import type { Finding } from './finding';

const OPERATOR_NAMES: Readonly<Record<string, string>> = {
  '//': 'integer division `//`', '&': 'bitwise AND `&`', '|': 'bitwise OR `|`', '~': 'bitwise XOR/NOT `~`', '<<': 'left shift `<<`', '>>': 'right shift `>>`',
};

function trapMessage(operator: string): string {
  const construct = operator === '//' ? '//' : '&|~<<>>';
  return LUA54_TRAPS.find((t) => t.construct === construct)?.message ?? '';
}

export function syntaxFindings(analysis: DocumentAnalysis): Finding[] {
  const findings: Finding[] = analysis.newerOperators.map((op) => ({
    code: 'protoext.lua53-operator',
    message: `The ${OPERATOR_NAMES[op.operator]} operator is not available on the ADC's Lua 5.2. ${trapMessage(op.operator)}`,
    span: [op.start, op.end],
    severity: 'error',
  }));
  const error = analysis.syntaxError;
  // A parse error right at a 5.3 operator is that operator's fault, already reported above.
  const atNewerOperator = error && analysis.newerOperators.some((op) => error.span[0] >= op.start - 1 && error.span[0] <= op.end + 1);
  if (error && !atNewerOperator) {
    const isGoto = /goto|label/.test(error.message);
    findings.push({
      code: isGoto ? 'protoext.goto' : 'protoext.syntax',
      message: `Lua 5.2 syntax error: ${error.message}`,
      span: error.span,
      severity: 'error',
    });
  }
  return findings;
}
