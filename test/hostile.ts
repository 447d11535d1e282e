// Hostile documents, for the tests of issue 18 ("Documents from anyone,
// safely"): payloads that attack a terminal, a spreadsheet, a Markdown page,
// a browser or a shell, and every string field of a document they can be put
// in. Two small documents carry every kind of field: a Linux one (masks, an
// errno, a failed registration, SO_ERROR, an unstable cell, a note, an
// unmeasured cell, an interest, an interruption) and a macOS one (kevents).
import { recorded } from './recorded.js';

/** name -> text. Each is an attack, written as it would arrive; attacks on
 * the same output that cannot hide one another share a payload. */
export const PAYLOADS: Record<string, string> = {
  'OSC 0 title, OSC 8 hidden link, OSC 52 clipboard, CSI clear screen':
    '\u001b]0;pwned\u0007\u001b]8;;https://evil.example/\u001b\\click me\u001b]8;;\u001b\\\u001b]52;c;cm0gLXJmIH4K\u0007\u001b[2J\u001b[H',
  'C1 CSI and OSC (U+009B, U+009D)': '\u009b31mred\u009b0m\u009d0;title\u009c',
  'DEL, NUL, newline, CR, tab': 'a\u007fb\u0000c line one\nline two\r\tend',
  'bidi override, isolates, marks; line separator, zero-width, BOM': 'abc\u202edcba\u202c \u2066x\u2069\u200ey\u200fz\u061c a\u2028b\u200bc\ufeffd',
  'CSV formula =': '=HYPERLINK("https://evil.example","click")',
  'CSV formula +': "+1+cmd|' /C calc'!A0",
  'CSV formula -': '-2+3',
  'CSV formula @': '@SUM(1,2)',
  'CSV tab first': '\t=1+1',
  'CSV CR first': '\r=1+1',
  'CSV formula after a semicolon': 'harmless;=HYPERLINK("https://evil.example","x");@SUM(1)',
  'Markdown backslash pipe': 'a\\|<img src=x onerror=alert(1)>',
  'Markdown pipe': 'x|y|z',
  'Markdown link, image, autolinks, emphasis, code':
    '[click](https://evil.example) ![i](https://evil.example/i.png) https://evil.example www.evil.example me@evil.example **bold** _em_ `code` ~~gone~~',
  'Markdown trailing backslash': 'end\\',
  'Markdown heading and list': '# heading\n- item\n1. one',
  'raw HTML, attribute break, entities': '<script>alert(1)</script><b onmouseover=alert(2)>x</b>"><svg onload=alert(3)>\' &lt;b&gt; &amp; &#60;',
  'shell quote and substitution': "'; touch /tmp/pollmatrix-pwned; ' $(touch /tmp/pollmatrix-pwned)`id`",
  'unpaired surrogate': 'a\ud800b',
};

/** The characters no output may carry raw: control (but newline, and CR
 * before a newline in CSV), DEL, C1, bidi and invisible characters. */
// eslint-disable-next-line no-control-regex
export const FORBIDDEN = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|\r(?!\n)/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

const KEEP = ['seed-connect-refused', 'closed-client', 'nbc-refused', 'fifo-reader-no-writer'];
const BACKENDS = ['poll', 'epoll', 'select'];

let base: Doc | undefined;

/** A small Linux document with every kind of field a renderer reads. */
export function linuxDocument(): Doc {
  base ??= smallLinuxDocument();
  return structuredClone(base);
}

function smallLinuxDocument(): Doc {
  const doc = recorded();
  doc.backends = BACKENDS;
  doc.scenarios = KEEP.map((id) => doc.scenarios.find((s: { id: string }) => s.id === id));
  for (const s of doc.scenarios) s.runs = Object.fromEntries(BACKENDS.map((b) => [b, s.runs[b]]));
  const refused = doc.scenarios[0];
  // A cell that was not the same in every run, and a note on a pol.
  refused.runs.epoll.unstable = [{ cmd: 2, stp: 1, seen: [{ text: 'OUT HUP', count: 2 }, { text: 'OUT', count: 1 }] }];
  polOf(refused.runs.poll).note = 'a note on this pol';
  // select could not be asked here.
  const selectPol = polOf(doc.scenarios[3].runs.select);
  selectPol.observation = { kind: 'mask', ret: 0, raw: 0, notMeasured: 'a reason it was not measured' };
  delete selectPol.rawHex;
  delete selectPol.names;
  delete selectPol.properties;
  refused.runs.poll.stopped = null;
  doc.interrupted = `after ${doc.scenarios.length} of 300 scenarios`;
  return doc;
}

