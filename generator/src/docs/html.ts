// html: markup that is safe by construction. Text goes in escaped; only what `html` built goes in as it is.

/** A piece of HTML: escaped text, or markup built by {@link html}. */
export class Html {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

/** What a template can hold: text (escaped), markup, lists of either, and nothing (undefined, false, null). */
export type Part = Html | string | number | undefined | null | false | readonly Part[];

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text as HTML: safe in element content and in quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(part: Part): string {
  if (part === undefined || part === null || part === false) return "";
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join("");
  return escapeHtml(String(part));
}

/** A template whose values are escaped unless they are Html already. */
export function html(strings: TemplateStringsArray, ...values: readonly Part[]): Html {
  let text = strings[0]!;
  values.forEach((value, i) => {
    text += render(value) + strings[i + 1]!;
  });
  return new Html(text);
}

/** A lang attribute for text in a language other than the page's (English). */
export function langOf(language: string): Html {
  return language === "en" ? html`` : html` lang="${language}"`;
}
