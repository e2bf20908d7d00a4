# Shared by the in-process benchmark scripts (bench-standard, bench-assess):
# the binary to run, the revision line, and writing one marked section of
# the report. Source it after `cd` to the repository root with `log` defined.

# Installs the Debian packages named when their commands are missing
# (`need_tools wrk curl`): wrk is not on a fresh machine.
need_tools() {
  local missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing ${missing[*]} (Debian packages)"
  (apt-get install -y -qq "${missing[@]}" || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }) >/dev/null 2>&1
  for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || { log "FAILED: $tool is required"; exit 1; }; done
}

# Sets `bin` (TONGPIN_BIN, or a release build into target/bench) and
# `build` (how the report names it).
bench_binary() {
  bin="${TONGPIN_BIN:-}"
  if [ -z "$bin" ]; then
    log "release build into target/bench"
    CARGO_TARGET_DIR=target/bench nice -n 19 cargo build --release --locked
    bin=target/bench/release/tongpin
  fi
  case "$bin" in
    */debug/*) build="a **debug build** (\`$bin\`): unoptimized, so the absolute times are several times a release build's; the ratios are the figures to read" ;;
    *) build="a release build" ;;
  esac
}

# The short revision, marked when the tree (the report `$1` aside) has changes.
bench_revision() {
  local r
  r="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ -n "$(git status --porcelain -- . ":(exclude)$1" 2>/dev/null | head -n 1)" ]; then
    r="$r (with uncommitted changes)"
  fi
  echo "$r"
}

# Replaces the section between `<!-- $1:begin -->` and `<!-- $1:end -->` of
# the report `$3` with the file `$2` (appends it when the report lacks it).
splice_section() {
  local part="$1" section="$2" out="$3" next="$2.out"
  if [ -f "$out" ] && grep -q "<!-- $part:begin -->" "$out"; then
    awk -v f="$section" -v b="<!-- $part:begin -->" -v e="<!-- $part:end -->" '
      $0 == b { while ((getline line < f) > 0) print line; skip = 1; next }
      $0 == e { skip = 0; next }
      !skip { print }' "$out" >"$next"
  else
    { [ -f "$out" ] && cat "$out"; echo; cat "$section"; } >"$next"
  fi
  mv "$next" "$out"
}
