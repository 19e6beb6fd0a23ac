// classify: the catalog's classifier on SMTP replies and DSN lines as MTAs write them (hand-written here, after the
// forms real bounces take), on what it is given besides the text, and on garbage. (Its work on adversarial text
// grows linearly: linear.test.ts.)
import { findCommand, type SmtpCommand } from "mailcodes-runtime";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type BounceFacts,
  type BounceReason,
  classify,
  type SetupArea,
  type SmtpReplyCode,
} from "../generated/index.ts";

function expectClass(input: string | BounceFacts, expected: Record<string, unknown>): void {
  expect(classify(input)).toMatchObject(expected);
}

describe("classify: one SMTP reply", () => {
  // The classifier's matcher looks for the command markers in the folded text, and commandOf searches the lower case
  // only when it found one: the command must be findCommand's wherever folding changes how a marker is written.
  it.each([
    "550 5.1.1 User unknown (in reply to RCPT TO command)",
    "550 5.1.1 User unknown (IN REPLY TO RCPT TO command)",
    "550 5.1.1 User unknown (in reply to\nRCPT TO command)",
    "550 5.1.1 User unknown (in  reply\tto RCPT TO command)",
    "host mx.example.net said:\n550-5.1.1 in reply to\n550 5.1.1 MAIL FROM",
    ">>> DATA\n<<< 554 5.7.1 rejected",
    "\u201c>>> RCPT TO:<a@b.example>\u201d\n<<< 550 unknown",
    "SMTP error from remote mail server after RCPT TO:<a@b.example>: 550 unknown",
    "Connection refused after\tMAIL FROM",
    "554 5.7.1 Message rejected as spam (in reply to end of DATA command)",
    "550 rejected after end of\r\ndata",
    "421 mx.example.net refused to talk to me: 421 too busy",
    "connect to mx.example.net[192.0.2.1]:25: Connection timed out",
    "Connect To mx.example.net: timed out",
    "550 5.1.1 RCPT unknown, after DATA: rejected",
    "550 5.1.1 User unknown in virtual mailbox table",
    "Tal\u212a to me after RCPT",
  ])("finds the command of %j as findCommand does", (text) => {
    expect(classify(text).command).toBe(findCommand(text));
  });

  it("an unknown user at RCPT: a hard bounce, suppress the address", () => {
    expectClass(
      "550 5.1.1 <kijitora@example.jp>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)",
      {
        reason: "userunknown",
        hardBounce: true,
        action: "suppress",
        enhancedCode: "5.1.1",
        replyCode: 550,
        command: "RCPT",
      },
    );
  });

  it("Gmail's reply over continuation lines, with its help text and link", () => {
    const r = classify(
      "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550-5.1.1 unnecessary spaces. Learn more at\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123.456 - gsmtp",
    );
    expect(r).toMatchObject({ reason: "userunknown", hardBounce: true, enhancedCode: "5.1.1", replyCode: 550 });
    expect(r.matches.some((m) => m.source === "gmail")).toBe(true);
  });

  it("a full mailbox is soft, even as a 5xx: retry later", () => {
    expectClass("552 5.2.2 <neko@example.org>... Mailbox Full", {
      reason: "mailboxfull",
      hardBounce: false,
      action: "retry",
      enhancedCode: "5.2.2",
      replyCode: 552,
    });
    expectClass("452 4.2.2 The email account that you tried to reach is over quota.", {
      reason: "mailboxfull",
      hardBounce: false,
      enhancedCode: "4.2.2",
      replyCode: 452,
    });
  });

  it("a blocklisted sending host: fix the sender's reputation", () => {
    expectClass(
      "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1",
      {
        reason: "blocked",
        hardBounce: false,
        action: "fix-setup",
        setup: "reputation",
        enhancedCode: "5.7.1",
        replyCode: 554,
      },
    );
  });

  it("DMARC and SPF failures: fix the sender's authentication", () => {
    expectClass("550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy.", {
      reason: "authfailure",
      action: "fix-setup",
      setup: "authentication",
    });
    expectClass("550 5.7.23 SPF check: fail", { reason: "authfailure" });
  });

  it("no reverse DNS: fix the sending host's DNS", () => {
    expectClass("550 5.7.25 [192.0.2.1] The IP address sending this message does not have a PTR record setup", {
      reason: "requireptr",
      setup: "dns",
    });
  });

  it("a relay refused", () => {
    expectClass("554 5.7.1 <nobody@example.net>: Relay access denied (in reply to RCPT TO command)", {
      reason: "norelaying",
      hardBounce: false,
    });
  });

  it("a message too big, a spam verdict, a virus: change the message", () => {
    expectClass("552 5.3.4 Message size exceeds fixed maximum message size", {
      reason: "mesgtoobig",
      action: "change-message",
    });
    expectClass("554 5.7.1 Message rejected as spam by Content Filtering (in reply to end of DATA command)", {
      reason: "spamdetected",
      action: "change-message",
      command: "DATA",
    });
    expectClass("550 5.7.1 Virus detected in message (in reply to end of DATA command)", { action: "change-message" });
  });

  it("a domain that does not exist, a null MX", () => {
    expectClass(
      "550 5.1.2 <a@nonexistent.example>: Host or domain name not found. Name service error for name=nonexistent.example type=A: Host not found",
      { reason: "hostunknown", hardBounce: true },
    );
    expectClass(
      "556 5.1.10 <a@nullmx.example>: Recipient address rejected: Domain nullmx.example does not accept mail (nullMX)",
      { reason: "notaccept", hardBounce: true, replyCode: 556 },
    );
  });

  it("a disabled account is not a dead address: ask the recipient", () => {
    expectClass("550 5.2.1 The email account that you tried to reach is disabled.", {
      reason: "suspend",
      hardBounce: false,
      action: "ask-recipient",
    });
  });

  it("a delay, a greeting refused, an expired queue", () => {
    expectClass("421 4.4.2 Connection timed out", { hardBounce: false, replyCode: 421, enhancedCode: "4.4.2" });
    expectClass(
      { text: "Delivery to the following recipient has been delayed.", dsnAction: "delayed" },
      { reason: "expired", hardBounce: false, action: "retry" },
    );
  });

  it("a local delivery agent's failure: its own words, else a mailer error", () => {
    expectClass('procmail: Couldn\'t create "/var/spool/mail/neko"', { reason: "mailererror" });
    expectClass("mail.local: unknown user: neko", { reason: "userunknown" });
  });

  it("text with no rule is on hold; no text at all is undefined", () => {
    expectClass("Something went wrong, sorry.", { reason: "onhold", hardBounce: false, evidence: { kind: "none" } });
    expectClass("", { reason: "undefined" });
  });
});