/** A small macOS document whose kqueue pol returned a kevent. */
export function darwinDocument(): Doc {
  const doc = linuxDocument();
  delete doc.interrupted;
  doc.platform = { ...doc.platform, os: 'darwin', kernel: '24.1.0', arch: 'arm64', libc: null };
  doc.backends = ['poll', 'kqueue'];
  doc.mechanisms = doc.mechanisms.filter((m: { name: string }) => m.name === 'poll' || m.name === 'kqueue');
  doc.mechanisms.find((m: { name: string }) => m.name === 'kqueue').observes = 'kevents';
  doc.scenarios = [doc.scenarios[0]];
  const s = doc.scenarios[0];
  const kqueue = structuredClone(s.runs.poll);
  delete kqueue.steps.find((t: { note?: string }) => t.note)?.note;
  const pol = polOf(kqueue);
  pol.backend = 'kqueue';
  pol.ret = 1;
  pol.observation = {
    kind: 'kevents',
    ret: 1,
    raw: 0,
    kevents: [{ ident: 4, filter: -1, flags: 0x8001, fflags: 61, data: 0, fflagsErrno: { name: 'ECONNREFUSED', number: 61, message: 'Connection refused' } }],
  };
  delete pol.rawHex;
  delete pol.names;
  pol.kevents = [{ filter: 'READ', flags: ['ADD', 'EOF'], fflags: 61, data: 0, errorName: 'ECONNREFUSED' }];
  pol.keventText = 'READ[EOF data=0 fflags=ECONNREFUSED]';
  pol.properties = ['readable', 'read-closed', 'error'];
  s.runs = { poll: s.runs.poll, kqueue };
  delete s.runs.poll.unstable;
  return doc;
}

/** The first explicit pol step of a run. */
function polOf(run: { steps: Array<{ action: string; implicit?: boolean }> }): Doc {
  return run.steps.find((t) => t.action === 'pol' && !t.implicit);
}

/** The pol that returned an errno (closed-client through epoll). */
const failedPol = (d: Doc) => polOf(d.scenarios[1].runs.epoll);
/** The pol after which SO_ERROR was read (nbc-refused): its soe step. */
const soeStep = (d: Doc) => d.scenarios[2].runs.poll.steps.find((t: { action: string }) => t.action === 'soe');

/** Renames a backend everywhere a document names it. */
function renameBackend(d: Doc, from: string, to: string): void {
  d.backends = d.backends.map((b: string) => (b === from ? to : b));
  for (const m of d.mechanisms) if (m.name === from) m.name = to;
  for (const s of d.scenarios) {
    s.runs = Object.fromEntries(Object.entries(s.runs).map(([k, v]) => [k === from ? to : k, v]));
    for (const run of Object.values(s.runs) as Array<{ steps: Array<{ backend?: string }> }>) {
      for (const t of run.steps) if (t.backend === from) t.backend = to;
    }
  }
}

