// The first lines of a CSV file, read in the browser before anything is sent: what the user
// checks before a dry run (the columns, their first values, the field each goes to). A small
// reader (quotes, doubled quotes, line ends within quotes, CRLF, a BOM, ; or , or tab),
// enough for a preview; the server reads the file in full and says which separator and
// header line it found (POST /api/v1/import-columns), which this reader then follows.
export interface Preview {
  header: string[];
  rows: string[][];
}

// The most frequent of , ; and tab outside quotes, as the server picks it (imports/csv.cpp).
export function delimiterOf(line: string): string {
  const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c in counts) counts[c] = (counts[c] ?? 0) + 1;
  }
  const { ",": comma = 0, ";": semicolon = 0, "\t": tab = 0 } = counts;
  if (tab > comma && tab > semicolon) return "\t";
  return semicolon > comma ? ";" : ",";
}

// The records of `text` (at most `max`), each a list of cells.
export function csvRecords(text: string, delimiter: string, max: number): string[][] {
  const body = text.replace(/^\uFEFF/, "");
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < body.length && records.length < max; i += 1) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c === "\r" && body[i + 1] === "\n" ? "" : c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === delimiter) {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && body[i + 1] === "\n") i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if ((field || record.length) && records.length < max) records.push([...record, field]);
  return records;
}

// The header and the first rows that hold something. `header` (the columns as the server
// read them) places the header after any preamble; without it, the first record is.
export function previewCsv(text: string, maxRows = 5, delimiter?: string, header?: string[]): Preview {
  const d = delimiter ?? delimiterOf(text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "");
  const records = csvRecords(text, d, 200 + maxRows);
  const same = (r: string[]) => header !== undefined && r.length === header.length && r.every((v, i) => v.trim() === header[i]?.trim());
  const at = Math.max(0, records.findIndex(same));
  const rows = records.slice(at + 1).filter((r) => r.some((v) => v.trim()));
  return { header: header ?? records[at] ?? [], rows: rows.slice(0, maxRows) };
}

// What a vCard file holds, for its preview: the names of its cards.
export function previewVcard(text: string, maxRows = 5): Preview {
  const names = [...text.matchAll(/^FN[^:]*:(.*)$/gim)].map((m) => [m[1]?.trim() ?? ""]);
  return { header: ["FN"], rows: names.slice(0, maxRows) };
}

// A file's beginning as text: UTF-8 when it is (a BOM or not), else Windows-1252, as the
// server reads it.
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

// The file's first `size` bytes, cut after the last whole line (never inside a character).
export async function headOf(file: Blob, size = 64 * 1024): Promise<Uint8Array> {
  const bytes = new Uint8Array(await file.slice(0, size).arrayBuffer());
  if (file.size <= size) return bytes;
  const end = bytes.lastIndexOf(0x0a);
  return end > 0 ? bytes.subarray(0, end + 1) : bytes;
}
