// limits: how much of a mail the readers take. Each bounds the work one hostile mail can cause: a real bounce is far
// inside them all.

/** The most of a mail read: beyond it a bounce is only its returned message's body, and reading stops. */
export const MAX_MAIL_BYTES = 8 * 1024 * 1024;

/**
 * The most lines of a mail read (once its returned messages' bodies are set aside): a real bounce has
 * a few hundred; each line costs postal-mime a Blob chunk on Node 20, so a mail of a million short lines would take
 * seconds where this many take milliseconds.
 */
export const MAX_MAIL_LINES = 10_000;

/** The most recipients one mail is read for (in the order it reports them); the rest are not reported. */
export const MAX_RECIPIENTS = 1000;

/** The most of one recipient's text classified: a diagnostic is a few lines; a longer one is cut. */
export const MAX_TEXT_CHARS = 16 * 1024;
