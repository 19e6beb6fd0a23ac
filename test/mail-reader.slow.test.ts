// What a hostile mail costs classifyBounce, measured in a process of its own (a fresh heap, its own peak memory):
// process CPU time and the growth of its resident memory, with wide margins (issue 19, items 1 and 6). A body of
// base64 written as "A=" repeated took 3 s and 600 MB at 1 MiB, 29 s and 4.2 GB at 8 MiB; now it costs about what an
// ordinary mail of its size does. mail-reader.test.ts counts the same work in the fast tier.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { MAX_MAIL_BYTES } from "../packages/mailcodes-bounce/src/index.ts";
import { ROOT } from "./helpers.ts";

const exec = promisify(execFile);

/** Classifies one mail of hostile-mail.ts in a new process, after a warm-up: CPU ms and resident memory growth in MiB. */
const MEASURE = `
const { mail, size, lines } = JSON.parse(process.env.MAIL);
const { classifyBounce } = await import("./packages/mailcodes-bounce/src/index.ts");
const mails = await import("./test/hostile-mail.ts");
await classifyBounce(mails.ordinaryMail(64 * 1024));
const text = mails[mail](size, lines);
const rss = process.memoryUsage().rss;
const start = process.cpuUsage();
const results = await classifyBounce(text);
const used = process.cpuUsage(start);
const growth = (process.resourceUsage().maxRSS * 1024 - rss) / 2 ** 20;
console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000, growthMiB: growth, recipients: results.length }));
`;

interface Cost {
  readonly cpuMs: number;
  readonly growthMiB: number;
  readonly recipients: number;
}

async function cost(mail: string, size: number, lines?: boolean): Promise<Cost> {
  const env = { ...process.env, MAIL: JSON.stringify({ mail, size, lines }) };
  const args = ["--import", "tsx", "--input-type=module", "-e", MEASURE];
  const { stdout } = await exec(process.execPath, args, { cwd: ROOT, env, maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout) as Cost;
}

const MiB = 1024 * 1024;
/** The largest mail read whole (the DSN after the body must stay inside the limit). */
const LARGE = MAX_MAIL_BYTES - 64 * 1024;

describe("a hostile mail costs about what an ordinary mail of its size does", () => {
  it("an ordinary mail, for comparison, is read and gives its recipient", async () => {
    expect(await cost("ordinaryMail", LARGE)).toMatchObject({ recipients: 1 });
  }, 120_000);

  for (const lines of [false, true]) {
    it(`a base64 body of "A=" repeated (${lines ? "in lines of 76" : "in one line"}): memory a small multiple of its size, time linear and like an ordinary mail's (item 1)`, async () => {
      const small = await cost("paddedBase64Mail", MiB, lines);
      expect(small.growthMiB, "1 MiB: resident memory grown, MiB").toBeLessThan(16);
      const large = await cost("paddedBase64Mail", LARGE, lines);
      expect(large.recipients).toBe(1);
      expect(large.growthMiB, "8 MiB: resident memory grown, MiB").toBeLessThan(16 * 8);
      expect(large.cpuMs / small.cpuMs, `${small.cpuMs} ms, then ${large.cpuMs} ms`).toBeLessThan(2.5 * 8);
      const ordinary = await cost("ordinaryMail", LARGE);
      expect(large.cpuMs, `an ordinary mail of the size: ${ordinary.cpuMs} ms`).toBeLessThan(3 * ordinary.cpuMs + 100);
    }, 180_000);
  }

  it('a Diagnostic-Code of "said: " repeated: memory a small multiple of its size, time linear (item 6)', async () => {
    const small = await cost("saidMail", MiB);
    const large = await cost("saidMail", LARGE);
    expect(large.recipients).toBe(1);
    expect(large.growthMiB, "8 MiB: resident memory grown, MiB").toBeLessThan(16 * 8);
    expect(large.cpuMs / small.cpuMs, `${small.cpuMs} ms, then ${large.cpuMs} ms`).toBeLessThan(2.5 * 8);
  }, 120_000);
});
