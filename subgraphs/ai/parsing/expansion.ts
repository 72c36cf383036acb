import { brotliDecompressSync, constants, inflateRawSync } from 'node:zlib';
import { FileError } from './file-error.ts';

/**
 * How far an uploaded DOCX or PDF expands when unpacked, checked before mammoth or pdf.js unpack
 * it: neither caps what it inflates, so a 2 MiB file can hold gigabytes (a decompression bomb),
 * and worker resourceLimits do not cap ArrayBuffers. The check unpacks what they would unpack,
 * as they would, stopping at the budget; what it cannot unpack counts at its worst case.
 */

/**
 * The most a file may unpack to, all its parts together: 64 MiB. A resume's parts (a DOCX's XML,
 * a PDF's page contents and font programs) come to a few MiB at most, images counted as stored;
 * 64 MiB is 32 times the 2 MiB upload limit, yet keeps what one import can make the service hold
 * to tens of MiB rather than whatever the file asks for.
 */
export const MAX_EXPANDED_BYTES = 64 * 1024 * 1024;

/** Deflate's largest ratio: 258 bytes from two 1-bit codes. */
const DEFLATE_WORST = 1032;
/** LZW's (as pdf.js reads it): a 12-bit code can stand for 4,096 bytes. */
const LZW_WORST = 2730;
/** RunLength's: 2 bytes make 128. */
const RUN_LENGTH_WORST = 64;

class Budget {
  left = MAX_EXPANDED_BYTES;
  constructor(private readonly kind: 'DOCX' | 'PDF') {}

  /** Counts decoded bytes (or a bound on them), refusing the file once they pass the budget. */
  spend<T extends Buffer | number>(output: T, why = ''): T {
    this.left -= typeof output === 'number' ? output : output.length;
    if (this.left < 0) throw new FileError(`The ${this.kind} expands to more than ${MAX_EXPANDED_BYTES / 1024 / 1024} MiB when unpacked${why}`);
    return output;
  }
}

/** The output of a zlib decompression capped at what is left of the budget (refusing the file past it), or null if the data is damaged. */
function decompress(budget: Budget, run: (maxOutputLength: number) => Buffer): Buffer | null {
  try {
    return run(Math.max(1, budget.left));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') budget.spend(Infinity);
    return null;
  }
}

/** Raw deflate data inflated within the budget, or null. A missing end is tolerated, as pdf.js and JSZip tolerate it. */
const inflate = (data: Uint8Array, budget: Budget) =>
  decompress(budget, (maxOutputLength) => inflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength }));

const DAMAGED = ' (data that cannot be unpacked counts at its worst case)';

export function checkExpansion(kind: 'DOCX' | 'PDF', bytes: Uint8Array): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (kind === 'DOCX') checkDocx(buffer);
  else checkPdf(buffer);
}

/**
 * Every ZIP entry, found as JSZip (mammoth's reader) finds it: the last end-of-central-directory
 * record, its central directory (shifted by any bytes prepended), each entry's local header and
 * the compressed size the central directory gives. Declared unpacked sizes are not trusted.
 */
