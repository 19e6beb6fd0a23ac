// googlegroups: Google Groups' refusals (from Google's mailer daemon, with X-Failed-Recipients): "the group you tried
// to contact … may not exist, or you may not have permission to post", in the poster's language.
import { fieldAddresses } from "../address.js";
import { fromGoogle } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

export const googlegroups = {
  format: "googlegroups",
  read(report: Report): BounceRecord[] | undefined {
    if (
      !fromGoogle(report) ||
      report.header("x-failed-recipients") === "" ||
      report.header("x-google-smtp-source") === "" ||
      report.mail.text.indexOf("Google Groups") === -1
    )
      return undefined;
    // The reasons a post can fail are listed as four bullets: the group does not exist, or the sender may not post.
    const text = report.mail.text;
    let bullets = 0;
    for (let at = text.indexOf("\n *"); at !== -1; at = text.indexOf("\n *", at + 3)) bullets++;
    if (bullets === 0) for (let at = text.indexOf("\n*"); at !== -1; at = text.indexOf("\n*", at + 2)) bullets++;
    const reason = bullets === 4 ? "rejected" : "onhold";
    const said = squeeze(text);
    return fieldAddresses(report.header("x-failed-recipients")).map((recipient) => ({
      recipient,
      text: said,
      reason,
    }));
  },
} as const satisfies Reader;