describe("classify: codes anywhere, and never where they are not", () => {
  it("reads DSN fields, Postfix and Exim wording, #codes", () => {
    expectClass("Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <a@b.example>: user unknown", {
      enhancedCode: "5.1.1",
      replyCode: 550,
    });
    expectClass(
      "host mx.example.net[192.0.2.1] said: 550 5.1.1 <a@b.example>... User unknown (in reply to RCPT TO command)",
      { enhancedCode: "5.1.1", replyCode: 550, command: "RCPT" },
    );
    expectClass("Remote host said: 554 delivery error: dd This user doesn't have a example.com account (#5.1.1)", {
      enhancedCode: "5.1.1",
      replyCode: 554,
    });
  });

  it("keeps a multi-digit detail whole", () => {
    expectClass("550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.", {
      enhancedCode: "5.7.708",
    });
  });

  it("finds no code in dates, IP addresses, version numbers or sizes", () => {
    const r = classify("Arrival-Date: Thu, 29 Apr 2010 23:34:45 +0900 from 192.0.2.55 (Postfix 3.5.1) size=5511 bytes");
    expect(r.enhancedCode).toBeUndefined();
    expect(r.replyCode).toBeUndefined();
  });

  it("a Status field yields to the more specific code of the text, and to the reply code's class", () => {
    expectClass(
      { text: "550 5.1.1 <a@b.example>... User unknown", status: "5.0.0" },
      { enhancedCode: "5.1.1", reason: "userunknown" },
    );
    expectClass({ text: "421 4.7.0 Try again later", status: "5.5.0" }, { enhancedCode: "4.7.0", replyCode: 421 });
  });

  it("a code in the prose is an aside, not the status: the stated one stays", () => {
    expectClass("Diagnostic-Code: smtp; 550 5.1.1 user unknown (see 5.2.1)", {
      enhancedCode: "5.1.1",
      reason: "userunknown",
      hardBounce: true,
    });
    expectClass("550 5.1.1 <a@b.example>: does not exist (as RFC 3463 says of 5.7.1)", {
      enhancedCode: "5.1.1",
      reason: "userunknown",
    });
    expectClass("Diagnostic-Code: smtp; 5.1.0 - Unknown address error 550-'5.2.2 <a@b.example>... Mailbox Full'", {
      enhancedCode: "5.2.2",
      reason: "mailboxfull",
    });
    expectClass("The mailbox is full, as servers say with 5.2.2", { enhancedCode: "5.2.2" }); // no code stated: the aside is all there is
  });
});

