// The options `run` and `merge` share: format, output file, view and colour,
// checked together so that options which contradict each other are an error.
import type { ResultDocument } from '../model/document.js';
import { UsageError } from '../model/errors.js';
import type { View } from '../present/matrix.js';
import { checkOutputFile, writeFileAtomic } from './output-file.js';
import { FORMATS, renderDocuments, type Format } from '../present/render/index.js';
import type { Io } from './commands/command.js';
import { didYouMean } from '../model/did-you-mean.js';
import { conflict, type OptionSpec, type OptionValues } from './options.js';

export const RENDER_OPTIONS: OptionSpec[] = [
  { name: 'format', value: 'FORMAT', help: `Output format: ${FORMATS.join(', ')}. Default: table.` },
  {
    name: 'output',
    short: 'o',
    value: 'FILE',
    help: 'Write to FILE instead of standard output. FILE is checked before anything runs: a regular file that may be replaced, or a new file in an existing folder where one can be made. A symbolic link, a FIFO, a device or a read-only file is refused, never replaced (for a pipe, a terminal or /dev/stdout, leave out -o). The text goes to a temporary file in the same folder, renamed over FILE when complete, so a failure leaves the old FILE as it was. Default: standard output.',
  },
  {
    name: 'only-diff',
    help: 'Only the rows where the mechanisms disagree (compared in the normalised view, whatever view is shown). Default: every row.',
  },
  {
    name: 'view',
    value: 'VIEW',
    help: "raw: each mechanism's own flags (OUT HUP, R W, epoll_ctl EBADF). normalised: the same seven properties for every mechanism (readable writable read-closed hangup error priority invalid), so rows compare across mechanisms. Default: raw.",
  },
  { name: 'raw', help: 'Raw view with the returned mask in hex before the names (0x14 OUT HUP). Cannot go with --view normalised. Default: names only.' },
  {
    name: 'color',
    help: 'Colour the table (differing cells in yellow) even when standard output is not a terminal. Default: colour on a terminal, unless NO_COLOR is set or TERM is dumb; FORCE_COLOR forces it.',
  },
  { name: 'no-color', help: 'Never colour; differing cells are marked with * instead.' },
];

export interface RenderRequest {
  format: Format;
  output?: string;
  onlyDiff: boolean;
  view: View;
  raw: boolean;
  colour?: boolean;
}

export function renderRequest(where: string, values: OptionValues, kind: 'run' | 'merge'): RenderRequest {
  const format = (values.format as string | undefined) ?? 'table';
  if (!(FORMATS as string[]).includes(format)) {
    throw new UsageError(`${where}: --format must be one of ${FORMATS.join(' ')}, got '${format}'${didYouMean(format, FORMATS)}`);
  }
  const view = (values.view as string | undefined) ?? 'raw';
  if (view !== 'raw' && view !== 'normalised') {
    throw new UsageError(`${where}: --view must be raw or normalised, got '${view}'${didYouMean(view, ['raw', 'normalised'])}`);
  }
  if (values.raw && view === 'normalised') throw new UsageError(`${where}: --raw and --view normalised cannot be used together (--raw shows raw masks)`);
  conflict(where, values, 'color', 'no-color', 'pick one');
  if (format !== 'table') {
    for (const name of ['color', 'no-color']) {
      if (values[name]) throw new UsageError(`${where}: --${name} applies to --format table only, not ${format}`);
    }
  }
  if (format === 'json' && kind === 'run') {
    for (const name of ['view', 'raw']) {
      if (values[name] !== undefined) {
        throw new UsageError(`${where}: --${name} shapes table cells; --format json writes the whole result document with every observation`);
      }
    }
  }
  // A bad -o is found before a run, not after it.
  if (values.output !== undefined) checkOutputFile(values.output as string);
  return {
    format: format as Format,
    output: values.output as string | undefined,
    onlyDiff: values['only-diff'] === true,
    view,
    raw: values.raw === true,
    colour: values.color ? true : values['no-color'] ? false : undefined,
  };
}

/** Renders documents as asked, to standard output or (safely) to -o FILE. */
export function emit(documents: ResultDocument[], request: RenderRequest, io: Io, kind: 'run' | 'merge'): void {
  const toFile = request.output !== undefined;
  const text = renderDocuments(documents, kind, {
    format: request.format,
    view: request.view,
    raw: request.raw,
    onlyDiff: request.onlyDiff,
    colour: request.colour ?? (!toFile && io.colour === true),
    columns: toFile ? undefined : io.columns,
  });
  if (toFile) writeFileAtomic(request.output!, text);
  else io.out(text);
}
