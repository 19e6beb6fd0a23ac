// mailcodes-bounce's mail reader against hostile mails (issue 19, items 1-6): transfer encodings that cost postal-mime
// far more than the mail's size, addresses that are not ASCII or hold another address, RFC 6533's global DSNs, the
// 8 MiB cut, and a diagnostic far longer than what is classified. Work is counted, never timed.
// biome-ignore-all assist/source/organizeImports: steps.ts comes first, as it counts only code compiled after it
import { stepsOf } from "./steps.ts";
import { afterEach, describe, expect, it } from "vitest";
import { addressAlone, fieldAddresses, findAddresses } from "../packages/mailcodes-bounce/src/address.ts";
import {
  classifyBounce,
  MAX_MAIL_BYTES,
  MAX_MAIL_LINES,
  MAX_TEXT_CHARS,
} from "../packages/mailcodes-bounce/src/index.ts";
import { readMail } from "../packages/mailcodes-bounce/src/mail.ts";
import { forParser, latin1Of, partsOf } from "../packages/mailcodes-bounce/src/mime.ts";
import { squeeze } from "../packages/mailcodes-bounce/src/text.ts";
import { repeatedToSize } from "./bounce-adversarial.ts";
import { dsnMail, failed, paddedBase64Mail } from "./hostile-mail.ts";

/** postal-mime's buffers: every part it hands to a Blob while classifyBounce runs (it assembles each decoded body in one). */
async function blobPartsWhile(run: () => Promise<unknown>): Promise<number> {
  let parts = 0;
  const Original = globalThis.Blob;
  globalThis.Blob = class extends Original {
    constructor(...args: ConstructorParameters<typeof Blob>) {
      super(...args);
      parts += args[0]?.length ?? 0;
    }
  };
  try {
    await run();
  } finally {
    globalThis.Blob = Original;
  }
  return parts;
}

describe("a transfer encoding costs about what its size does (item 1)", () => {
  afterEach(() => {
    expect(globalThis.Blob.name).toBe("Blob");
  });

  // A text part with a parameter beside its charset is postal-mime's to read (plain-mime reads only the plainest).
  const POSTAL = "text/plain; charset=utf-8; format=fixed";

  it("counts postal-mime's buffers: an ordinary mail makes some (the count sees them)", async () => {
    const ordinary = dsnMail({
      text: "x".repeat(76).concat("\n").repeat(1000),
      textHeaders: `Content-Type: ${POSTAL}`,
      fields: failed("a@b.example"),
    });
    expect(await blobPartsWhile(() => classifyBounce(ordinary))).toBeGreaterThan(0);
  });

  for (const lines of [true, false]) {
    it(`a base64 body of "A=" repeated (${lines ? "in lines of 76" : "in one line"}) makes a few buffers at 1 MiB and no more at 8×`, async () => {
      const small = await blobPartsWhile(() => classifyBounce(paddedBase64Mail(1024 * 1024, lines, POSTAL)));
      const large = await blobPartsWhile(() => classifyBounce(paddedBase64Mail(MAX_MAIL_BYTES - 4096, lines, POSTAL)));
      // Before: a buffer per "A=" (half a million at 1 MiB, four million at 8); a buffer per line is the most now.
      expect(small).toBeLessThan(25_000);
      expect(large).toBeLessThanOrEqual(small + 100);
    });
  }

  it("decodes a base64 body written with every unit padded as postal-mime does, and reads the DSN after it", async () => {
    const units = ["NTUw", "IDUu", "MS4x", "IHVz", "ZXI=", "IHVu", "a25v", "d24="].join("\n"); // "550 5.1.1 user unknown", padded mid-way
    const mail = dsnMail({
      textHeaders: "Content-Type: text/plain\nContent-Transfer-Encoding: base64",
      text: units,
      fields: "Final-Recipient: rfc822; a@b.example\nAction: failed",
    });
    const [result] = await classifyBounce(mail);
    expect(result).toMatchObject({
      recipient: "a@b.example",
      reason: "userunknown",
      enhancedCode: "5.1.1",
      replyCode: 550,
    });
  });

  it("reads at most MAX_MAIL_LINES lines of a text decoded from quoted-printable, however few lines it was written in", async () => {
    const mail = dsnMail({
      textHeaders: "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable",
      text: "=0A".repeat(1_000_000),
      fields: failed("a@b.example"),
    });
    expect((await readMail(mail)).text.split("\n").length).toBeLessThanOrEqual(MAX_MAIL_LINES + 1);
    expect((await classifyBounce(mail))[0]).toMatchObject({ recipient: "a@b.example", reason: "userunknown" });
  });
});