describe("classify: what is known besides the text", () => {
  it("a provider's own wording counts for its hosts: Yahoo!'s deferral is a refused sender", () => {
    const text =
      "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1";
    expectClass({ text, remoteMta: "mta6.am0.yahoodns.net" }, { reason: "rejected", provider: "Yahoo" });
    expectClass(
      { text: "host mta6.am0.yahoodns.net[67.195.204.72] said: " + text },
      { reason: "rejected", provider: "Yahoo" },
    );
    expect(classify(text).reason).not.toBe("rejected");
  });

  it("a recipient's domain names the provider", () => {
    expectClass(
      { text: "550 Requested action not taken: mailbox unavailable", recipient: "someone@hotmail.com" },
      { reason: "userunknown", provider: "Outlook" },
    );
  });

  it("an MTA's own sentence counts in its reports", () => {
    expectClass({ text: "Unrouteable address", mta: "exim" }, { reason: "hostunknown" });
    expect(classify("Unrouteable address").reason).not.toBe("userunknown");
  });

  it("a reason the form gives is kept, unless it is a rough one the text refines", () => {
    expectClass(
      { text: "anything at all", reason: "feedback" },
      { reason: "feedback", evidence: { kind: "given", reason: "feedback" } },
    );
    expectClass({ text: "552 5.2.2 Mailbox full", reason: "userunknown" }, { reason: "mailboxfull" });
  });

  it("a reason that is not in the registry is ignored, not taken for undefined", () => {
    expectClass(
      // @ts-expect-error: the facts' reason is the registry's union, so the misspelling is a compile error too
      { text: "550 5.1.1 <a@b.example>: user unknown", reason: "userunkown" },
      { reason: "userunknown", hardBounce: true },
    );
  });

  it("a 2.x.x status is a delivery", () => {
    expectClass(
      { text: "250 2.6.0 Message received", status: "2.6.0" },
      { reason: "delivered", action: "none", hardBounce: false },
    );
  });

  it("the documents' policies come with the entries matched: SMP's invalidation, Arara's count", () => {
    const r = classify("550 5.1.1 <a@b.example>: User unknown");
    const smp = r.matches.find((m) => m.source === "smp-delivery-code");
    const arara = r.matches.find((m) => m.source === "arara-code");
    expect(smp?.attributes).toHaveProperty("invalidateAfterErrors");
    expect(arara?.code).toBe(550);
  });
});

