#!/usr/bin/env bash
# Paired A/B timing of the working tree against an earlier revision, on the same files in one
# process (tools/ab.rs says how it pairs and what it prints):
#
#   tools/ab.sh BASE_REV LEVEL CHUNK ROUNDS FILE|@LIST...
#   tools/ab.sh HEAD~1 2 16K 7 @web.list        # level 2, 16 KiB calls, 7 rounds
#
# BASE_REV is checked out in a worktree under target/ab-base with its package renamed
# `slz_base`, so that both builds link into one binary (target/ab). Measure on both corpora:
# e.g. one list of 1 MiB prefixes of the shared files and one of every fourth web file.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 5 ] || { sed -n '2,10p' "$0"; exit 2; }
rev=$(git -C "$root" rev-parse --verify "$1^{commit}")
shift
work=$root/target/ab
base=$root/target/ab-base
mkdir -p "$work/src"
if [ -d "$base" ]; then
    git -C "$base" checkout -q -f --detach "$rev"
else
    git -C "$root" worktree prune
    git -C "$root" worktree add -q --detach "$base" "$rev"
fi
sed -i '0,/^name = "slz"$/s//name = "slz_base"/' "$base/Cargo.toml"
cp "$root/tools/ab.rs" "$work/src/main.rs"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "slz-ab"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
slz = { path = "$root" }
slz_base = { package = "slz_base", path = "$base" }

[profile.release]
debug = true

[workspace]
TOML
cargo build --quiet --release --manifest-path "$work/Cargo.toml" --target-dir "$work/target"
exec "$work/target/release/slz-ab" "$@"
