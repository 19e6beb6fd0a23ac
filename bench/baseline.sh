#!/bin/sh
# The code of a commit (today's start), built in a folder of its own outside the repository, so that
# bench/classify.ts can measure the packages against it in the same run: sh bench/baseline.sh <commit> <dir>.
# The folder is the commit's tree (git archive: no worktree is registered), installed and built as its README says.
set -eu
commit=$1
dir=$2
rm -rf "$dir"
mkdir -p "$dir"
git archive "$commit" | tar -x -C "$dir"
cd "$dir"
npm ci --prefer-offline --no-audit --no-fund --loglevel=error
npm run -s build
touch .built
