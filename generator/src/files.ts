// files: reading files bounded, and saying what went wrong with one, for the loader and the out dir alike (neither
// needs the other: the command line loads the out dir's code without the YAML parser).
import type { Stats } from "node:fs";
import type { FileHandle } from "node:fs/promises";

/**
 * At most `limit` bytes of an open file, in chunks, stopping at its end; `complete` is false when there was more.
 * The size a file claims (`sizeHint`) only chooses the first chunk: the count is of the bytes actually read.
 */
export async function readBounded(
  handle: FileHandle,
  limit: number,
  sizeHint = 0,
): Promise<{ bytes: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (
    let chunkSize = Math.min(Math.max(sizeHint + 1, 64 * 1024), limit + 1);
    ;
    chunkSize = Math.min(1024 * 1024, limit + 1 - total)
  ) {
    const chunk = Buffer.allocUnsafe(chunkSize);
    const { bytesRead } = await handle.read(chunk, 0, chunkSize, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > limit) return { bytes: Buffer.concat(chunks, total).subarray(0, limit), complete: false };
  }
  return { bytes: Buffer.concat(chunks, total), complete: true };
}

/** What a file system entry is, for messages: "directory", "named pipe (FIFO)"… */
export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "directory";
  if (stats.isFIFO()) return "named pipe (FIFO)";
  if (stats.isSocket()) return "socket";
  if (stats.isCharacterDevice()) return "character device";
  if (stats.isBlockDevice()) return "block device";
  if (stats.isSymbolicLink()) return "symbolic link";
  return stats.isFile() ? "regular file" : "special file";
}

/** "ENOENT: no such file or directory" without the path Node appends (the message names the file already). */
export function describeFsError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code === undefined
    ? String(message)
    : `${code}: ${message.replace(/^[A-Z]+: /, "").replace(/, \w+ '.*'$/s, "")}`;
}
