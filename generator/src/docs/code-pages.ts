// code-pages: the catalog seen from each standard code. For every SMTP reply code and every enhanced status code
// (by its subject.detail, as the registry writes it: X.7.26), the registry's own entry, every entry of every document
// that carries the code (as its own code or as a reference), and the classes and ranges that cover it. Pure.
import { type Code, inRange, parseRange, patternMatches } from "mailcodes-runtime";
import { type Catalog, type CodeSet, type Entry, subjectDetailOf } from "../model.ts";

/** A code page's key: a reply code ("550"), or an enhanced status code's subject.detail ("X.7.26"). */
export type CodeKey = string;
export type CodeKind = "reply" | "enhanced";

export interface Carrier {
  readonly set: CodeSet;
  readonly entry: Entry;
  /** The code as the entry writes it: 550, "5.7.26", "X.7.26"; for a covering entry its pattern or range ("5xx"). */
  readonly code: Code;
  /** Where the document's code is knowingly not the registry's: why. */
  readonly note?: string;
}

export interface CodePage {
  readonly kind: CodeKind;
  readonly key: CodeKey;
  /** The registry's own entries for the code (RFC 5321's, IANA's); none for a code no registry has. */
  readonly registered: readonly Carrier[];
  /** Every other entry that carries the code, in catalog order. */
  readonly carriers: readonly Carrier[];
  /** Entries whose class pattern or range covers the code ("5xx", "5.x.x", "5.7.500-699"). */
  readonly covering: readonly Carrier[];
  /** For an enhanced code: the full codes the entries carry ("4.7.26", "5.7.26"), which a search finds it by too. */
  readonly aliases: readonly string[];
}

interface Draft {
  readonly kind: CodeKind;
  readonly key: CodeKey;
  readonly registered: Carrier[];
  readonly carriers: Carrier[];
  readonly covering: Carrier[];
  readonly aliases: Set<string>;
  /** set id, member and code of each carrier already listed: an entry is listed once per code it carries. */
  readonly seen: Set<string>;
}

/** Every code page of the catalog: reply codes by number, then enhanced codes by subject and detail. */
export function codePages(catalog: Catalog): CodePage[] {
  const drafts = new Map<string, Draft>();
  const covering: Carrier[] = [];
  const registries: Record<CodeKind, CodeSet | undefined> = {
    reply: catalog.registries["smtp-reply"],
    enhanced: catalog.registries["enhanced-subject-detail"],
  };
  const add = (kind: CodeKind, carrier: Carrier): void => {
    const key = codeKeyOf(kind, carrier.code);
    const id = `${kind}:${key}`;
    let draft = drafts.get(id);
    if (draft === undefined) {
      draft = { kind, key, registered: [], carriers: [], covering: [], aliases: new Set(), seen: new Set() };
      drafts.set(id, draft);
    }
    const seen = `${carrier.set.id} ${carrier.entry.member} ${carrier.code}`;
    if (draft.seen.has(seen)) return;
    draft.seen.add(seen);
    (carrier.set === registries[kind] ? draft.registered : draft.carriers).push(carrier);
    if (kind === "enhanced" && !String(carrier.code).toUpperCase().startsWith("X"))
      draft.aliases.add(String(carrier.code));
  };
  for (const set of catalog.sets) {
    for (const entry of set.entries) {
      for (const code of entry.byName ? [] : (entry.codes ?? [entry.code])) {
        const carrier = { set, entry, code };
        if (set.codeFormat === "pattern" || parseRange(code, set.codeFormat) !== undefined) covering.push(carrier);
        else if (set.codeFormat === "smtp-reply") add("reply", carrier);
        else if (set.codeFormat === "enhanced-status" || set.codeFormat === "enhanced-subject-detail")
          add("enhanced", carrier);
      }
      for (const ref of entry.replyCodes)
        add("reply", { set, entry, code: ref.code, ...(!ref.standard && { note: ref.note }) });
      for (const ref of entry.enhancedCodes)
        add("enhanced", { set, entry, code: ref.code, ...(!ref.standard && { note: ref.note }) });
    }
  }
  const pages = [...drafts.values()].map((draft) => {
    const aliases = [...draft.aliases].sort(compareCodes);
    const probes: Code[] =
      draft.kind === "reply"
        ? [Number(draft.key)]
        : aliases.length > 0
          ? aliases
          : ["2", "4", "5"].map((c) => c + draft.key.slice(1));
    const covers = (carrier: Carrier): boolean => {
      const range = parseRange(carrier.code, carrier.set.codeFormat);
      return probes.some((probe) =>
        range !== undefined ? inRange(range, probe) : patternMatches(String(carrier.code), probe),
      );
    };
    return {
      kind: draft.kind,
      key: draft.key,
      registered: draft.registered,
      carriers: draft.carriers,
      covering: covering.filter(covers),
      aliases,
    };
  });
  return pages.sort((a, b) => (a.kind === b.kind ? compareCodes(a.key, b.key) : a.kind === "reply" ? -1 : 1));
}

/** The page a code is on: a reply code's own, an enhanced code's subject.detail's ("5.7.26" → "X.7.26"). */
export function codeKeyOf(kind: CodeKind, code: Code): CodeKey {
  return kind === "reply" ? String(code) : subjectDetailOf(code).toUpperCase();
}

/** Codes in numeric order, part by part: 5.7.9 before 5.7.26, X.1.1 before X.1.10. */
export function compareCodes(a: string, b: string): number {
  const pa = a.split(".");
  const pb = b.split(".");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? "";
    const y = pb[i] ?? "";
    const byNumber = Number(x) - Number(y);
    if (!Number.isNaN(byNumber) && byNumber !== 0) return byNumber;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