const INTERNATIONAL = [
  "josé.garcía@example.com",
  "usér@example.com",
  "ñandú@example.com",
  "用户@例子.广告",
  "user@bücher.example",
];
const QUOTED = '"<victim@example.net>"@attacker.example';

/** A Postfix bounce naming the recipient in its report and in its DSN. */
function postfixMail(recipient: string, fields = failed(recipient)): string {
  const text = `This is the mail system at host mx.example.net.\n\n<${recipient}>: host mx.example.org[192.0.2.1] said: 550 5.1.1\n    user unknown (in reply to RCPT TO command)`;
  return dsnMail({ text, fields }).replace("Subject: Delivery report", "Subject: Undelivered Mail Returned to Sender");
}

describe("addresses are parsed as addresses, read whole or not at all (items 2 and 3)", () => {
  it.each([
    ["a local part in UTF-8", "To josé.garcía@example.com: no", ["josé.garcía@example.com"]],
    ["a domain in UTF-8", "<用户@例子.广告>, user@bücher.example.", ["用户@例子.广告", "user@bücher.example"]],
    ["a local part in quotes that holds an address", `<${QUOTED}>: 550 5.1.1`, [QUOTED]],
    ["an address in quotes in prose", 'The address "a@b.example" was rejected', ["a@b.example"]],
    ["an address in single quotes in prose (as Exchange writes it)", "'kudo@example.jp' on Tue", ["kudo@example.jp"]],
    ["a local part with an apostrophe", "o'brien@example.ie: 550 5.1.1", ["o'brien@example.ie"]],
    ["a local part in quotes cut short at its end", '"<victim@example.net', []],
    ["a local part in quotes cut short at its start", '<victim@example.net>"@attacker.example', []],
    ["a local part longer than any (not its last 256 characters)", `${"x".repeat(300)}@example.com`, []],
    ["a domain longer than any", `user@${"a".repeat(300)}.example`, []],
    ["a domain followed by a character that is not its end", "victim@example.com\u00ad.attacker.example", []],
    ["a local part after another address's domain", "a@b.example+c@d.example", ["a@b.example"]],
    [
      "a local part after a non-ASCII character (RFC 6532: part of it)",
      "«victim@example.com»",
      ["«victim@example.com"],
    ],
  ])("in prose: %s", (_what, text, want) => {
    expect(findAddresses(text).map((a) => a.address)).toEqual(want);
  });

  it("reads the addresses that lie wholly in the part of a line a reader names, the line's quotes read in full", () => {
    const line = ` <"a <victim@example.net>"@attacker.example>... User unknown`;
    const open = line.indexOf(" <", 2); // inside the quotes, as a reader that looks for " <" finds it
    expect(findAddresses(line, 1, open + 2, line.indexOf(">..."))).toEqual([]);
    expect(findAddresses(line, 1, 2, line.indexOf(">..."))[0]?.address).toBe(
      '"a <victim@example.net>"@attacker.example',
    );
    expect(addressAlone(`<${QUOTED}>:`)).toBe(QUOTED);
  });

  it.each([
    [
      "a display name in quotes that holds an address",
      '"victim@example.net" <attacker@example.org>',
      ["attacker@example.org"],
    ],
    ["a comment that holds an address", "(victim@example.net) attacker@example.org", ["attacker@example.org"]],
    [
      "a list, a group and a display name with a comma",
      'a@example.com, Group: "b, c" <d@example.com>;, e@example.com',
      ["a@example.com", "d@example.com", "e@example.com"],
    ],
    ["an empty group, and the null path", "undisclosed-recipients:;, <>", []],
    ["a local part in quotes", QUOTED, [QUOTED]],
    [
      "a mailbox written as an encoded word",
      `=?UTF-8?B?${Buffer.from("josé@example.com").toString("base64")}?=`,
      ["josé@example.com"],
    ],
    [
      "a local part that only looks like an encoded word (never decoded)",
      "=?utf-8?q?victim?=@example.com",
      ["=?utf-8?q?victim?=@example.com"],
    ],
    [
      "an encoded display name that holds an address",
      "=?utf-8?q?victim=40example.net?= <attacker@example.org>",
      ["attacker@example.org"],
    ],
  ])("in a header field: %s", (_what, value, want) => {
    expect(fieldAddresses(value)).toEqual(want);
  });

  it.each(INTERNATIONAL)(
    "reports %s whole from a DSN (utf-8 and rfc822 types), a report's line and X-Failed-Recipients",
    async (address) => {
      for (const mail of [
        postfixMail(address),
        dsnMail({ statusType: "message/global-delivery-status", fields: failed(address).replace("rfc822;", "utf-8;") }),
        `From: MAILER-DAEMON@mx.example.net\nSubject: failure notice\nX-Failed-Recipients: ${address}\n\n550 5.1.1 user unknown\n`,
      ]) {
        const results = await classifyBounce(mail);
        expect(results.map((r) => r.recipient)).toEqual([address]);
      }
    },
  );

  it("decodes RFC 6533's \\x{HEX} in a utf-8 recipient field, and an X-Failed-Recipients written as an encoded word", async () => {
    const escaped = dsnMail({ fields: failed("jos\\x{E9}.garc\\x{ED}a@example.com").replace("rfc822;", "utf-8;") });
    expect((await classifyBounce(escaped)).map((r) => r.recipient)).toEqual(["josé.garcía@example.com"]);
    const encoded = `=?UTF-8?B?${Buffer.from("usér@example.com").toString("base64")}?=`;
    const mail = `From: MAILER-DAEMON@mx.example.net\nSubject: failure notice\nX-Failed-Recipients: ${encoded}\n\n550 5.1.1 user unknown\n`;
    expect((await classifyBounce(mail)).map((r) => r.recipient)).toEqual(["usér@example.com"]);
  });

  it("never reports the address inside a quoted local part: the bounce is for the whole address", async () => {
    const forms = [
      postfixMail(QUOTED),
      `From: MAILER-DAEMON@mx.example.net\nSubject: failure notice\nX-Failed-Recipients: ${QUOTED}\n\n550 5.1.1 user unknown\n`,
      `From: MAILER-DAEMON@mx.example.net\nSubject: failure notice\n\n<${QUOTED}>: 550 5.1.1 user unknown\n`,
      `From: MAILER-DAEMON@mx.example.net\nSubject: failure notice\nX-Failed-Recipients: "victim@example.net" <attacker@example.org>\n\n550 5.1.1 user unknown\n`,
    ];
    for (const mail of forms) {
      const recipients = (await classifyBounce(mail)).map((r) => r.recipient);
      expect(recipients).not.toContain("victim@example.net");
      expect(recipients.length).toBe(1);
    }
  });
});

