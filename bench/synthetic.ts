// Synthetic specs shaped like the real ones (two text columns, one with ditto marks, an attribute, a reference),
// for the benchmark and for tests that need large inputs. Its reference resolves against the generator's own registries.

export interface SyntheticOptions {
  /** How many entries. */
  readonly entries: number;
  /** The first entry's code; the others follow it. */
  readonly firstCode: number;
  /** The set's id (also its name, in words). */
  readonly id: string;
  /** Replaces the first entry's meaning, to make one generation differ from another. */
  readonly firstMeaning?: string;
}

export function syntheticSpec({ entries, firstCode, id, firstMeaning }: SyntheticOptions): string {
  const lines = [
    "# yaml-language-server: $schema=./mailcodes.schema.json",
    "source: { file: sources/synthetic.txt, title: Synthetic, publisher: mailcodes bench, language: ja }",
    "codeSets:",
    `  - id: ${id}`,
    `    name: ${id.replace(/-/g, " ")}`,
    "    table: 合成",
    "    description: Synthetic entries.",
    "    codeFormat: integer",
    "    columns:",
    "      - { key: meaning, heading: 説明, language: ja, description: Meaning. }",
    "      - { key: action, heading: 対処方法, language: ja, description: Action., ditto: 同上 }",
    "    attributes:",
    "      - { key: count, type: number, enum: [1, 0.5, 0.1], description: Count. }",
    "    entries:",
  ];
  for (let i = 0; i < entries; i++) {
    const action = i % 3 === 1 ? "同上" : `誤りを直し、再送信ください。${i}`;
    const meaning = i === 0 && firstMeaning !== undefined ? firstMeaning : `送信先メールサーバの応答 ${i} を表す。`;
    lines.push(
      `      - { code: ${firstCode + i}, name: Synthetic ${i}, texts: { meaning: "${meaning}", action: "${action}" }, attributes: { count: 1 }, outcome: permanent, outcomeBasis: code-class, replyCode: 550 }`,
    );
  }
  return lines.join("\n") + "\n";
}