/** Every string field of a document: which document, and how to set it. */
export const FIELDS: Array<{ field: string; doc: 'linux' | 'darwin'; set: (d: Doc, text: string) => void }> = [
  { field: 'platform.os', doc: 'linux', set: (d, t) => (d.platform.os = t) },
  { field: 'platform.kernel', doc: 'linux', set: (d, t) => (d.platform.kernel = t) },
  { field: 'platform.arch', doc: 'linux', set: (d, t) => (d.platform.arch = t) },
  { field: 'platform.libc', doc: 'linux', set: (d, t) => (d.platform.libc = t) },
  { field: 'platform.node', doc: 'linux', set: (d, t) => (d.platform.node = t) },
  { field: 'platform.pollmatrix', doc: 'linux', set: (d, t) => (d.platform.pollmatrix = t) },
  { field: 'platform.descriptorTable', doc: 'linux', set: (d, t) => (d.platform.descriptorTable = t) },
  { field: 'backend name', doc: 'linux', set: (d, t) => renameBackend(d, 'epoll', t) },
  { field: 'mechanisms[].asks', doc: 'linux', set: (d, t) => (d.mechanisms[0].asks = t) },
  { field: 'mechanisms[].reason', doc: 'linux', set: (d, t) => (d.mechanisms[0].reason = t) },
  { field: 'mechanisms[].expresses', doc: 'linux', set: (d, t) => (d.mechanisms[0].expresses = [t]) },
  { field: 'scenario id', doc: 'linux', set: (d, t) => (d.scenarios[0].id = t) },
  { field: 'scenario title', doc: 'linux', set: (d, t) => (d.scenarios[0].title = t) },
  { field: 'scenario shows', doc: 'linux', set: (d, t) => (d.scenarios[0].shows = t) },
  { field: 'scenario transport', doc: 'linux', set: (d, t) => (d.scenarios[0].transport = t) },
  { field: 'scenario steps', doc: 'linux', set: (d, t) => (d.scenarios[0].steps = `-l clo -c pol ${t}`) },
  { field: 'scenario interest', doc: 'linux', set: (d, t) => (d.scenarios[3].interest = [t]) },
  { field: 'run stopped', doc: 'linux', set: (d, t) => (d.scenarios[0].runs.poll.stopped = t) },
  { field: 'run setupError', doc: 'linux', set: (d, t) => (d.scenarios[0].runs.poll.setupError = t) },
  { field: 'unstable seen text', doc: 'linux', set: (d, t) => (d.scenarios[0].runs.epoll.unstable[0].seen[1].text = t) },
  { field: 'step action', doc: 'linux', set: (d, t) => (d.scenarios[0].runs.poll.steps[0].action = t) },
  { field: 'step note', doc: 'linux', set: (d, t) => (polOf(d.scenarios[0].runs.poll).note = t) },
  { field: 'step backend', doc: 'linux', set: (d, t) => (polOf(d.scenarios[0].runs.poll).backend = t) },
  { field: 'flag name', doc: 'linux', set: (d, t) => (polOf(d.scenarios[0].runs.poll).names[0] = t) },
  { field: 'property name', doc: 'linux', set: (d, t) => (polOf(d.scenarios[0].runs.poll).properties[0] = t) },
  { field: 'errno name', doc: 'linux', set: (d, t) => (failedPol(d).errno.name = t) },
  { field: 'errno message', doc: 'linux', set: (d, t) => (failedPol(d).errno.message = t) },
  { field: 'failed call', doc: 'linux', set: (d, t) => (failedPol(d).observation.failedCall = t) },
  { field: 'SO_ERROR name', doc: 'linux', set: (d, t) => (soeStep(d).soError.name = t) },
  { field: 'SO_ERROR message', doc: 'linux', set: (d, t) => (soeStep(d).soError.message = t) },
  { field: 'observation kind', doc: 'linux', set: (d, t) => (polOf(d.scenarios[0].runs.poll).observation.kind = t) },
  { field: 'not measured reason', doc: 'linux', set: (d, t) => (polOf(d.scenarios[3].runs.select).observation.notMeasured = t) },
  { field: 'interrupted', doc: 'linux', set: (d, t) => (d.interrupted = t) },
  { field: 'kevent filter', doc: 'darwin', set: (d, t) => (polOf(d.scenarios[0].runs.kqueue).kevents[0].filter = t) },
  { field: 'kevent flag', doc: 'darwin', set: (d, t) => (polOf(d.scenarios[0].runs.kqueue).kevents[0].flags[1] = t) },
  { field: 'kevent errno name', doc: 'darwin', set: (d, t) => (polOf(d.scenarios[0].runs.kqueue).kevents[0].errorName = t) },
  { field: 'kevent trace text', doc: 'darwin', set: (d, t) => (polOf(d.scenarios[0].runs.kqueue).keventText = t) },
];

/** The document of `field` with `text` in it. */
export function hostile(field: (typeof FIELDS)[number], text: string): Doc {
  const doc = field.doc === 'linux' ? linuxDocument() : darwinDocument();
  field.set(doc, text);
  return doc;
}

/** RFC 4180 records, as a spreadsheet splits them. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}