describe("classify: the reasons as notices in other languages word them", () => {
  // Each sentence as a localized NDR, a provider or a carrier writes it; an unknown user's words decide only for a RCPT
  // reply (else they are filtered, as the passes read them), spam only with a status, a refused sender after MAIL.
  const RCPT = "RCPT";
  const table: { given: string | BounceFacts; want: BounceReason; phrase: string }[] = [
    {
      given: { text: "ann wasn't found at example.com.", command: RCPT },
      want: "userunknown",
      phrase: "wasn't found at",
    },
    {
      given: "Local mailbox ann@example.com is unavailable: the account has been disabled",
      want: "suspend",
      phrase: "the account has been disabled",
    },
    {
      given: { text: "Die eingegebene E-Mail-Adresse wurde nicht gefunden.", command: RCPT },
      want: "userunknown",
      phrase: "adresse wurde nicht gefunden",
    },
    {
      given: "Das Postfach des Empfängers ist voll und kann derzeit keine Nachrichten annehmen.",
      want: "mailboxfull",
      phrase: "postfach des empfängers ist voll",
    },
    { given: "Die Domäne existiert nicht", want: "hostunknown", phrase: "domäne existiert nicht" },
    { given: "Zeitüberschreitung beim Verbindungsaufbau", want: "expired", phrase: "zeitüberschreitung" },
    { given: { text: "554 Absender abgelehnt", command: "MAIL" }, want: "rejected", phrase: "absender abgelehnt" },
    { given: "Ihre IP-Adresse steht auf einer Sperrliste", want: "blocked", phrase: "auf einer sperrliste" },
    { given: "550 5.7.1 Die Nachricht wurde als Spam eingestuft", want: "spamdetected", phrase: "als spam eingestuft" },
    { given: "Die Nachricht ist zu groß.", want: "mesgtoobig", phrase: "nachricht ist zu groß" },
    { given: "Das Konto wurde deaktiviert.", want: "suspend", phrase: "konto wurde deaktiviert" },
    {
      given: { text: "L'adresse de messagerie que vous avez entrée est introuvable.", command: RCPT },
      want: "userunknown",
      phrase: "adresse de messagerie que vous avez entrée est introuvable",
    },
    {
      given: "La boîte aux lettres du destinataire est pleine.",
      want: "mailboxfull",
      phrase: "boîte aux lettres du destinataire est pleine",
    },
    { given: "Domaine inexistant", want: "hostunknown", phrase: "domaine inexistant" },
    { given: "Le délai d'attente a expiré", want: "expired", phrase: "délai d'attente a expiré" },
    { given: "Votre adresse IP est sur une liste noire", want: "blocked", phrase: "liste noire" },
    { given: "550 5.7.1 Message considéré comme spam", want: "spamdetected", phrase: "considéré comme spam" },
    { given: "552 Message trop volumineux", want: "mesgtoobig", phrase: "message trop volumineux" },
    { given: "Ce compte a été désactivé.", want: "suspend", phrase: "compte a été désactivé" },
    {
      given: { text: "No se encontró la dirección de correo electrónico que especificó.", command: RCPT },
      want: "userunknown",
      phrase: "no se encontró la dirección de correo electrónico",
    },
    {
      given: "El buzón del destinatario está lleno.",
      want: "mailboxfull",
      phrase: "buzón del destinatario está lleno",
    },
    { given: "Dominio inexistente", want: "hostunknown", phrase: "dominio inexistente" },
    { given: "Tiempo de espera agotado", want: "expired", phrase: "tiempo de espera agotado" },
    { given: "550 5.7.1 Mensaje detectado como spam", want: "spamdetected", phrase: "detectado como spam" },
    { given: "La cuenta ha sido deshabilitada.", want: "suspend", phrase: "cuenta ha sido deshabilitada" },
    {
      given: { text: "Impossibile trovare l'indirizzo di posta elettronica immesso.", command: RCPT },
      want: "userunknown",
      phrase: "impossibile trovare l'indirizzo di posta elettronica",
    },
    { given: "rossi@example.it: casella piena", want: "mailboxfull", phrase: "casella piena" },
    { given: "Messaggio troppo grande", want: "mesgtoobig", phrase: "messaggio troppo grande" },
    { given: "L'account è stato disabilitato.", want: "suspend", phrase: "account è stato disabilitato" },
    {
      given: { text: "silva@example.com.br - destinatário desconhecido", command: RCPT },
      want: "userunknown",
      phrase: "destinatário desconhecido",
    },
    { given: "Caixa postal cheia", want: "mailboxfull", phrase: "caixa postal cheia" },
    { given: "Domínio inexistente", want: "hostunknown", phrase: "domínio inexistente" },
    { given: "A conta foi desativada.", want: "suspend", phrase: "conta foi desativada" },
    { given: { text: "Gebruiker onbekend", command: RCPT }, want: "userunknown", phrase: "gebruiker onbekend" },
    { given: "Het postvak van de ontvanger is vol.", want: "mailboxfull", phrase: "postvak van de ontvanger is vol" },
    { given: { text: "Afzender geweigerd", command: "MAIL" }, want: "rejected", phrase: "afzender geweigerd" },
    { given: "Bericht is te groot", want: "mesgtoobig", phrase: "bericht is te groot" },
    { given: "Het account is uitgeschakeld.", want: "suspend", phrase: "account is uitgeschakeld" },
    {
      given: { text: "宛先のメールボックスが存在しません。", command: RCPT },
      want: "userunknown",
      phrase: "メールボックスが存在しません",
    },
    { given: "メールボックスがいっぱいです。", want: "mailboxfull", phrase: "メールボックスがいっぱい" },
    { given: "ドメインが存在しません。", want: "hostunknown", phrase: "ドメインが存在しません" },
    { given: "接続がタイムアウトしました。", want: "expired", phrase: "タイムアウト" },
    { given: "受信拒否設定により受信できません。", want: "filtered", phrase: "受信拒否" },
    { given: "送信元IPアドレスがブラックリストに登録されています。", want: "blocked", phrase: "ブラックリスト" },
    { given: "550 5.7.1 迷惑メールと判定されました。", want: "spamdetected", phrase: "迷惑メールと判定" },
    { given: "メッセージのサイズが大きすぎます。", want: "mesgtoobig", phrase: "サイズが大きすぎ" },
    { given: "アカウントが停止されています。", want: "suspend", phrase: "アカウントが停止" },
  ];
  it.each(table)("$given → $want", ({ given, want, phrase }) => {
    expectClass(given, { reason: want, evidence: { kind: "wording", source: "bounce-wording", phrase } });
  });

  it("words that say the address does not exist name an unknown user without a RCPT reply or a status; English words of an unknown user need one (else filtered); words of no reason are on hold", () => {
    expectClass("Die eingegebene E-Mail-Adresse wurde nicht gefunden.", { reason: "userunknown" });
    expectClass({ text: "550 no such user here", command: "DATA" }, { reason: "filtered" });
    expectClass("Das Postfach wurde verschoben.", { reason: "onhold" });
  });
});

