// Renders the Packet Inspector's HTML from an InspectorState of any protocol (pure, no vscode import): hex grid, field map, token, messages sent, decision.
import type { InspectorField, InspectorState } from '../../runtime/debug/inspectorModel';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const PALETTE = 6;

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Top-level field per byte offset and a stable colour class per field. */
function fieldIndex(fields: readonly InspectorField[], length: number): { field: (InspectorField & { cls: number }) | null }[] {
  const out: { field: (InspectorField & { cls: number }) | null }[] = Array.from({ length }, () => ({ field: null }));
  let n = 0;
  for (const f of fields) {
    if (f.parent !== undefined) continue;
    const cls = n++ % PALETTE;
    for (let o = f.offset; o < f.offset + f.length && o < length; o++) out[o].field = { ...f, cls };
  }
  return out;
}

/** The bytes as a list that wraps to the available width (a narrow side bar or a wide panel); each byte says what it is to a screen reader. */
function hexGrid(state: InspectorState): string {
  const read = new Set(state.reads);
  const owners = fieldIndex(state.fields, state.bytes.length);
  const cells: string[] = [];
  for (let o = 0; o < state.bytes.length; o++) {
    const f = owners[o].field;
    const isRead = read.has(o);
    const isCursor = state.lastRead === o;
    const label = `offset ${o}: 0x${hex2(state.bytes[o])}${f ? `, ${f.label}` : state.protocol.hasDecoder ? `, not part of a ${state.protocol.unitName}` : ''}${isRead ? ', read by the script' : ', not read'}${isCursor ? ', last byte read' : ''}`;
    const cls = ['b', f ? `f${f.cls}` : 'nf', isRead ? 'read' : '', isCursor ? 'cursor' : ''].filter(Boolean).join(' ');
    const offset = o % 8 === 0 ? `<span class="off" aria-hidden="true">${o}</span>` : '';
    cells.push(`<li class="${cls}" title="${escapeHtml(label)}" aria-label="${escapeHtml(label)}">${offset}${hex2(state.bytes[o])}${isRead ? '<span class="mark" aria-hidden="true">•</span>' : ''}</li>`);
  }
  return `<ol class="hex" tabindex="0" aria-label="Bytes, ${state.bytes.length} in all; a dot marks bytes the script has read, a box the last byte read; every 8th byte shows its offset">${cells.join('')}</ol>`;
}

function remainingLength(state: InspectorState): string {
  const f = state.fields.find((x) => x.digits && x.digits.length > 0 && /remaining/i.test(x.id));
  if (!f || !f.digits) return '';
  const terms = f.digits.map((d) => `(0x${hex2(d.byte)} &amp; 0x7F = ${d.digit}) × ${d.multiplier}`);
  const total = f.digits.reduce((n, d) => n + d.digit * d.multiplier, 0);
  return `<section aria-labelledby="rl"><h3 id="rl">Remaining length</h3><p class="mono">${terms.join(' + ')} = <strong>${total}</strong>${f.digits.length > 1 ? ` (${f.digits.length} bytes, each with the continuation bit 0x80 but the last)` : ''}</p></section>`;
}

function fieldsTable(state: InspectorState): string {
  if (!state.protocol.hasDecoder) return `<p>${escapeHtml(state.protocol.title)} has no reference decoder: no field map; the script alone defines the messages.</p>`;
  if (state.fields.length === 0) return '<p>The reference decoder found no complete field yet.</p>';
  const owners = fieldIndex(state.fields, state.bytes.length);
  const rows = state.fields.map((f) => {
    const cls = f.parent === undefined && f.offset < owners.length ? owners[f.offset].field?.cls : undefined;
    const swatch = cls === undefined ? '' : `<span class="sw f${cls}" aria-hidden="true"></span>`;
    const readAll = f.length > 0 && Array.from({ length: f.length }, (_, i) => f.offset + i).every((o) => state.reads.includes(o));
    return `<tr class="${f.parent !== undefined ? 'sub' : ''}"><td>${swatch}${escapeHtml(f.label)}</td><td class="mono">${f.offset}${f.length > 1 ? `–${f.offset + f.length - 1}` : ''}</td><td class="mono">${escapeHtml(f.value)}</td><td>${readAll ? 'read' : ''}${f.note ? ` <em>${escapeHtml(f.note)}</em>` : ''}</td></tr>`;
  });
  return `<table class="fields"><caption>Fields (${escapeHtml(state.protocol.title)} reference decoder${state.reference.label ? `: ${escapeHtml(state.reference.label)}` : ''})</caption><thead><tr><th scope="col">Field</th><th scope="col">Bytes</th><th scope="col">Value</th><th scope="col">Script</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The script's token beside the reference's (protocols with a token: MQTT's ClientID); nothing for the others. */
function tokens(state: InspectorState): string {
  const name = state.protocol.tokenName;
  if (name === null) return '';
  const ref = state.reference;
  const refText = ref.status === 'ok' ? `${escapeHtml(JSON.stringify(ref.token))} <span class="mono">(${ref.tokenHex || 'empty'})</span>, ${escapeHtml(state.protocol.title)} ${escapeHtml(ref.label ?? '')}` : escapeHtml(ref.error ?? ref.status);
  const script = state.script.token === null ? 'not extracted yet (no ns.send with a user_token)' : `${escapeHtml(JSON.stringify(state.script.token))} <span class="mono">(${state.script.tokenHex || 'empty'})</span> from ${escapeHtml(state.script.from ?? '')}`;
  return `<table class="ids"><caption>${escapeHtml(name)}</caption><tbody><tr><th scope="row">Script extracted</th><td>${script}</td></tr><tr><th scope="row">Reference decoder</th><td>${refText}</td></tr></tbody></table>`;
}

/** Every ns.send so far with the service it went to: for a message protocol, one decision per message. */
function sentTable(state: InspectorState): string {
  if (state.sent.length === 0) return '';
  const unit = state.protocol.balancing === 'message' ? state.protocol.unitName : 'send';
  const rows = state.sent.map((m) => `<tr><td>${m.index}</td><td>${m.event}</td><td class="mono">${escapeHtml(m.text.length > 80 ? `${m.text.slice(0, 80)}…` : m.text)}</td><td>${m.service === null ? 'pending' : escapeHtml(m.service)}</td></tr>`);
  return `<table class="sent"><caption>${escapeHtml(unit[0].toUpperCase() + unit.slice(1))}s sent (${state.sent.length})</caption><thead><tr><th scope="col">#</th><th scope="col">Event</th><th scope="col">Data</th><th scope="col">Service</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function decision(state: InspectorState): string {
  const d = state.decision;
  if (d === null) {
    const next = state.protocol.balancing === 'message' && state.sent.length > 0 ? `No decision for the next ${state.protocol.unitName} yet: each EOM ends one, and the next ns.send gets a new decision.` : 'No ns.send yet: the load balancer has not decided.';
    const why = state.decisionPending ? 'ns.send ran: the local LB decides when this delivery\'s result reaches it (on_data returns), and its decision shows here.' : next;
    return `<section aria-labelledby="dec"><h3 id="dec">Decision</h3><p>${why}</p></section>`;
  }
  return `<section aria-labelledby="dec"><h3 id="dec">Decision</h3><dl>
<dt>Service</dt><dd>${escapeHtml(d.service === null ? 'none (no service up)' : `${d.service} (${d.address ?? ''})`)}</dd>
<dt>Why</dt><dd>${escapeHtml(d.reason)}</dd>
<dt>lbMethod</dt><dd>${escapeHtml(`${d.method}, chosen by ${d.chosenBy}`)}</dd>
<dt>Persistence</dt><dd>${escapeHtml(`${d.persistenceType}: ${d.persistence}; ${d.expiry}`)}</dd>
<dt>Decided</dt><dd>${escapeHtml(d.basis)}</dd></dl></section>`;
}

