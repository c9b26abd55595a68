// The first lines of a CSV file as a table, read in the browser before anything is sent:
// what the user checks before a dry run (the columns and how the import will read them).
// A small reader (quotes, doubled quotes, CRLF, ; or , or tab), enough for a preview; the
// server reads the file in full.
export interface Preview {
  header: string[];
  rows: string[][];
}

function delimiterOf(line: string): string {
  const counts = [",", ";", "\t"].map((d) => [d, line.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]?.[0] ?? ",";
}

export function previewCsv(text: string, maxRows = 5): Preview {
  const body = text.replace(/^\uFEFF/, "");
  const firstLine = body.split(/\r?\n/, 1)[0] ?? "";
  const d = delimiterOf(firstLine);
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < body.length && records.length <= maxRows; i += 1) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === d) {
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
  if (field || record.length) records.push([...record, field]);
  const [header = [], ...rows] = records;
  return { header, rows: rows.filter((r) => r.some((v) => v.trim())).slice(0, maxRows) };
}

// What a vCard file holds, for its preview: the names of its cards.
export function previewVcard(text: string, maxRows = 5): Preview {
  const names = [...text.matchAll(/^FN[^:]*:(.*)$/gim)].map((m) => [m[1]?.trim() ?? ""]);
  return { header: ["FN"], rows: names.slice(0, maxRows) };
}
