// mailcodes-runtime: what generated catalogs call at run time — code sets (lookups, guards, parsers), the text
// readers behind them, and the classifier engine. Zero dependencies, ES2020; every reader is linear in its text.
// Modules: chars (character classes) → codes (formats, outcomes, registries, ranges, code shapes) → find-codes
// (codes in text) → fold → matcher (phrases and messages) → code-set (a set's index and lookups) → code-parse (its parsers); smtp-command; classify.
export { isAlphanumeric, isAsciiLetter, isCodeJoined, isCommandJoined, isDigit } from "./chars.js";
export * from "./classification.js";
export * from "./classify.js";
export { parseEntryIn, parseIn } from "./code-parse.js";
export {
  type CodeSetIndex,
  type CodeSetOptions,
  codeFromName,
  codeSet,
  type EntryData,
  entriesByCode,
  hasCode,
  lookupAllIn,
  lookupEnhancedCode,
  lookupIn,
  spelledIn,
} from "./code-set.js";
export {
  CODE_FORMATS,
  type Code,
  type CodeFormat,
  inRange,
  isEnhancedToken,
  isReplyToken,
  OUTCOMES,
  type Outcome,
  parseRange,
  patternMatches,
  type Range,
  REGISTRIES,
  type Registry,
  splitEnhancedCode,
} from "./codes.js";
export {
  type CodeContext,
  type FoundCode,
  type FoundCodes,
  findCodes,
  pickEnhancedCode,
  pickReplyCode,
} from "./find-codes.js";
export { foldText } from "./fold.js";
export { type MessageGroup, MessageMatcher } from "./matcher.js";
export { GATED_REASONS, type GatedReason } from "./reasons.js";
export * from "./rule-rows.js";
export { findCommand, SMTP_COMMANDS, type SmtpCommand, smtpCommandOf } from "./smtp-command.js";
