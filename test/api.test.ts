// The generated API, as a consumer uses it: runtime behaviour of every kind of lookup, guard and parser, and
// type-level assertions (checked by `tsc` in `make test`; expectTypeOf does nothing at run time).
import { describe, expect, expectTypeOf, it } from "vitest";
import { AraraCode, type AraraCodeInfo, lookupAraraCode, parseAraraCode } from "../generated/arara-code.ts";
import { lookupDeliveryErrorDetail, parseDeliveryErrorDetail } from "../generated/delivery-error-detail.ts";
import {
  type EnhancedStatusCode,
  type EnhancedStatusCodeInfo,
  type EnhancedStatusCodePermanent,
  type EnhancedStatusCodeTransient,
  isEnhancedStatusCode,
  lookupEnhancedStatusCode,
  parseEnhancedStatusCode,
} from "../generated/enhanced-status-subject-detail.ts";
import {
  GmailError,
  type GmailErrorInfo,
  gmailErrorFromName,
  isGmailError,
  lookupGmailError,
  parseGmailError,
} from "../generated/gmail.ts";
import { lookupHelpReplyCode } from "../generated/help-reply-code.ts";
import { type CodeInfo, type InfoBySource, lookup } from "../generated/index.ts";
import { OutlookComError, parseOutlookComError } from "../generated/outlook-com.ts";
import {
  isReasonByReply,
  lookupReasonByReply,
  parseReasonByReply,
  type ReasonByReply,
} from "../generated/reason-by-reply.ts";
import {
  lookupSmpDeliveryCode,
  parseSmpDeliveryCode,
  SmpDeliveryCode,
  type SmpDeliveryCodeInfo,
} from "../generated/smp-delivery-code.ts";
import {
  isSmtpReplyCode,
  lookupAllSmtpReplyCode,
  lookupSmtpReplyCode,
  parseSmtpReplyCode,
  SmtpReplyCode,
  type SmtpReplyCodeInfo,
  type SmtpReplyCodePermanent,
  type SmtpReplyCodeTransient,
  smtpReplyCodeFromName,
  smtpReplyCodeInfos,
} from "../generated/smtp-reply-code.ts";
import { parseYahooMailError, YahooMailError } from "../generated/yahoo-mail.ts";

describe("enums", () => {
  it("are as-const objects whose members are the codes", () => {
    expect(SmtpReplyCode.MailboxUnavailable).toBe(550);
    expect(SmpDeliveryCode.MailboxUnavailable).toBe(42550);
    expect(AraraCode.MaybeForwarding).toBe(-502);
    expect(OutlookComError.SpamLikeContentOrReputation).toBe("SC-001");
    expectTypeOf(SmtpReplyCode.MailboxUnavailable).toEqualTypeOf<550>();
    expectTypeOf<550>().toExtend<SmtpReplyCode>();
    expectTypeOf<599>().not.toExtend<SmtpReplyCode>();
  });
});

