// exim: Exim's main log, in its own file or through syslog. A delivery is one line per address, after the message's
// id and a flag: "=>" delivered ("->" another address of the same delivery, "*>" suppressed, ">>" cutthrough), "=="
// deferred, "**" failed — "1rAbCd-000AbC-Xy ** a@b.example R=dnslookup T=remote_smtp H=mx.b.example [192.0.2.1]: SMTP
// error from remote mail server after RCPT TO:<a@b.example>: 550 5.1.1 …"; a failure for "retry timeout exceeded" is
// a message given up on after its retry time, expired. A recipient refused by Exim's own ACLs is "H=… F=<s> rejected
// RCPT <a@b>: reason" ("temporarily rejected" for a 4xx refusal). Any other line with a message id (arrivals "<=",
// "Completed", "Frozen") reports no delivery.
import { HEAD_CHARS, hostIn, type LogLine, type LogLineReader, type LogRecord, type LogStatus } from "./line.js";

/** Exim's message ids: "1rAbCd-000AbC-Xy" (to 4.96) and "1rAbCd-00000001a5X-1cUX" (4.97 on), base 62. */
const MESSAGE_ID = /^[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{6}-[0-9A-Za-z]{2}|[0-9A-Za-z]{11}-[0-9A-Za-z]{4})$/;

const FLAGS: ReadonlyMap<string, LogStatus> = new Map<string, LogStatus>([
  ["=>", "sent"],
  ["->", "sent"],
  ["*>", "sent"],
  [">>", "sent"],
  ["==", "deferred"],
  ["**", "bounced"],
]);

export const exim: LogLineReader<"exim"> = {
  format: "exim",
  mta: "exim",
  open() {
    // Once a line has shown the log to be Exim's, its lines without a message id (connections, queue runs) are too.
    let seen = false;
    return (line: LogLine) => {
      const records = read(line, seen);
      if (records !== undefined) seen = true;
      return records;
    };
  },
};

function read(line: LogLine, seen: boolean): LogRecord[] | undefined {
  const text = line.message;
  const id = messageId(text);
  if (id === undefined) {
    const refused = refusal(text);
    if (refused !== undefined) return refused;
    return line.tag?.startsWith("exim") === true || (seen && startsWithDateTime(text)) ? [] : undefined;
  }
  const flag = text.slice(id.end + 1, id.end + 3);
  const status = FLAGS.get(flag);
  if (status === undefined || text.charCodeAt(id.end + 3) !== 32) return [];
  return delivery(text.slice(id.end + 4), status, id.id);
}

/** The message id among the first words of a line (after its time stamp, pid, …), and where it ends. */
function messageId(text: string): { id: string; end: number } | undefined {
  const head = text.length > HEAD_CHARS ? text.slice(0, HEAD_CHARS) : text;
  for (let from = 0; from < head.length; ) {
    const space = head.indexOf(" ", from);
    const end = space === -1 ? head.length : space;
    if (end - from >= 16 && end - from <= 23) {
      const word = head.slice(from, end);
      if (MESSAGE_ID.test(word)) return { id: word, end };
    }
    if (space === -1) break;
    from = space + 1;
  }
  return undefined;
}

/**
 * "a@b.example [<parent@c.example>] R=… T=… H=host [192.0.2.1] …: error": the address, then its fields, then after
 * ": " what went wrong. A local delivery's address is a local part, a file or a pipe; its parent ("<a@b.example>")
 * names the recipient then.
 */
function delivery(rest: string, status: LogStatus, queueId: string): LogRecord[] {
  const space = rest.indexOf(" ");
  let first = space === -1 ? rest : rest.slice(0, space);
  const routed = first.endsWith(":");
  if (routed) first = first.slice(0, -1);
  let recipient = first.toLowerCase();
  if (!routed && recipient.indexOf("@") === -1 && rest.charCodeAt(space + 1) === 60) {
    const close = rest.indexOf(">", space + 2);
    if (close !== -1) recipient = rest.slice(space + 2, close).toLowerCase();
  }
  if (recipient === "" || recipient.indexOf("@") === -1) return [];
  let text = "";
  if (status === "sent") {
    // The remote server's confirmation, where the log has it (log_selector +smtp_confirmation): C="250 …".
    const confirmation = rest.indexOf(' C="');
    if (confirmation !== -1) {
      const close = rest.lastIndexOf('"');
      if (close > confirmation + 4) text = rest.slice(confirmation + 4, close);
    }
  } else {
    const said = routed ? space : rest.indexOf(": ", space === -1 ? 0 : space);
    if (said !== -1) text = rest.slice(said + (routed ? 1 : 2)).trim();
  }
  const record: LogRecord = { recipient, status, text, queueId };
  if (status === "bounced" && text.toLowerCase().indexOf("retry timeout exceeded") !== -1) record.status = "expired";
  const host = rest.indexOf(" H=");
  if (host !== -1) {
    const remote = hostIn(rest.slice(host + 3, host + 3 + 256));
    if (remote !== undefined) record.remoteMta = remote;
  }
  return [record];
}

/** Whether a line starts as Exim's main log does: "2024-11-23 10:00:00". */
function startsWithDateTime(text: string): boolean {
  if (text.length < 19) return false;
  for (let i = 0; i < 19; i++) {
    const c = text.charCodeAt(i);
    const wanted = i === 4 || i === 7 ? 45 : i === 10 ? 32 : i === 13 || i === 16 ? 58 : -1;
    if (wanted === -1 ? c < 48 || c > 57 : c !== wanted) return false;
  }
  return true;
}

/** "H=(helo) [192.0.2.9] F=<s@c> rejected RCPT <a@b>: reason": Exim's own refusal of a recipient. */
function refusal(text: string): LogRecord[] | undefined {
  const at = text.indexOf(" rejected RCPT <");
  if (at === -1 || text.indexOf("H=") === -1) return undefined;
  const close = text.indexOf(">", at + 16);
  const recipient = close === -1 ? "" : text.slice(at + 16, close).toLowerCase();
  if (recipient.indexOf("@") === -1) return [];
  const reason = text.slice(close + 1).replace(/^:\s?/, "");
  const temporary = text.slice(Math.max(0, at - 12), at) === " temporarily";
  const record: LogRecord = { recipient, status: temporary ? "deferred" : "bounced", text: reason, command: "RCPT" };
  const sender = text.indexOf(" F=<");
  if (sender !== -1 && sender < at) {
    const end = text.indexOf(">", sender + 4);
    if (end > sender + 4) record.sender = text.slice(sender + 4, end).toLowerCase();
  }
  return [record];
}
