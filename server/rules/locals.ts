// Unused locals (hints, faded) and callbacks: a script that defines neither client.on_data nor server.on_data does nothing.
import type { DocumentAnalysis } from '../analysis/analyze';
import type { Finding } from './finding';

export function unusedLocalFindings(analysis: DocumentAnalysis): Finding[] {
  const scopes = analysis.scopes;
  if (!scopes) return [];
  return scopes.symbols
    .filter((s) => (s.kind === 'local' || s.kind === 'localFunction') && s.reads === 0 && !s.name.startsWith('_'))
    .map((s) => ({
      code: 'protoext.unused-local',
      message: s.writes.length > 0 ? `Local '${s.name}' is assigned but never read.` : `Unused local '${s.name}'.`,
      span: s.declaration,
      severity: 'hint',
      unnecessary: true,
    }));
}

export function callbackFindings(analysis: DocumentAnalysis): Finding[] {
  const scopes = analysis.scopes;
  if (!scopes || analysis.recovered) return [];
  if (scopes.functions.some((f) => f.callback)) return [];
  const firstLineEnd = analysis.text.indexOf('\n');
  return [{
    code: 'protoext.no-callback',
    message: 'Neither client.on_data nor server.on_data is defined: the extension never runs. Define `function client.on_data(ctxt, payload)` to process client data.',
    span: [0, firstLineEnd < 0 ? analysis.text.length : firstLineEnd],
    severity: 'warning',
  }];
}