function checkDocx(bytes: Buffer): void {
  const budget = new Budget('DOCX');
  const unreadable = (why: string) => new FileError(`The DOCX could not be read (${why})`);
  try {
    const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (end < 0 || end + 22 > bytes.length) throw unreadable('no ZIP end of central directory');
    const [size, offset] = [bytes.readUInt32LE(end + 12), bytes.readUInt32LE(end + 16)];
    const zip64 = () => unreadable('ZIP64, which a 2 MiB file does not need');
    if ([4, 6, 8, 10].some((field) => bytes.readUInt16LE(end + field) === 0xffff) || size === 0xffffffff || offset === 0xffffffff) throw zip64();
    const shift = end - (offset + size);
    if (shift < 0) throw unreadable(`${-shift} bytes are missing`);
    for (let at = shift + offset; at + 46 <= bytes.length && bytes.readUInt32LE(at) === 0x02014b50; ) {
      const method = bytes.readUInt16LE(at + 10);
      const compressed = bytes.readUInt32LE(at + 20);
      const local = bytes.readUInt32LE(at + 42);
      if (bytes.readUInt16LE(at + 8) & 1) throw unreadable('it is encrypted');
      if ([compressed, bytes.readUInt32LE(at + 24), local].includes(0xffffffff)) throw zip64();
      if (bytes.readUInt32LE(shift + local) !== 0x04034b50) throw unreadable('an entry has no local header');
      const start = shift + local + 30 + bytes.readUInt16LE(shift + local + 26) + bytes.readUInt16LE(shift + local + 28);
      if (start + compressed > bytes.length) throw unreadable('an entry runs past the end of the file');
      if (method === 0) budget.spend(compressed);
      else if (method === 8) budget.spend(inflate(bytes.subarray(start, start + compressed), budget) ?? compressed * DEFLATE_WORST, DAMAGED);
      else throw unreadable(`compression method ${method} is not supported`);
      at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    }
  } catch (error) {
    if (error instanceof FileError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ERR_OUT_OF_RANGE') throw unreadable('its structure points past the end of the file');
    throw error;
  }
}

// ---- PDF ----

/** A PDF token's characters, other than whitespace and delimiters (as a regular-expression class). */
const REGULAR = String.raw`[^\0\t\n\f\r ()<>[\]{}/%]`;
const WHITESPACE = '\0\t\n\f\r ';
const isRegular = (char: string | undefined) => char !== undefined && !WHITESPACE.includes(char) && !'()<>[]{}/%'.includes(char);

/** A PDF name with its #xx escapes decoded, as pdf.js decodes them (/Fl#61teDecode is /FlateDecode). */
const decodeName = (name: string) => name.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** A PDF object as the dictionary reader sees it: a name is '/Name', a reference { ref }, anything else its token. */
type Value = string | number | { ref: string } | Value[] | Map<string, Value>;

/**
 * Tokens of PDF text between two offsets, the way pdf.js's lexer splits them (strings and
 * comments skipped whole). Every character read is charged to `meter`, shared by all the lexers
 * of one file, so that no file can make the check quadratic.
 */
class Lexer {
  constructor(
    private readonly text: string,
    public at: number,
    private readonly end: number,
    private readonly meter: { left: number },
  ) {}

  next(): string | null {
    const from = this.at;
    const token = this.token();
    this.meter.left -= this.at - from;
    if (this.meter.left < 0) throw new FileError('The PDF could not be read (too many stream dictionaries to check)');
    return token;
  }

  private token(): string | null {
    const { text, end } = this;
    for (;;) {
      if (this.at >= end) return null;
      const char = text[this.at]!;
      if (WHITESPACE.includes(char)) this.at++;
      else if (char === '%') while (this.at < end && text[this.at] !== '\n' && text[this.at] !== '\r') this.at++;
      else break;
    }
    const start = this.at;
    const char = text[this.at++]!;
    if (char === '(') {
      for (let depth = 1; depth > 0 && this.at < end; ) {
        const next = text[this.at++];
        if (next === '\\') this.at++;
        else if (next === '(') depth++;
        else if (next === ')') depth--;
      }
      return '()';
    }
    if ((char === '<' || char === '>') && text[this.at] === char) {
      this.at++;
      return char + char;
    }
    if (char === '<') {
      const close = text.indexOf('>', this.at);
      this.at = close < 0 || close >= end ? end : close + 1;
      return '<>';
    }
    if (!isRegular(char) && char !== '/') return char;
    while (this.at < end && isRegular(text[this.at])) this.at++;
    const token = text.slice(start, this.at);
    return char === '/' ? decodeName(token) : token;
  }

  /** The next object, read as leniently as pdf.js reads it; null at the end. */
  value(token = this.next()): Value | null {
    if (token === '<<') {
      const dictionary = new Map<string, Value>();
      for (let key = this.next(); key !== '>>'; key = this.next()) {
        if (key === null) return null;
        if (!key.startsWith('/')) continue; // pdf.js skips a key that is not a name
        const value = this.value();
        if (value === null) return null;
        dictionary.set(key.slice(1), value);
      }
      return dictionary;
    }
    if (token === '[') {
      const array: Value[] = [];
      for (let item = this.next(); item !== ']'; item = this.next()) {
        const value = this.value(item);
        if (value === null) return null;
        array.push(value);
      }
      return array;
    }
    if (token === null || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) return token;
    const mark = this.at;
    const [generation, r] = [this.next(), this.next()];
    if (/^\d+$/.test(token) && generation !== null && /^\d+$/.test(generation) && r === 'R') return { ref: `${Number(token)} ${Number(generation)}` };
    this.at = mark;
    return Number(token);
  }
}

const FILTER_NAMES: Record<string, string> = {
  Fl: 'FlateDecode', LZW: 'LZWDecode', RL: 'RunLengthDecode', AHx: 'ASCIIHexDecode', A85: 'ASCII85Decode',
  DCT: 'DCTDecode', JPX: 'JPXDecode', CCF: 'CCITTFaxDecode',
};
/** Image codecs: pdf.js does not decode images to extract text, so they count as stored. */
const IMAGE_FILTERS = new Set(['DCTDecode', 'JPXDecode', 'JBIG2Decode', 'CCITTFaxDecode']);

/**
 * Every `stream … endstream` segment of the file, wherever it lies (no offsets are trusted, so
 * a stream hidden inside another is found too), its data unpacked through the filters of the
 * dictionary before it (/F or /Filter, a name or an array, references followed), and all the
 * results counted against the budget. An encrypted file is refused: its streams cannot be
 * checked without decrypting them.
 */
function checkPdf(bytes: Buffer): void {
  const budget = new Budget('PDF');
  const text = bytes.toString('latin1');
  for (const [, name] of text.matchAll(new RegExp(`/(${REGULAR}*)`, 'g'))) {
    if (decodeName(name!) === 'Encrypt') {
      throw new FileError('The PDF is encrypted, so what it unpacks to cannot be checked; save it without a password or restrictions');
    }
  }
  const objects = new Map<string, number>(); // "number generation" → offset after its `obj`
  const headers: number[] = []; // offsets of `obj` keywords, in order
  for (const match of text.matchAll(new RegExp(`(?<!${REGULAR})obj(?!${REGULAR})`, 'g'))) headers.push(match.index);
  for (const match of text.matchAll(new RegExp(`(?<![0-9])(\\d+)\\s+(\\d+)\\s+obj(?!${REGULAR})`, 'g'))) {
    objects.set(`${Number(match[1])} ${Number(match[2])}`, match.index + match[0].length);
  }
  const ends = [...text.matchAll(/end(?:stream|steam[\0\t\n\f\r ]|strea[\0\t\n\f\r ])/g)].map((match) => match.index);

  const meter = { left: 8 * text.length + (4 << 20) }; // far more than any real file needs
  const lexer = (from: number, to: number) => new Lexer(text, from, Math.min(to, text.length), meter);
  const resolve = (value: Value | null | undefined): Value | null => {
    if (value === null || value === undefined || typeof value !== 'object' || !('ref' in value)) return value ?? null;
    const at = objects.get(value.ref);
    return at === undefined ? null : lexer(at, at + 65_536).value();
  };
  /** The dictionary that pdf.js would read before the `stream` keyword at `keyword`: parsed from one of the nearest `obj`s, ending right there. */
  const dictionaryBefore = (keyword: number) => {
    let index = lastBefore(headers, keyword);
    for (let tries = 0; tries < 4 && index >= 0 && keyword - headers[index]! <= 65_536; tries++, index--) {
      const reader = lexer(headers[index]! + 3, keyword + 6);
      const value = reader.value();
      if (value instanceof Map && reader.next() === 'stream' && reader.at === keyword + 6) return value;
    }
    return null;
  };

  const eols = /[\r\n]/g;
  let eol = -1;
  for (const { index: keyword } of text.matchAll(new RegExp(`(?<!${REGULAR})stream(?!${REGULAR})`, 'g'))) {
    // The data starts after the end of the line the keyword is on, as pdf.js reads it.
    if (eol < keyword + 6) {
      eols.lastIndex = keyword + 6;
      eol = eols.exec(text)?.index ?? text.length;
    }
    if (eol === text.length) break;
    const start = eol + (text.startsWith('\r\n', eol) ? 2 : 1);
    const dictionary = dictionaryBefore(keyword);
    const length = resolve(dictionary?.get('Length'));
    let end: number;
    if (typeof length === 'number' && Number.isInteger(length) && length >= 0 && lexer(start + length, start + length + 65_536).next() === 'endstream') end = start + length;
    else end = ends[lastBefore(ends, start) + 1] ?? text.length;
    const data = bytes.subarray(start, Math.min(end, bytes.length));

    let filters: string[] = [];
    if (dictionary) {
      const filter = resolve(dictionary.get('F') ?? dictionary.get('Filter'));
      const names = Array.isArray(filter) ? filter.map(resolve) : [filter];
      if (names.every((name): name is string => typeof name === 'string' && name.startsWith('/'))) filters = names.map((name) => FILTER_NAMES[name.slice(1)] ?? name.slice(1));
      unpack(data, filters, budget);
    }
    // Whatever its dictionary says (or if none was found), data that pdf.js could inflate is inflated.
    if (filters[0] !== 'FlateDecode' && zlibHeader(data)) budget.spend(inflate(data.subarray(2), budget) ?? 0);
  }
}

/** The index of the last of `sorted` below `offset`, or -1. */
function lastBefore(sorted: number[], offset: number): number {
  let [low, high] = [0, sorted.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < offset) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** The zlib header pdf.js requires of FlateDecode data (without it, pdf.js reads the stream as empty). */
function zlibHeader(data: Uint8Array): boolean {
  return data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) + data[1]!) % 31 === 0 && !(data[1]! & 0x20);
}