export function renderInspector(state: InspectorState | null): string {
  if (state === null) return '<p>Start a <strong>protoext</strong> debug session (Protocol Extension: Debug First Flight) to see the bytes here.</p>';
  const where = `<p class="where">${escapeHtml(state.protocol.title)} · ${escapeHtml(state.program.split(/[\\/]/).pop() ?? '')}:${state.line} — stopped (${escapeHtml(state.reason)}), delivery ${state.delivery + 1} of ${state.deliveries}, ${state.bytes.length} bytes, ${state.reads.length} read${state.lastRead !== null ? `, last read offset ${state.lastRead}` : ''}</p>`;
  const warning = state.warning ? `<div class="warning" role="alert"><strong>Warning:</strong> ${escapeHtml(state.warning)}</div>` : '';
  const exception = state.exception ? `<div class="error" role="alert"><strong>error():</strong> ${escapeHtml(state.exception)}</div>` : '';
  // The decision right after the token: it is what the script is for, and it stays in view in a short panel.
  return [where, warning, exception, tokens(state), decision(state), sentTable(state), hexGrid(state), remainingLength(state), fieldsTable(state)].join('\n');
}

/** Styles use only VS Code theme variables, so every theme (high contrast included) applies. */
export const INSPECTOR_CSS = `
body { color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 8px; }
.mono, .hex { font-family: var(--vscode-editor-font-family); }
.hex { list-style: none; display: grid; grid-template-columns: repeat(auto-fill, minmax(2.4em, 1fr)); gap: 2px; margin: 8px 0; padding: 0; max-width: 48em; }
.hex li { position: relative; padding: 0.7em 0 1px; text-align: center; border: 1px solid transparent; }
.hex .off { position: absolute; top: 0; left: 2px; font-size: 0.65em; color: var(--vscode-descriptionForeground); }
.hex:focus { outline: 1px solid var(--vscode-focusBorder); }
.b.read { text-decoration: underline; font-weight: bold; }
.b.cursor { border: 1px solid var(--vscode-focusBorder); }
.b.nf { color: var(--vscode-disabledForeground); }
.mark { font-size: 0.6em; vertical-align: super; }
.f0 { background: color-mix(in srgb, var(--vscode-charts-blue) 30%, transparent); }
.f1 { background: color-mix(in srgb, var(--vscode-charts-green) 30%, transparent); }
.f2 { background: color-mix(in srgb, var(--vscode-charts-orange) 30%, transparent); }
.f3 { background: color-mix(in srgb, var(--vscode-charts-purple) 30%, transparent); }
.f4 { background: color-mix(in srgb, var(--vscode-charts-yellow) 30%, transparent); }
.f5 { background: color-mix(in srgb, var(--vscode-charts-red) 30%, transparent); }
.sw { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 4px; }
.warning { background: var(--vscode-inputValidation-warningBackground); border: 1px solid var(--vscode-inputValidation-warningBorder); padding: 6px; margin: 6px 0; }
.error { background: var(--vscode-inputValidation-errorBackground); border: 1px solid var(--vscode-inputValidation-errorBorder); padding: 6px; margin: 6px 0; }
table.fields, table.ids, table.sent { border-collapse: collapse; width: 100%; margin: 6px 0; }
table.fields td, table.fields th, table.ids td, table.ids th, table.sent td, table.sent th { border-bottom: 1px solid var(--vscode-widget-border, transparent); padding: 2px 4px; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
tr.sub td:first-child { padding-left: 1.5em; }
.where { color: var(--vscode-descriptionForeground); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; margin: 4px 0; }
dt { font-weight: bold; }
dd { margin: 0; }
`;
