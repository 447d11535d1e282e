// The matrix as one self-contained HTML page: no network, no external file.
// Each scenario is a group headed by its id, title, what it shows, its steps
// and the command that reproduces it; the column header stays on screen while
// scrolling; a differing cell carries a symbol as well as a colour; and inline
// script filters rows (differences only, by transport) and columns (by
// backend). In a wide merge the step column stays on screen too.
import type { ResultDocument } from '../../model/document.js';
import type { ScenarioResult } from '../../model/document.js';
import type { Cell, Matrix } from '../matrix.js';
import type { Pivot } from '../pivot.js';
import { SIDE_BY_SIDE_NOTE, sideBySideCaption } from './side-by-side.js';
import { visible } from '../../model/visible.js';
import { DIFFERS_NOTE, platformLines, REPRODUCE_HOW, toolVersions, traceCommand } from './platform-lines.js';

/** Text as HTML shows it: markup characters as character references, and
 * control and bidi characters as visible escapes (model/visible.ts), which
 * a browser would otherwise obey or hide, and a terminal showing the file
 * would obey. */
export function escapeHtml(text: string): string {
  return visible(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The symbol a differing cell carries, so colour is never the only sign. */
export const DIFFERS_MARK = '◆';

const STYLE = `
body{font-family:system-ui,sans-serif;margin:1rem;color:#111}
table{border-collapse:separate;border-spacing:0}
td,th{border-right:1px solid #ccc;border-bottom:1px solid #ccc;padding:3px 8px;vertical-align:top;text-align:left}
thead th{position:sticky;top:0;background:#234;color:#fff;z-index:1;font-weight:600}
tbody.scenario th{background:#eef2f7;font-weight:normal;border-top:2px solid #789}
td.cell,td.step,td.mechanism{font-family:ui-monospace,monospace;white-space:nowrap}
td.step{position:sticky;left:0;background:#fff}
thead th:first-child{left:0;z-index:2}
.differs{background:#ffd75e;font-weight:700}
.mark{color:#a40;margin-right:.3em}
code{background:#f4f4f4;padding:0 .2em}
fieldset{display:inline-block;margin:0 1rem .5rem 0;border:1px solid #bbb}
.facts li{font-family:ui-monospace,monospace}
table.side-by-side td.cell{white-space:normal;min-width:8em}
`;

// A row is shown when its transport is ticked, it differs (if only
// differences are asked for) and, side by side, its mechanism is ticked; a
// cell or header of an unticked mechanism is hidden.
const SCRIPT = `
(function(){
  var all=function(s){return Array.prototype.slice.call(document.querySelectorAll(s));};
  function apply(){
    var only=document.getElementById('only-diff').checked;
    var transports=all('input[name=transport]:checked').map(function(i){return i.value;});
    var backends=all('input[name=backend]:checked').map(function(i){return i.value;});
    var shown=0;
    all('tbody.scenario').forEach(function(body){
      var any=false, transportOk=transports.indexOf(body.dataset.transport)>=0;
      Array.prototype.forEach.call(body.querySelectorAll('tr.step'),function(tr){
        var b=tr.dataset.backend;
        var ok=transportOk&&(!only||tr.dataset.differs==='1')&&(!b||backends.indexOf(b)>=0);
        tr.hidden=!ok; if(ok){any=true;shown++;}
      });
      body.hidden=!any;
    });
    all('th[data-backend],td[data-backend]').forEach(function(c){c.hidden=backends.indexOf(c.dataset.backend)<0;});
    document.getElementById('count').textContent=shown+' of '+all('tr.step').length+' rows shown';
  }
  all('input').forEach(function(i){i.addEventListener('change',apply);});
  apply();
})();
`;

function checkboxes(name: string, values: string[]): string {
  return values
    .map((v) => `<label><input type="checkbox" name="${name}" value="${escapeHtml(v)}" checked> ${escapeHtml(v)}</label>`)
    .join(' ');
}

/** The title row of a scenario's group: id, title, what it shows, steps,
 * transport and the command that reproduces it. */
function titleRow(s: ScenarioResult, span: number, documents: ResultDocument[]): string {
  return (
    `<tr class="title"><th colspan="${span}"><code>${escapeHtml(s.id)}</code> <strong>${escapeHtml(s.title)}</strong>` +
    ` · ${escapeHtml(s.shows)}<br>steps <code>${escapeHtml(s.steps)}</code> · transport ${escapeHtml(s.transport)}` +
    ` · reproduce <code>${escapeHtml(traceCommand(s, documents))}</code></th></tr>`
  );
}

function cellHtml(c: Cell, note: string, backend?: string): string {
  const data = backend === undefined ? '' : ` data-backend="${escapeHtml(backend)}"`;
  if (!c.differs) return `<td class="cell"${data}>${escapeHtml(c.text)}</td>`;
  return `<td class="cell differs"${data} title="${escapeHtml(note)}"><span class="mark">${DIFFERS_MARK}</span>${escapeHtml(c.text)}</td>`;
}

/** Rows grouped by scenario, in their order. */
function byScenario<R extends { scenario: ScenarioResult }>(rows: R[]): R[][] {
  const groups = new Map<string, R[]>();
  for (const row of rows) groups.set(row.scenario.id, [...(groups.get(row.scenario.id) ?? []), row]);
  return [...groups.values()];
}

interface Shape {
  head: string[];
  bodies: string[];
  transports: string[];
  backends: string[];
  note: string;
  caption?: string;
  empty: boolean;
  /** The table's class: side by side, cells wrap so that four machines fit
   * a 1400 px window. */
  className?: string;
}

/** One document: a column per mechanism. */
function matrixShape(matrix: Matrix, documents: ResultDocument[]): Shape {
  const span = matrix.columns.length + 1;
  const head = ['<th>step</th>', ...matrix.columns.map((c) => `<th data-backend="${escapeHtml(c.backend)}">${escapeHtml(c.label)}</th>`)];
  const bodies = byScenario(matrix.rows).map((rows) => {
    const s = rows[0].scenario;
    const steps = rows.map((row) => {
      const cells = row.cells.map((c, i) => cellHtml(c, DIFFERS_NOTE, matrix.columns[i].backend));
      return `<tr class="step" data-differs="${row.differs ? 1 : 0}"><td class="step">${escapeHtml(row.step)}</td>${cells.join('')}</tr>`;
    });
    return `<tbody class="scenario" data-transport="${escapeHtml(s.transport)}">${titleRow(s, span, documents)}\n${steps.join('\n')}</tbody>`;
  });
  return {
    head,
    bodies,
    transports: [...new Set(matrix.rows.map((r) => r.scenario.transport))],
    backends: [...new Set(matrix.columns.map((c) => c.backend))],
    note: DIFFERS_NOTE,
    empty: matrix.rows.length === 0,
  };
}

/** Several documents side by side: a row per step and mechanism, a column
 * per machine (pivot.ts), the scenarios where they differ first. */
function pivotShape(pivot: Pivot, documents: ResultDocument[]): Shape {
  const span = pivot.columns.length + 2;
  const head = ['<th>step</th>', '<th>mechanism</th>', ...pivot.columns.map((c) => `<th>${escapeHtml(c.label)}</th>`)];
  const bodies = byScenario(pivot.rows).map((rows) => {
    const s = rows[0].scenario;
    const steps = rows.map((row) => {
      const cells = row.cells.map((c) => cellHtml(c, SIDE_BY_SIDE_NOTE));
      return (
        `<tr class="step" data-backend="${escapeHtml(row.backend)}" data-differs="${row.differs ? 1 : 0}">` +
        `<td class="step">${escapeHtml(row.step)}</td><td class="mechanism">${escapeHtml(row.backend)}</td>${cells.join('')}</tr>`
      );
    });
    return `<tbody class="scenario" data-transport="${escapeHtml(s.transport)}">${titleRow(s, span, documents)}\n${steps.join('\n')}</tbody>`;
  });
  return {
    head,
    bodies,
    transports: [...new Set(pivot.rows.map((r) => r.scenario.transport))],
    backends: [...new Set(pivot.rows.map((r) => r.backend))],
    note: SIDE_BY_SIDE_NOTE,
    caption: sideBySideCaption(pivot),
    empty: pivot.rows.length === 0,
    className: 'side-by-side',
  };
}

/** The page. With `pivot` (a merge), the machines side by side. */
export function renderHtml(documents: ResultDocument[], matrix: Matrix, pivot?: Pivot): string {
  const shape = pivot ? pivotShape(pivot, documents) : matrixShape(matrix, documents);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    '<title>pollmatrix</title>',
    `<style>${STYLE}</style>`,
    '</head><body>',
    '<h1>pollmatrix</h1>',
    `<ul class="facts">${platformLines(documents).map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
    `<p>Made with pollmatrix ${escapeHtml(toolVersions(documents))}. ${escapeHtml(REPRODUCE_HOW).replace(/`([^`]*)`/g, '<code>$1</code>')}</p>`,
    '<form id="filters" onsubmit="return false">',
    '<fieldset><legend>rows</legend><label><input type="checkbox" id="only-diff"> differences only</label></fieldset>',
    `<fieldset><legend>transport</legend>${checkboxes('transport', shape.transports)}</fieldset>`,
    `<fieldset><legend>backend</legend>${checkboxes('backend', shape.backends)}</fieldset>`,
    '<span id="count" aria-live="polite"></span>',
    '</form>',
    ...(shape.caption ? [`<p>${escapeHtml(shape.caption)}.</p>`] : []),
    `<p><span class="differs"><span class="mark">${DIFFERS_MARK}</span>marked</span>: ${escapeHtml(shape.note)}.</p>`,
    shape.empty ? '<p>No rows.</p>' : '',
    `<table${shape.className ? ` class="${shape.className}"` : ''}><thead><tr>${shape.head.join('')}</tr></thead>`,
    ...shape.bodies,
    '</table>',
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