/**
 * Counts a stream's unpacked size, filter by filter: each stage's output (pdf.js holds them all),
 * or the raw data when there is no filter. Data whose bytes are unknown (past undecodable LZW,
 * or damaged) only has a bound, carried through the rest of the chain.
 */
function unpack(raw: Buffer, filters: string[], budget: Budget): void {
  if (filters.length === 0 || IMAGE_FILTERS.has(filters[0]!)) budget.spend(raw.length);
  let data: Buffer | number = raw;
  for (const filter of filters) {
    if (IMAGE_FILTERS.has(filter)) return;
    const size: number = typeof data === 'number' ? data : data.length;
    const known: Buffer | null = typeof data === 'number' ? null : data;
    switch (filter) {
      case 'FlateDecode':
        if (known && !zlibHeader(known)) return;
        data = budget.spend((known && inflate(known.subarray(2), budget)) ?? size * DEFLATE_WORST, DAMAGED);
        break;
      case 'LZWDecode':
        data = budget.spend(size * LZW_WORST, ' (LZW data counts at its worst case)');
        break;
      case 'RunLengthDecode':
        data = budget.spend(known ? runLength(known, budget) : size * RUN_LENGTH_WORST, DAMAGED);
        break;
      case 'ASCIIHexDecode':
        data = budget.spend(known ? asciiHex(known) : Math.ceil(size / 2));
        break;
      case 'ASCII85Decode':
        data = budget.spend(known ? ascii85(known) : size * 4);
        break;
      case 'BrotliDecode':
        data = budget.spend((known && decompress(budget, (maxOutputLength) => brotliDecompressSync(known, { maxOutputLength }))) ?? Infinity, DAMAGED);
        break;
      // Any other filter pdf.js does not know, and passes the data through.
    }
  }
}

