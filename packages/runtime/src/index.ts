// mailcodes-runtime: what generated catalogs call at run time — code sets (lookups, guards, parsers), the text
// readers behind them, and the classifier engine. Zero dependencies, ES2020.
export * from "./code-set.js";
export * from "./smtp-command.js";
export * from "./classify.js";
