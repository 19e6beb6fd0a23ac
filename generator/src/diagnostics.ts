/** A problem in a user's input: a value, never an exception (DESIGN.md). */
export interface Diagnostic {
  /** Path of the file as the user named it (e.g. spec/arara.yaml). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units like the editors that show it. */
  readonly column: number;
  readonly message: string;
}

/** One line per diagnostic: control characters and line breaks from a spec (a key, a value) are shown escaped. */
export function formatDiagnostic(d: Diagnostic): string {
  return oneLine(`${d.file}:${d.line}:${d.column}: ${d.message}`);
}

/** A message on one line: control characters and line breaks (from a spec, or a path in an error) shown escaped. */
export function oneLine(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** An error from the file system (it names a system call), as opposed to a bug. */
export function isFsError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === "string" &&
    typeof (error as NodeJS.ErrnoException).syscall === "string"
  );
}

/** node:util's parseArgs explains its errors for programmers; a user needs the option named. */
export function usageProblem(error: Error & { code?: string }): string {
  const option = /'(-[^']*)'/.exec(error.message)?.[1];
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${option ?? ""}`.trim();
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE")
    return `option ${option ?? ""} needs a value`.replace("  ", " ");
  return error.message.split("\n")[0]!;
}

/** Code-point order, not localeCompare: the order must not depend on the machine's locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column || compareStrings(a.message, b.message),
  );
}

/** Characters that could end a line, move the cursor or hide text on a terminal, and lone surrogates. */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029"\\]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A file name from the file system as a message shows it: as it is when it is plain, otherwise JSON-quoted with
 * every control character, line separator and lone surrogate escaped (and, for a name that is not UTF-8, each
 * invalid byte as \xNN), so that no name can forge a line of output or move the terminal's cursor.
 */
export function showName(name: string | Uint8Array): string {
  if (typeof name === "string") return UNSAFE.test(name) ? quote(name) : name;
  const bytes = Buffer.from(name.buffer, name.byteOffset, name.byteLength);
  const text = bytes.toString("utf8");
  if (Buffer.from(text, "utf8").equals(bytes)) return showName(text);
  let shown = "";
  for (let i = 0; i < bytes.length; ) {
    const length = utf8Length(bytes, i);
    shown +=
      length === 0
        ? `\\x${bytes[i]!.toString(16).padStart(2, "0")}`
        : quote(bytes.subarray(i, i + length).toString("utf8")).slice(1, -1);
    i += Math.max(length, 1);
  }
  return `"${shown}"`;
}

/** JSON.stringify, which leaves C1 controls and U+2028/U+2029 as they are, with those escaped too. */
function quote(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The length of the valid UTF-8 character at `i`, or 0 when the byte there does not start one. */
function utf8Length(bytes: Buffer, i: number): number {
  for (let length = 1; length <= 4 && i + length <= bytes.length; length++) {
    const piece = bytes.subarray(i, i + length);
    if (Buffer.from(piece.toString("utf8"), "utf8").equals(piece)) return length;
  }
  return 0;
}
