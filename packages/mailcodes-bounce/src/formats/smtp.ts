// smtp: reading SMTP dialogue out of a report's lines — which command a line names, and whether it holds codes.
// Each is a scan of one line.

const COMMANDS = ["STARTTLS", "EHLO", "HELO", "MAIL", "RCPT", "DATA", "AUTH", "BDAT", "QUIT", "RSET"];

/**
 * The SMTP command a text names first, written as the dialogue writes it, in capitals ("RCPT TO:<…>", "MAIL FROM",
 * "DATA"; "end of data" → DATA, "initial connection" → CONN): "mail server" is not a command.
 */
export function commandIn(text: string): string | undefined {
  const upper = text;
  let best: string | undefined;
  let at = Infinity;
  for (const c of COMMANDS) {
    let i = upper.indexOf(c);
    while (i !== -1 && i < at) {
      const before = i === 0 ? " " : upper[i - 1]!;
      const after = upper[i + c.length] ?? " ";
      if (!isWordChar(before) && !isWordChar(after)) {
        at = i;
        best = c;
        break;
      }
      i = upper.indexOf(c, i + 1);
    }
  }
  if (best === "BDAT") return "DATA";
  if (best !== undefined) return best;
  const lower = text.toLowerCase();
  if (lower.indexOf("end of data") !== -1) return "DATA";
  if (lower.indexOf("initial connection") !== -1 || lower.indexOf("connect to") !== -1) return "CONN";
  return undefined;
}

function isWordChar(c: string): boolean {
  return (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c === "_" || c === "-";
}

/** The first enhanced status code in a text ("5.1.1"), as a whole token. */
export function statusIn(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ((c === "2" || c === "4" || c === "5") && text[i + 1] === "." && (i === 0 || !/[0-9A-Za-z.]/.test(text[i - 1]!))) {
      let end = i + 2;
      while (end < text.length && end - i < 10 && /[0-9.]/.test(text[end]!)) end++;
      let token = text.slice(i, end);
      if (token.endsWith(".")) token = token.slice(0, -1);
      if (/^[245]\.[0-7]\.[0-9]{1,3}$/.test(token) && !/[A-Za-z]/.test(text[end] ?? "")) return token;
    }
  }
  return undefined;
}

/** The first SMTP reply code at a reply's place in a text: at its start, or after "said:", ":" or ";". */
export function replyIn(text: string): number | undefined {
  for (let i = 0; i + 3 <= text.length; i++) {
    const c = text[i]!;
    if (c !== "2" && c !== "4" && c !== "5") continue;
    if (i > 0 && /[0-9A-Za-z.]/.test(text[i - 1]!)) continue;
    const token = text.slice(i, i + 3);
    if (!/^[245][0-5][0-9]$/.test(token) || /[0-9.]/.test(text[i + 3] ?? "")) continue;
    return Number(token);
  }
  return undefined;
}

/** Whether a line holds a reply code and an enhanced status code (a server's reply quoted in a report). */
export function hasCodes(text: string): boolean {
  return replyIn(text) !== undefined && statusIn(text) !== undefined;
}
