#!/usr/bin/env python3
"""Checks every include of the sources against the rooms table of docs/architecture.md.

The build already refuses an include of a room that a target does not link
(cmake/Rooms.cmake). This check reads the table itself, so that it also catches what a link
would allow but the table does not: a header reached through another room's public links, a
third-party library used outside the room that owns it (Beast outside core/api, SQLite outside
storage/sqlite), the SDK's headers outside the plugin host.

Usage: include_check.py SOURCE_DIR. Prints one line per include against the table and exits 1
when there is any; exits 2 when the table cannot be read.
"""
import pathlib
import re
import sys

# Third-party headers that belong to one room or a few: the name used in the table's third
# column, and the include prefixes it covers.
GUARDED = {
    "beast": ("boost/beast",),
    "asio": ("boost/asio",),
    "sqlite": ("sqlite3.h", "SQLiteCpp/"),
    "curl": ("curl/",),
}
TABLE_BEGIN = "<!-- rooms:begin -->"
TABLE_END = "<!-- rooms:end -->"
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.MULTILINE)


def read_table(doc):
    """The rooms table: {room: (folder, allowed rooms, allowed guarded libraries)}."""
    text = doc.read_text(encoding="utf-8")
    if TABLE_BEGIN not in text or TABLE_END not in text:
        sys.exit(f"{doc}: no rooms table between {TABLE_BEGIN} and {TABLE_END}")
    rows = {}
    for line in text.split(TABLE_BEGIN, 1)[1].split(TABLE_END, 1)[0].splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("room", "") or set(cells[0]) <= set("-: "):
            continue
        room, folder, rooms, libraries = cells
        names = lambda cell: {n.strip().strip("`") for n in cell.split(",") if n.strip() not in ("", "—", "-")}
        rows[room] = (folder.rstrip("/"), names(rooms), names(libraries))
    if not rows:
        sys.exit(f"{doc}: the rooms table is empty")
    return rows


def room_of_include(path, core_rooms):
    """The room an include of our own code points to, or None for a file of the same room."""
    if path.startswith("relance/model/"):
        return "model"
    if path.startswith("relance/storage/"):
        return "storage"
    if path.startswith("relance/"):
        return "sdk"
    first = path.split("/", 1)[0]
    return first if "/" in path and first in core_rooms else None


def main():
    source = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    table = read_table(source / "docs" / "architecture.md")
    folders = {room: source / folder for room, (folder, _, _) in table.items()}
    core_rooms = {room for room, (folder, _, _) in table.items() if folder.startswith("core/")}
    problems = []
    checked = 0
    for room, (folder, allowed, libraries) in sorted(table.items()):
        root = folders[room]
        if not root.is_dir():
            problems.append(f"{folder}: the table names a folder that does not exist")
            continue
        # A room's folder holds its files, not those of a room nested inside it (storage/model).
        nested = [f for r, f in folders.items() if r != room and f != root and root in f.parents]
        for file in sorted(root.rglob("*")):
            if file.suffix not in (".c", ".h", ".cpp", ".hpp") or any(n in file.parents for n in nested):
                continue
            checked += 1
            text = file.read_text(encoding="utf-8", errors="replace")
            for kind, path in INCLUDE.findall(text):
                where = f"{file.relative_to(source)}: #include {kind}{path}{'>' if kind == '<' else chr(34)}"
                if kind == "<":
                    owner = next((lib for lib, prefixes in GUARDED.items() if path.startswith(prefixes)), None)
                    if owner and owner not in libraries:
                        problems.append(f"{where}: {owner} belongs to other rooms (table: {room} may use {', '.join(sorted(libraries)) or 'none of them'})")
                    continue
                target = room_of_include(path, core_rooms)
                if target is None:
                    if not ((file.parent / path).exists() or any(root.rglob(path))):
                        problems.append(f"{where}: not a file of {room}, nor of a room the table knows")
                elif target != room and target not in allowed:
                    problems.append(f"{where}: {room} may not include {target} (table: {', '.join(sorted(allowed)) or 'nothing of ours'})")
    for p in problems:
        print(p)
    print(f"include_check: {checked} files of {len(table)} rooms, {len(problems)} includes against the table")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