describe("the MIME tree postal-mime is given", () => {
  const given = (mail: string) => {
    const bytes = new TextEncoder().encode(mail);
    const latin1 = latin1Of(bytes);
    return new TextDecoder().decode(forParser(latin1, bytes, partsOf(latin1)).bytes);
  };

  it("holds each part once: a part whose headers run into the next boundary has no body", () => {
    const mail =
      'Content-Type: multipart/report; boundary="b"\n\n--b\nContent-Type: text/plain\n--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@b.example\n--b--\n';
    expect(given(mail).split("Final-Recipient").length).toBe(2);
  });

  it("writes each multipart with a boundary that occurs nowhere in the mail, and no line of a body as a boundary", () => {
    const mail =
      'Content-Type: multipart/mixed; boundary="=_mailcodes_0_.0"\n\n--=_mailcodes_0_.0\nContent-Type: text/plain\n\n--=_mailcodes_1_.0\n--=_mailcodes_0_.0--\n';
    const out = given(mail);
    expect(out).toContain('boundary="=_mailcodes_2_.0"');
    expect(out).toContain("\n--=_mailcodes_1_.0\n"); // the body's line, kept as text
  });

  it("gives a type that opens with a comment as one postal-mime cannot read as a multipart", () => {
    const mail =
      'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: (x) multipart/mixed; boundary="c"\n\n--c\nContent-Transfer-Encoding: base64\n\nA=A=\n--c--\n--b--\n';
    const out = given(mail);
    expect(out).toContain("Content-Type: application/octet-stream\n");
    expect(out).not.toContain("(x) multipart/mixed");
  });
});

