// Bundles carry only what is used (issue 20): a lookup brings no text parser, an enum nothing but its members.
import { describe, expect, it } from "vitest";
import { measure, runtimeModules } from "../bench/bundles.ts";

const consumer = (name: string, use: string) =>
  `import { ${name} } from "./generated/smtp-reply-code.ts"; console.log(${use});`;

describe("a consumer's bundle", () => {
  it("of an enum holds its members and no runtime", async () => {
    const enumOnly = await measure(consumer("SmtpReplyCode", "SmtpReplyCode.MailboxUnavailable"));
    expect(runtimeModules(enumOnly)).toBe("none");
    expect(enumOnly.bytes).toBeLessThanOrEqual(1200);
  });

  it("of a lookup holds the set's index and none of the text readers", async () => {
    const lookup = await measure(consumer("lookupSmtpReplyCode", "lookupSmtpReplyCode(550)"));
    expect(runtimeModules(lookup)).toBe("code-set, codes");
  });

  it("of a parser holds the text readers, through code-parse", async () => {
    const parse = await measure(consumer("parseSmtpReplyCode", 'parseSmtpReplyCode("550 x")'));
    expect(runtimeModules(parse).split(", ")).toEqual(expect.arrayContaining(["code-parse", "find-codes", "matcher"]));
  });
});
