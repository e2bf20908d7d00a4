# Shared by the benchmark scripts: installing wrk and curl, the binary to
# run, the revision line, reading wrk's output, and writing one marked
# section of the report. Source it after `cd` to the repository root with
# `log` defined.

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
  # A copied debug binary keeps its line tables (the dev profile's
  # debug = "line-tables-only"); a release build carries none.
  local debug=0
  case "$bin" in */debug/*) debug=1 ;; esac
  if [ "$debug" = 0 ] && command -v readelf >/dev/null 2>&1 && readelf -S "$bin" 2>/dev/null | grep '\.debug_line' >/dev/null; then
    debug=1
  fi
  case "$debug" in
    1) build="a **debug build** (\`$bin\`): unoptimized, so the absolute times are several times a release build's; the ratios are the figures to read" ;;
    *) build="a release build" ;;
  esac
}

# Figures from `wrk --latency` output. Its percentile lines are indented
# ("     50%    1.23ms"), so they are matched by their first field, never by
# the start of the line. `wrk_ms FILE 99`: that percentile in ms (wrk's
# units us, ms, s and m converted); `wrk_rps FILE`: requests per second.
wrk_ms() {
  awk -v q="$2%" '$1 == q {
      v = $2; n = v + 0
      if (v ~ /us$/) n /= 1000
      else if (v ~ /ms$/) n += 0
      else if (v ~ /m$/) n *= 60000
      else if (v ~ /s$/) n *= 1000
      print n; exit
    }' "$1"
}
wrk_rps() { awk '$1 == "Requests/sec:" { print $2; exit }' "$1"; }
# `wrk_count FILE`: how many requests completed ("1234 requests in 5.00s").
wrk_count() { awk '$2 == "requests" && $3 == "in" { print $1 + 0; exit }' "$1"; }

# Fails, printing the output, when wrk `$1` saw an error answer (its
# "Non-2xx or 3xx responses" line counts statuses of 400 and more) or socket
# errors (connect, read, write, timeout: a timed-out request would otherwise
# vanish from the percentiles). wrk counts a 3xx as a success: check a
# redirect to the login page apart (curl).
wrk_clean() {
  if grep -qE 'Non-2xx or 3xx responses|Socket errors' "$1"; then
    cat "$1" >&2
    log "FAILED: wrk saw error answers or socket errors ($1)"
    return 1
  fi
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