describe("RFC 6533's global DSNs (item 4)", () => {
  it("reads message/global-delivery-status as a delivery-status part: a prefix of message/global does not cut it out", async () => {
    const results = await classifyBounce(
      dsnMail({ statusType: "message/global-delivery-status", fields: failed("user@example.org") }),
    );
    expect(results).toMatchObject([
      { recipient: "user@example.org", reason: "userunknown", enhancedCode: "5.1.1", format: "rfc3464" },
    ]);
  });

  it("reads message/global-headers as the returned message's headers, as text/rfc822-headers", async () => {
    for (const type of ["text/rfc822-headers", "message/global-headers"]) {
      const mail = [
        "From: MAILER-DAEMON@mx.example.net",
        "Subject: failure notice",
        'Content-Type: multipart/mixed; boundary="b"',
        "",
        "--b",
        "Content-Type: text/plain",
        "",
        "Your message could not be delivered: 550 5.1.1 user unknown.",
        "",
        "--b",
        `Content-Type: ${type}`,
        "",
        "From: sender@example.com",
        "To: returned@example.org",
        "Subject: hello",
        "",
        "--b--",
        "",
      ].join("\n");
      expect(
        (await classifyBounce(mail)).map((r) => r.recipient),
        type,
      ).toEqual(["returned@example.org"]);
    }
  });
});

describe("the 8 MiB cut (item 5)", () => {
  /** A bounce whose recipient's line starts `before` bytes before MAX_MAIL_BYTES. */
  function cutMail(before: number): string {
    const head = "From: MAILER-DAEMON@mx.example.net\nSubject: failure notice\n\nThe following address failed:\n";
    const line = "limit@example.com: 550 5.1.1 user unknown\n";
    const padding = `${"x".repeat(4095)}\n`.repeat(Math.ceil(MAX_MAIL_BYTES / 4096)); // fewer lines than MAX_MAIL_LINES
    const start = MAX_MAIL_BYTES - before - head.length;
    return `${head}${padding.slice(0, start - 1)}\n${line}trailing text\n`;
  }

  it("never yields a shortened address: the line the cut falls in is left out, for a string and for bytes", async () => {
    for (const before of [1, 16]) {
      const mail = cutMail(before);
      for (const input of [mail, new TextEncoder().encode(mail)]) {
        const recipients = (await classifyBounce(input)).map((r) => r.recipient);
        expect(recipients, `cut ${before} bytes into the line`).toEqual([]);
      }
    }
  });

  it("keeps a line whose text ends at the limit, its line break past it", async () => {
    const line = "limit@example.com: 550 5.1.1 user unknown";
    const mail = cutMail(line.length);
    expect(new TextEncoder().encode(mail)[MAX_MAIL_BYTES]).toBe(10);
    expect((await classifyBounce(mail)).map((r) => r.recipient)).toEqual(["limit@example.com"]);
  });
});

