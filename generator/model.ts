// model: the Catalog that validate builds and emit prints. Plain data, resolved and checked; no I/O.

export type CodeFormat =
  | "smtp-reply"
  | "enhanced-status"
  | "enhanced-subject-detail"
  | "pattern"
  | "integer"
  | "alphanumeric"
  | "none";
export type Registry = "smtp-reply" | "enhanced-status-class" | "enhanced-subject-detail";
export type Outcome = "success" | "intermediate" | "transient" | "permanent" | "failure";
export const OUTCOMES: readonly Outcome[] = ["success", "intermediate", "transient", "permanent", "failure"];
export type OutcomeBasis = "code-class" | "document";
export type Code = number | string;
export type AttributeValue = string | number | boolean;

export interface Catalog {
  /** In file-name order, so the output does not depend on the order files were read. */
  readonly specs: readonly Spec[];
}

export interface Source {
  readonly file: string;
  readonly title: string;
  readonly publisher: string;
  readonly url?: string;
  readonly language: string;
}

export interface Note {
  readonly heading?: string;
  readonly text: string;
}

export interface Spec {
  /** The spec file as named in diagnostics and headers (spec/arara.yaml). */
  readonly file: string;
  readonly source: Source;
  readonly notes: readonly Note[];
  readonly codeSets: readonly CodeSet[];
}

export interface Column {
  readonly key: string;
  readonly heading: string;
  readonly language: string;
  readonly description: string;
  readonly required: boolean;
  readonly ditto?: string;
  /** The text met in bounces and logs, which the generated parser matches. */
  readonly inLogs: boolean;
}

export interface Attribute {
  readonly key: string;
  readonly heading?: string;
  readonly description: string;
  readonly type: "string" | "number" | "integer" | "boolean";
  readonly enum?: readonly AttributeValue[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly required: boolean;
}

export interface CodeSet {
  readonly id: string;
  /** PascalCase identifier of the generated enum and types. */
  readonly name: string;
  readonly table: string;
  readonly description: string;
  readonly codeFormat: CodeFormat;
  readonly defines?: Registry;
  readonly outcomes: boolean;
  readonly columns: readonly Column[];
  readonly attributes: readonly Attribute[];
  readonly placeholders: readonly string[];
  readonly notes: readonly Note[];
  readonly entries: readonly Entry[];
  /** The spec it comes from (for headers and JSDoc). */
  readonly specFile: string;
  readonly source: Source;
}

export interface EntryText {
  readonly column: string;
  /** The text, with a ditto mark already replaced by the text it stands for. */
  readonly text: string;
  /** When the document wrote a ditto mark (同上) here: the mark, and the code of the row whose text it repeats. */
  readonly ditto?: { readonly mark: string; readonly from: Code };
}

/** A standard code an entry carries: resolved against the registry set, or knowingly non-standard. */
export type Reference =
  | { readonly code: Code; readonly standard: true }
  | { readonly code: Code; readonly standard: false; readonly note: string };

export interface Entry {
  /** The code (corrected, where there is an erratum); for codeFormat none, the member name. */
  readonly code: Code;
  /** PascalCase identifier of the enum member. */
  readonly member: string;
  readonly texts: readonly EntryText[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly outcome?: Outcome;
  readonly outcomeBasis?: OutcomeBasis;
  readonly replyCode?: Reference;
  readonly enhancedCode?: Reference;
  readonly erratum?: { readonly sourceReads: Code; readonly note: string };
}
