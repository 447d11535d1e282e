// Text from a document, as a reader can see it. Documents come from anyone
// (attached to bug reports, made on other people's CI runners), and their
// strings end up in a terminal, a spreadsheet, a Markdown page or a browser.
// A control character there is not text but an instruction: ESC and the C1
// controls (U+009B is CSI on its own) retitle a terminal, hide a link, write
// the clipboard or clear the screen; bidi controls reorder what is shown
// (CVE-2021-42574, "Trojan Source"). So every string that comes from a
// document is shown with such characters as visible escapes, `\x1b` or
// `\u202e`, in every output; JSON keeps them as JSON's own `\u` escapes.
//
// A backslash is left as it is, so ordinary text never changes and applying
// visible() twice changes nothing more: `\x1b` in a document and an escaped
// ESC look alike, which misleads no terminal.

/** C0 controls (tab and newline too: a table cell or an error line must not
 * be split by a document), DEL, the C1 controls, the bidi embeddings,
 * overrides, isolates and marks, and the invisible characters that can hide
 * text or a line break: zero-width spaces and joiners, the line and
 * paragraph separators, word joiners and invisible operators, the byte order
 * mark and the interlinear annotation characters. */
// eslint-disable-next-line no-control-regex
export const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** `text` with every control, bidi or invisible character as a visible
 * escape: ESC is `\x1b`, a newline `\n`, U+202E `\u202e`. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, escape);
}

/** JSON text with the characters above that JSON.stringify leaves raw (DEL,
 * C1, bidi, invisible) as `\u` escapes: the same JSON value, safe to print.
 * Outside strings JSON text is ASCII, so the replacement only meets them
 * inside strings. */
export function safeJson(json: string): string {
  // eslint-disable-next-line no-control-regex
  return json.replace(/[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A document's text quoted in a message: 'text', visible. */
export const quoted = (text: string) => `'${visible(text)}'`;
