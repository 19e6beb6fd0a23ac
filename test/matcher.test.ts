// MessageMatcher.matchAll given the text's lower case takes the text for plain and scans it as it is, folding it only
// when the scan meets a character that says it is not: it must find what folding first finds.
import { describe, expect, it } from "vitest";
import { MessageMatcher } from "../packages/runtime/src/matcher.ts";

const PHRASES = [
  "user unknown",
  "mailbox full",
  "5.1.1 bad destination",
  "no such user",
  "über",
  "“quoted” words",
  "does not exist",
];

const TEXTS = [
  "550 5.1.1 User unknown",
  "550-5.1.1 user unknown",
  "550 5.1.1 Bad destination mailbox full",
  "User  unknown (two spaces)",
  " user unknown (a leading space)",
  "user unknown (a trailing space) ",
  "user\tunknown",
  "user\nunknown",
  "550-5.1.1 The user\r\n550-5.1.1 does not exist",
  "user unknown\u0001 after a control",
  "\u007fno such user after DEL",
  "Über alles: no such user",
  "“Quoted” words, mailbox full",
  "user unknown\u00a0mailbox full",
  "the mailbox full of the user unknown, and nothing else",
  "",
  "5",
  "550",
  "550 ",
];

describe("MessageMatcher.matchAll with the lower case", () => {
  it.each([
    ["phrases", PHRASES],
    ["phrases, one with a control character", [...PHRASES, "tab\u0001here"]],
  ])("finds what it finds folding first, in %s", (_, phrases) => {
    const matcher = new MessageMatcher(phrases, [], { whole: true });
    for (const text of TEXTS) {
      expect([text, matcher.matchAll(text, text.toLowerCase())]).toEqual([text, matcher.matchAll(text)]);
    }
    // Found at all: the texts are not all misses.
    expect(TEXTS.filter((text) => matcher.matchAll(text, text.toLowerCase()).length > 0).length).toBeGreaterThan(8);
  });
});

describe("a matcher whose rows outgrow two bytes a number", () => {
  it("finds every phrase of a text that makes more than 32,767 rows, and then the few of another", () => {
    // Every four-letter word of 14 letters: 41,371 states, each made a row by a text that holds every word.
    const letters = "abcdefghijklmn";
    const words: string[] = [];
    for (const a of letters)
      for (const b of letters) for (const c of letters) for (const d of letters) words.push(a + b + c + d);
    const matcher = new MessageMatcher(words, [], { whole: true });
    const text = words.join(" ");
    expect(matcher.matchAll(text)).toEqual(words.map((_, i) => i));
    expect(matcher.matchAll("xx nmlk xx mmmm")).toEqual([words.indexOf("mmmm"), words.indexOf("nmlk")]);
    expect(matcher.matchAll("abc")).toEqual([]);
  });
});
