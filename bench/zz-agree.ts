import { classifyBounce } from "mailcodes-bounce";
import { agreement, mailOf, samples } from "../test/bounce-corpus.ts";
const runs = [];
for (const sample of samples()) runs.push({ sample, results: await classifyBounce(mailOf(sample)) });
const a = agreement(runs);
const o = a.overall;
console.log("reason", o.reason.join("/"), "hard", o.hard.join("/"), "status", o.status.join("/"), "reply", o.reply.join("/"));
for (const m of (a as any).misses ?? []) console.log(m.id, m.index, m.what, m.expected, m.got);