/** RunLengthDecode as pdf.js reads it, giving up (with the bound) once past the budget. */
function runLength(data: Buffer, budget: Budget): Buffer | number {
  const parts: Buffer[] = [];
  let size = 0;
  for (let at = 0; at + 1 < data.length && data[at] !== 128; ) {
    const count = data[at]!;
    const part = count < 128 ? data.subarray(at + 1, at + count + 2) : Buffer.alloc(257 - count, data[at + 1]);
    at += count < 128 ? count + 2 : 2;
    parts.push(part);
    size += part.length;
    if (size > budget.left) return size;
  }
  return Buffer.concat(parts);
}

function asciiHex(data: Buffer): Buffer {
  const digits = data.toString('latin1').split('>')[0]!.replace(/[^0-9a-fA-F]/g, '');
  return Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex');
}

function ascii85(data: Buffer): Buffer {
  const out = Buffer.alloc(data.length * 4);
  let [length, group, count] = [0, 0, 0];
  const emit = (bytes: number) => {
    for (let index = count; index < 5; index++) group = group * 85 + 84;
    for (let index = 0; index < bytes; index++) out[length++] = Math.floor(group / 256 ** (3 - index)) % 256;
    [group, count] = [0, 0];
  };
  for (const byte of data) {
    if (byte === 0x7e) break; // ~> ends the data
    if (byte === 0x7a && count === 0) length += 4; // z: four zero bytes
    else if (byte >= 33 && byte <= 117) {
      group = group * 85 + (byte - 33);
      if (++count === 5) emit(4);
    }
  }
  if (count > 1) emit(count - 1);
  return out.subarray(0, length);
}
