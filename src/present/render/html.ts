// The matrix as one self-contained HTML page: no network, no external file.
// Each scenario is a group headed by its id, title, what it shows, its steps
// and the command that reproduces it; the column header stays on screen while
// scrolling; a differing cell carries a symbol as well as a colour; and inline
// script filters rows (differences only, by transport) and columns (by
// backend). In a wide merge the step column stays on screen too.
import type { ResultDocument } from '../../model/document.js';
import type { Matrix } from '../matrix.js';
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
td.cell,td.step{font-family:ui-monospace,monospace;white-space:nowrap}
td.step{position:sticky;left:0;background:#fff}
thead th:first-child{left:0;z-index:2}
.differs{background:#ffd75e;font-weight:700}
.mark{color:#a40;margin-right:.3em}
code{background:#f4f4f4;padding:0 .2em}
fieldset{display:inline-block;margin:0 1rem .5rem 0;border:1px solid #bbb}
.facts li{font-family:ui-monospace,monospace}
`;

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
        var ok=transportOk&&(!only||tr.dataset.differs==='1');
        tr.hidden=!ok; if(ok){any=true;shown++;}
      });
      body.hidden=!any;
    });
    all('[data-backend]').forEach(function(c){c.hidden=backends.indexOf(c.dataset.backend)<0;});
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

export function renderHtml(documents: ResultDocument[], matrix: Matrix): string {
  const span = matrix.columns.length + 1;
  const head = [
    '<th>step</th>',
    ...matrix.columns.map((c) => `<th data-backend="${escapeHtml(c.backend)}">${escapeHtml(c.label)}</th>`),
  ];
  const groups = new Map<string, Matrix['rows']>();
  for (const row of matrix.rows) groups.set(row.scenario.id, [...(groups.get(row.scenario.id) ?? []), row]);
  const bodies = [...groups.values()].map((rows) => {
    const s = rows[0].scenario;
    const title =
      `<tr class="title"><th colspan="${span}"><code>${escapeHtml(s.id)}</code> <strong>${escapeHtml(s.title)}</strong>` +
      ` · ${escapeHtml(s.shows)}<br>steps <code>${escapeHtml(s.steps)}</code> · transport ${escapeHtml(s.transport)}` +
      ` · reproduce <code>${escapeHtml(traceCommand(s))}</code></th></tr>`;
    const steps = rows.map((row) => {
      const cells = row.cells.map((c, i) => {
        const backend = escapeHtml(matrix.columns[i].backend);
        if (!c.differs) return `<td class="cell" data-backend="${backend}">${escapeHtml(c.text)}</td>`;
        return `<td class="cell differs" data-backend="${backend}" title="${escapeHtml(DIFFERS_NOTE)}"><span class="mark">${DIFFERS_MARK}</span>${escapeHtml(c.text)}</td>`;
      });
      return `<tr class="step" data-differs="${row.differs ? 1 : 0}"><td class="step">${escapeHtml(row.step)}</td>${cells.join('')}</tr>`;
    });
    return `<tbody class="scenario" data-transport="${escapeHtml(s.transport)}">${title}\n${steps.join('\n')}</tbody>`;
  });
  const transports = [...new Set(matrix.rows.map((r) => r.scenario.transport))];
  const backends = [...new Set(matrix.columns.map((c) => c.backend))];
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
    `<fieldset><legend>transport</legend>${checkboxes('transport', transports)}</fieldset>`,
    `<fieldset><legend>backend</legend>${checkboxes('backend', backends)}</fieldset>`,
    '<span id="count" aria-live="polite"></span>',
    '</form>',
    `<p><span class="differs"><span class="mark">${DIFFERS_MARK}</span>marked</span>: ${escapeHtml(DIFFERS_NOTE)}.</p>`,
    matrix.rows.length === 0 ? '<p>No rows.</p>' : '',
    `<table><thead><tr>${head.join('')}</tr></thead>`,
    ...bodies,
    '</table>',
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
