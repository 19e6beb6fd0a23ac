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
  return `${d.file}:${d.line}:${d.column}: ${d.message}`.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
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
