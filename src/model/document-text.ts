// A document's bytes as text, and its JSON's shape before the schema: what
// a file must be to be read as a document at all. A document can come from
// anyone, so its size and its nesting have limits (a 10,000-deep extra field
// overflowed the stack of every recursive walk after it), and a file that is
// not UTF-8 JSON is named for what it is rather than failing as bad JSON.

/** The largest document read: a merge of a dozen full runs is ~60 MB. */
export const MAX_DOCUMENT_BYTES = 64 * 2 ** 20;

/** The deepest nesting of arrays and objects accepted. A document's own
 * fields nest 8 deep; this leaves room for fields of newer versions. */
export const MAX_DOCUMENT_DEPTH = 64;

export const megabytes = (n: number) => `${(n / 2 ** 20).toFixed(1).replace(/\.0$/, '')} MB`;

/** What is wrong with a document's bytes, or undefined: too big, UTF-16 or
 * UTF-32, compressed, binary, or not UTF-8. */
export function bytesProblem(bytes: Uint8Array): string | undefined {
  if (bytes.length > MAX_DOCUMENT_BYTES) return `holds more than ${megabytes(MAX_DOCUMENT_BYTES)}; pollmatrix reads documents of up to ${megabytes(MAX_DOCUMENT_BYTES)}`;
  const starts = (...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  if (starts(0x00, 0x00, 0xfe, 0xff) || starts(0xff, 0xfe, 0x00, 0x00)) return 'is UTF-32 text; pollmatrix reads UTF-8 (convert it: iconv -f UTF-32 -t UTF-8)';
  if (starts(0xfe, 0xff) || starts(0xff, 0xfe)) return 'is UTF-16 text; pollmatrix reads UTF-8 (convert it: iconv -f UTF-16 -t UTF-8)';
  if (starts(0x1f, 0x8b)) return 'is gzip-compressed; decompress it first (gunzip)';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'is zstd-compressed; decompress it first (unzstd)';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'is a zip archive; extract the JSON document from it first';
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    // UTF-16 without a byte order mark: ASCII JSON with a NUL in every other byte.
    const sample = bytes.subarray(0, 64);
    const even = sample.filter((b, i) => i % 2 === 0 && b === 0).length;
    const odd = sample.filter((b, i) => i % 2 === 1 && b === 0).length;
    if (sample.length >= 4 && (even >= sample.length / 2 - 1 || odd >= sample.length / 2 - 1)) {
      return 'is UTF-16 text; pollmatrix reads UTF-8 (convert it: iconv -f UTF-16 -t UTF-8)';
    }
    return `is binary data, not a JSON document (a NUL byte at offset ${nul})`;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'is not UTF-8 text (a byte sequence that is not UTF-8); pollmatrix reads UTF-8 JSON';
  }
  return undefined;
}

/** The bytes as text, without a UTF-8 byte order mark (editors on Windows
 * write one); call bytesProblem() first. */
export function bytesText(bytes: Uint8Array): string {
  return stripBom(new TextDecoder('utf-8').decode(bytes));
}

/** Text without a leading byte order mark. */
export const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** Where a parsed JSON value nests deeper than MAX_DOCUMENT_DEPTH (the path
 * of its first levels), or undefined. Iterative: a recursive walk is what
 * overflowed. */
export function tooDeep(json: unknown): string | undefined {
  const key = (k: string) => (/^[A-Za-z_$][\w$-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);
  const stack: Array<{ value: object; depth: number; path: string }> = [];
  if (typeof json === 'object' && json !== null) stack.push({ value: json, depth: 0, path: '' });
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (depth >= MAX_DOCUMENT_DEPTH) return path.replace(/^\./, '');
    const named = depth < 6;
    const push = (child: unknown, step: () => string) => {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1, path: named ? path + step() : depth === 6 ? `${path}...` : path });
    };
    if (Array.isArray(value)) value.forEach((child, i) => push(child, () => `[${i}]`));
    else for (const k in value) if (Object.hasOwn(value, k)) push((value as Record<string, unknown>)[k], () => key(k));
  }
  return undefined;
}