describe("lookups", () => {
  it("return all of an entry's data, typed", () => {
    const info = lookupSmtpReplyCode(550);
    expect(info).toEqual({
      source: "smtp-reply-code",
      code: 550,
      name: "MailboxUnavailable",
      outcome: "permanent",
      outcomeBasis: "code-class",
      texts: {
        text: "Requested action not taken: mailbox unavailable (e.g., mailbox not found, no access, or command rejected for policy reasons)",
      },
      attributes: { definedIn: "RFC 5321", section: "4.2.3" },
    });
    expectTypeOf(lookupSmtpReplyCode(550)).toEqualTypeOf<SmtpReplyCodeInfo>();
  });

  it("return undefined for unknown values, never throwing", () => {
    for (const value of [599, "550", null, undefined, {}, [], "__proto__", "constructor", NaN, -0.5]) {
      expect(lookupSmtpReplyCode(value)).toBeUndefined();
      expect(lookupGmailError(value)).toBeUndefined();
      expect(lookup("smp-delivery-code", value)).toBeUndefined();
    }
    expect(lookup("no-such-source" as "gmail", "ServerBusy")).toBeUndefined();
    expectTypeOf(lookupSmtpReplyCode(599 as unknown)).toEqualTypeOf<SmtpReplyCodeInfo | undefined>();
  });

  it("include a readonly map of every entry, in the document's order", () => {
    // One per code: 454 and 530 are defined twice (by two RFCs each), and the map holds the first.
    expect([...smtpReplyCodeInfos.keys()]).toEqual([...new Set(Object.values(SmtpReplyCode))]);
    expect(smtpReplyCodeInfos.get(454)?.name).toBe("TlsNotAvailable");
    expect(smtpReplyCodeInfos.get(550)).toBe(lookupSmtpReplyCode(550));
    expectTypeOf(smtpReplyCodeInfos).toEqualTypeOf<ReadonlyMap<SmtpReplyCode, SmtpReplyCodeInfo>>();
  });

  it("map names to codes", () => {
    expect(smtpReplyCodeFromName("MailboxUnavailable")).toBe(550);
    expect(gmailErrorFromName("ServerBusy")).toBe("ServerBusy");
    expect(smtpReplyCodeFromName("mailboxunavailable")).toBeUndefined();
    expect(smtpReplyCodeFromName("toString")).toBeUndefined();
  });

  it("keep the document's typed data: counts, invalidation rules, ditto marks and errata", () => {
    expect(lookupAraraCode(552).attributes.count).toBe(0.1);
    expect(lookupAraraCode(-3).attributes).toEqual({ location: "system" });
    expect(lookupSmpDeliveryCode(42551).attributes.invalidateAfterErrors).toBe(1);
    expect(lookupSmpDeliveryCode(42550).attributes.invalidateAfterErrors).toBe(3);
    expect(lookupSmpDeliveryCode(40001).ditto).toEqual({ action: { mark: "同上", from: 40000 } });
    expect(lookupSmpDeliveryCode(40001).texts.action).toBe(lookupSmpDeliveryCode(40000).texts.action);
    expect(lookupHelpReplyCode(211).erratum?.sourceReads).toBe(221);
    expectTypeOf<AraraCodeInfo["attributes"]["count"]>().toEqualTypeOf<1 | 0.5 | 0.1 | undefined>();
    expectTypeOf<SmpDeliveryCodeInfo["attributes"]["invalidateAfterErrors"]>().toEqualTypeOf<1 | 3>();
  });

  it("type cross-references with the standard code sets", () => {
    const info = lookupGmailError(GmailError.AccountDoesNotExist);
    expect([info.replyCode, info.enhancedCode]).toEqual([550, "5.1.1"]);
    expect(lookupSmtpReplyCode(info.replyCode!).texts.text).toMatch(/^Requested action not taken: mailbox unavailable/);
    expectTypeOf<GmailErrorInfo["replyCode"]>().toEqualTypeOf<SmtpReplyCode>();
    expectTypeOf<GmailErrorInfo["enhancedCode"]>().toEqualTypeOf<EnhancedStatusCode>();
    // 454 is RFC 3207's and RFC 4954's, so a standard reference now.
    expect(lookupGmailError(GmailError.PipeliningAfterStarttls).replyCode).toBe(454);
    expect(lookupAllSmtpReplyCode(454).map((info) => info.attributes.definedIn)).toEqual(["RFC 3207", "RFC 4954"]);
  });

  it("look a concrete enhanced status code up in the registry, with its class's meaning", () => {
    const info = lookupEnhancedStatusCode("5.1.1");
    expect([
      info.code,
      info.class.code,
      info.class.outcome,
      info.subjectDetail.code,
      info.subjectDetail.texts.sampleText,
    ]).toEqual(["5.1.1", 5, "permanent", "X.1.1", "Bad destination mailbox address"]);
    expect(lookupEnhancedStatusCode("4.7.26")?.class.texts.summary).toBe("Persistent Transient Failure");
    expect(["5.9.9", "X.1.1", "6.1.1", 511].map(lookupEnhancedStatusCode)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expectTypeOf(lookupEnhancedStatusCode("5.1.1")).toEqualTypeOf<EnhancedStatusCodeInfo>();
    expectTypeOf(lookupEnhancedStatusCode("5.1.1" as unknown)).toEqualTypeOf<EnhancedStatusCodeInfo | undefined>();
  });

  it("find a code inside a row's range, which the guard accepts and the parser gives as written", () => {
    expect(lookupReasonByReply(503)?.code).toBe("501-507");
    expect([isReasonByReply(503), isReasonByReply(508)]).toEqual([true, false]);
    expect(parseReasonByReply("503 5.5.1 Bad sequence of commands")).toBe(503);
    expectTypeOf<503>().toExtend<ReasonByReply>();
    expectTypeOf<508>().not.toExtend<ReasonByReply>();
  });

  it("lookup(source, code) follows its source argument", () => {
    expect(lookup("gmail", "ServerBusy")?.enhancedCode).toBe("4.4.5");
    expect(lookup("smp-delivery-code", 42521).attributes.invalidateAfterErrors).toBe(1);
    expectTypeOf(lookup("gmail", "ServerBusy")).toEqualTypeOf<InfoBySource["gmail"]>();
    expectTypeOf(lookup("smp-delivery-code", 42521)).toEqualTypeOf<SmpDeliveryCodeInfo>();
  });
});

describe("discriminated unions", () => {
  it("narrow the code on the outcome and the source", () => {
    const info = lookupSmtpReplyCode(421) as SmtpReplyCodeInfo;
    if (info.outcome === "transient") expectTypeOf(info.code).toEqualTypeOf<SmtpReplyCodeTransient>();
    if (info.outcome === "permanent") expectTypeOf(info.code).toEqualTypeOf<SmtpReplyCodePermanent>();
    expect(info.outcome).toBe("transient");
    const any = lookup("gmail", "ServerBusy") as CodeInfo;
    if (any.source === "gmail") expectTypeOf(any).toEqualTypeOf<GmailErrorInfo>();
    expectTypeOf<SmtpReplyCodePermanent>().toEqualTypeOf<
      500 | 501 | 502 | 503 | 504 | 550 | 551 | 552 | 553 | 554 | 555 | 521 | 530 | 534 | 535 | 538 | 556
    >();
  });

  it("give per-class unions of enhanced status codes", () => {
    expectTypeOf<"4.4.7">().toExtend<EnhancedStatusCodeTransient>();
    expectTypeOf<"5.4.7">().not.toExtend<EnhancedStatusCodeTransient>();
    expectTypeOf<"5.1.1">().toExtend<EnhancedStatusCodePermanent>();
    expectTypeOf<"5.9.9">().not.toExtend<EnhancedStatusCode>();
  });
});

describe("guards", () => {
  it("accept exactly the codes", () => {
    expect(isSmtpReplyCode(550)).toBe(true);
    expect([599, "550", null, 550.5].some(isSmtpReplyCode)).toBe(false);
    expect(isGmailError("ServerBusy")).toBe(true);
    expect(isGmailError("serverbusy")).toBe(false);
    expect(isEnhancedStatusCode("5.1.1")).toBe(true);
    expect(["6.1.1", "5.9.9", "5.1.1 ", 511, "5.01.1"].some(isEnhancedStatusCode)).toBe(false);
    const value: unknown = 550;
    if (isSmtpReplyCode(value)) expectTypeOf(value).toEqualTypeOf<SmtpReplyCode>();
  });
});

describe("parsers", () => {
  it("read reply codes in the forms logs show", () => {
    expect(parseSmtpReplyCode("550")).toBe(550);
    expect(parseSmtpReplyCode("  550 5.1.1 The email account that you tried to reach does not exist.")).toBe(550);
    expect(parseSmtpReplyCode("550-5.1.1 The email account that you tried to reach does not exist. Please try")).toBe(
      550,
    );
    for (const bad of ["", "5500", "599", "55", "abc", "-550", "550x"])
      expect(parseSmtpReplyCode(bad), bad).toBeUndefined();
  });

  it("read enhanced status codes in the forms logs show", () => {
    expect(parseEnhancedStatusCode("5.1.1")).toBe("5.1.1");
    expect(parseEnhancedStatusCode(" #4.4.1 ")).toBe("4.4.1");
    expect(parseEnhancedStatusCode("(#4.4.3)")).toBe("4.4.3");
    expect(parseEnhancedStatusCode("550-5.1.1 The email account")).toBe("5.1.1");
    expect(parseEnhancedStatusCode("451 4.3.0 Mail server temporarily rejected message.")).toBe("4.3.0");
    for (const bad of ["", "6.1.1", "5.9.9", "5.1.11", "5.1", "x.1.1"])
      expect(parseEnhancedStatusCode(bad), bad).toBeUndefined();
    expect(parseDeliveryErrorDetail("5.1.1")).toBe("x.1.1");
    expect(lookupDeliveryErrorDetail(parseDeliveryErrorDetail("550 5.4.7 …")!)?.texts.meaning).toBe(
      "メッセージが古すぎるため、受取が拒否された",
    );
  });

  it("read services' own codes and providers' codes", () => {
    expect(parseSmpDeliveryCode(" 42550 ")).toBe(42550);
    expect(parseAraraCode("-502")).toBe(-502);
    expect(parseAraraCode("-5022")).toBeUndefined();
    expect(parseOutlookComError("550 SC-001 (BAY004-MC1F21) Unfortunately, messages from 1.2.3.4 weren't sent.")).toBe(
      "SC-001",
    );
    expect(parseOutlookComError("sc-004")).toBe("SC-004");
    expect(parseOutlookComError("XX-001")).toBeUndefined();
  });

  it("find providers' messages in bounce lines, continuation prefixes and placeholders included", () => {
    const bounce = [
      "550-5.1.1 The email account that you tried to reach does not exist. Please try",
      "550-5.1.1 double-checking the recipient’s email address for typos or",
      "550-5.1.1 unnecessary spaces. For more information, see Fix bounced or rejected emails.",
    ].join("\r\n");
    expect(parseGmailError(bounce)).toBe(GmailError.AccountDoesNotExist);
    expect(parseGmailError("421 4.7.0 Try again later, closing connection.")).toBe(
      GmailError.TryAgainLaterClosingConnection,
    );
    expect(parseGmailError("nothing like a Gmail message")).toBeUndefined();
    expect(
      parseYahooMailError(
        "user@example.jp: 192.0.2.1 does not like recipient.\nRemote host said: 553\nNo such user here\nGiving up on 192.0.2.1",
      ),
    ).toBe(
      YahooMailError[Object.keys(YahooMailError).find((k) => k.includes("NoSuchUser")) as keyof typeof YahooMailError],
    );
  });
});