describe("classify: the rules' contract and the result's types", () => {
  it("a phrase of the wording registry that decides before the passes holds against the status's reason", () => {
    // The row "blacklisted url in message" (pass: early); with its attribute misspelt it would silently give way to
    // 5.1.1's userunknown, which validate now refuses (validate.test.ts).
    expectClass(
      { text: "550 5.1.1 blacklisted URL in message", status: "5.1.1", command: "RCPT" },
      { reason: "spamdetected" },
    );
  });

  it("types setup exactly with fix-setup, and the reason, codes and command as the catalog's unions", () => {
    const r = classify(
      "550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy.",
    );
    expect(r).toMatchObject({ action: "fix-setup", setup: "authentication", replyCode: 550, enhancedCode: "5.7.26" });
    if (r.action === "fix-setup") expectTypeOf(r.setup).toEqualTypeOf<SetupArea>();
    else expectTypeOf(r.setup).toEqualTypeOf<undefined>();
    expectTypeOf(r.reason).toEqualTypeOf<BounceReason>();
    expectTypeOf(r.command).toEqualTypeOf<SmtpCommand | undefined>();
    expectTypeOf<SmtpReplyCode>().toMatchTypeOf<NonNullable<typeof r.replyCode>>();
  });
});

describe("classify never throws", () => {
  const inputs: unknown[] = [
    undefined,
    null,
    42,
    {},
    { text: 5 },
    { text: "550", status: 7, replyCode: "x", command: {}, reason: [] },
    { text: "550 5.1.1 x", replyCode: 999, status: "9.9.9" },
    "\0".repeat(10_000),
    "\ud800\udfff\ud800",
    "x".repeat(2_000_000),
    "550-".repeat(100_000),
    {
      get text(): string {
        throw new Error("a getter that throws");
      },
    },
    new Proxy(
      {},
      {
        get() {
          throw new Error("a proxy that throws");
        },
      },
    ),
  ];
  const named = (input: unknown, i: number) =>
    typeof input === "string"
      ? `a string of ${input.length}`
      : i >= inputs.length - 2
        ? ["an object whose getter throws", "a proxy that throws"][i - inputs.length + 2]
        : JSON.stringify(input);
  for (const [i, input] of inputs.entries()) {
    it(`on ${named(input, i)}`, () => {
      const r = classify(input as string);
      expect(typeof r.reason).toBe("string");
      expect(typeof r.hardBounce).toBe("boolean");
    });
  }
});