describe("a diagnostic far longer than what is classified (item 6)", () => {
  const said = (size: number) => "said: ".repeat(Math.floor(size / 6));

  it("is cut before it is squeezed: squeezing 8 MiB takes no more steps than squeezing 1 MiB, and a few windows' worth", async () => {
    const [small, large] = [said(1024 * 1024), said(8 * 1024 * 1024)];
    squeeze(small);
    const [smallSteps, largeSteps] = [await stepsOf(() => squeeze(small)), await stepsOf(() => squeeze(large))];
    expect(largeSteps, `${smallSteps} steps, then ${largeSteps}`).toBeLessThanOrEqual(smallSteps);
    expect(largeSteps).toBeLessThan(8 * MAX_TEXT_CHARS);
    expect(squeeze(large)).toBe(large.slice(0, MAX_TEXT_CHARS).trimEnd());
  });

  it("squeezes white space across the windows it is cut in, and stops when MAX_TEXT_CHARS characters are filled", () => {
    const spaced = `${" ".repeat(3 * MAX_TEXT_CHARS)}a${"\n".repeat(MAX_TEXT_CHARS)}b ${"c".repeat(2 * MAX_TEXT_CHARS)}`;
    expect(squeeze(spaced)).toBe(`a b ${"c".repeat(MAX_TEXT_CHARS - 4)}`);
  });

  it("gives classifyBounce the start of a Diagnostic-Code of 8 MiB, squeezed", async () => {
    const fields = `Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; ${said(MAX_MAIL_BYTES - 4096)}`;
    const [result] = await classifyBounce(dsnMail({ fields }));
    expect(result?.recipient).toBe("a@b.example");
    expect(result?.diagnostic.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(result?.diagnostic).toContain(said(1000));
  });
});

describe("the address parser and the MIME rewriting take work linear in their input", () => {
  /** The steps at 64 K and at 8 times that, each counted after a warm-up. */
  async function growth(read: (text: string) => unknown, parts: readonly string[]): Promise<[number, number]> {
    const [small, large] = [repeatedToSize(parts, 64 * 1024), repeatedToSize(parts, 8 * 64 * 1024)];
    read(small);
    return [await stepsOf(() => read(small)), await stepsOf(() => read(large))];
  }
  const ADDRESSES = [
    '"',
    "\\",
    "@",
    '"@',
    "a",
    "x".repeat(300),
    "@b.example",
    "«",
    "é",
    "用户",
    ".",
    " ",
    "\n",
    "<",
    ">",
  ];
  const FIELDS = [...ADDRESSES, "(", ")", ",", ":", ";", "=?utf-8?q?a=40b.example?=", '"a, b" <c@d.example>'];
  const MIME = [
    "--b\n",
    "--b--\n",
    "Content-Type: multipart/mixed; boundary=b\n",
    "Content-Transfer-Encoding: base64\n",
    "\n",
    "A=",
    "QUFB\n",
    "Content-Type: message/rfc822\n",
    "--c\n",
  ];

  it.each([
    [
      "findAddresses, on quotes, backslashes, long local parts and UTF-8",
      (text: string) => findAddresses(text),
      ADDRESSES,
    ],
    ["fieldAddresses, on the same and a header's syntax", (text: string) => fieldAddresses(text), FIELDS],
    [
      "forParser, on nested multiparts and padded base64",
      (text: string) => {
        const bytes = new TextEncoder().encode(text);
        const latin1 = latin1Of(bytes);
        return forParser(latin1, bytes, partsOf(latin1));
      },
      MIME,
    ],
  ] as const)("%s: 8× the input takes at most 12× the steps", async (_name, read, parts) => {
    const [small, large] = await growth(read, parts);
    expect(large / small, `${small} steps, then ${large}`).toBeLessThanOrEqual(12);
  });
});
