// Preloaded into a measured process: reports its peak resident memory on exit (portable; no /usr/bin/time needed).
import { writeSync } from "node:fs";

process.on("exit", () => writeSync(2, `\nBENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`));
