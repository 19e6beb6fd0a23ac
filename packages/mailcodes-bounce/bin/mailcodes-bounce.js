#!/usr/bin/env node
// mailcodes-bounce: classify bounces from the command line (the package's dist/cli.js, built at pack time).
const { main } = await import("../dist/cli.js");
process.exitCode = await main(process.argv.slice(2));
