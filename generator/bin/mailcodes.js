#!/usr/bin/env node
// The mailcodes CLI: runs the generator compiled to dist/ (`npm run build`, or any make target, builds it; the
// published package carries it).
let cli;
try {
  cli = await import("../dist/cli.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(error.message)?.[1] ?? "a module";
  process.stderr.write(
    `mailcodes: cannot start: ${missing} is missing. In a clone of the repository run \`make build\`; elsewhere ` +
      "reinstall the package.\n",
  );
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
