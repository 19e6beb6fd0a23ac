// mailcodes-runtime: what generated catalogs call at run time — code sets (lookups, guards, parsers), the text
// readers behind them, and the classifier engine. Zero dependencies, ES2020; every reader is linear in its text.
// Modules: chars (character classes) → codes (formats, outcomes, registries, ranges, code shapes) → find-codes
// (codes in text) → fold → matcher (phrases and messages) → code-set (a set's index and lookups) → code-parse (its parsers); smtp-command; classify.
export { isAlphanumeric, isAsciiLetter, isCodeJoined, isCommandJoined, isDigit } from "./chars.js";
export {
  CODE_FORMATS,
  inRange,
  isEnhancedToken,
  isReplyToken,
  OUTCOMES,
  parseRange,
  patternMatches,
  REGISTRIES,
  splitEnhancedCode,
  type Code,
  type CodeFormat,
  type Outcome,
  type Range,
  type Registry,
} from "./codes.js";
export { findCodes, pickEnhancedCode, pickReplyCode, type CodeContext, type FoundCode, type FoundCodes } from "./find-codes.js";
export { foldText } from "./fold.js";
export { MessageMatcher, type MessageGroup } from "./matcher.js";
export {
  codeFromName,
  codeSet,
  entriesByCode,
  hasCode,
  lookupAllIn,
  lookupEnhancedCode,
  lookupIn,
  spelledIn,
  type CodeSetIndex,
  type CodeSetOptions,
  type EntryData,
} from "./code-set.js";
export { parseEntryIn, parseIn } from "./code-parse.js";
export { findCommand, SMTP_COMMANDS, smtpCommandOf, type SmtpCommand } from "./smtp-command.js";
export * from "./classification.js";
export * from "./rule-rows.js";
export { GATED_REASONS, type GatedReason } from "./reasons.js";
export * from "./classify.js";
