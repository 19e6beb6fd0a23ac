// The readers, in the order they are tried: formats that are exclusive by their form first, then the MTAs' own
// formats (each checks its fingerprints: Subject, From, headers, its wording), then the generic DSN, then the
// prose of a bounce with no fields, then auto-replies. The first that finds a recipient wins.
import type { Format } from "../report.js";
import { amazonses } from "./amazonses.js";
import { autoreply } from "./autoreply.js";
import { feedback } from "./feedback.js";
import { plaintext } from "./plaintext.js";
import { rfc3464 } from "./rfc3464.js";

export const FORMATS: readonly Format[] = [feedback, amazonses, rfc3464, plaintext, autoreply];
