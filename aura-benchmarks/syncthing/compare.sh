#!/usr/bin/env bash
# compare.sh: Aura's sync beside Syncthing, on the same tree, on loopback, in one run (docs/benchmarks.md, Table 15).
#
#   aura-benchmarks/syncthing/compare.sh            # from anywhere; needs root only to install syncthing
#
# What it does, in order (every wait is bounded; everything it starts is stopped and every temporary directory
# removed on exit, failure included):
#   1. installs syncthing (Debian package) if it is missing: apt-get update && apt-get install -y syncthing;
#      checks `syncthing --version`. Builds aura once (`./aura --version`), then runs a private copy of
#      aura-reference-app/target/aura.jar (`java -jar`, as `AURA_NO_BUILD=1 ./aura` does), so that a rebuild
#      by someone else during the run cannot swap the jar under a running JVM.
#   2. builds the tree: this repository's *.java, *.xml, *.md, *.sql (not target/, not .git/), copied into
#      tree/copy-1, copy-2, ... until there are exactly $FILES files (default 5000); prints files and bytes.
#   3. Aura: a Mothership on 127.0.0.1 (free port, temporary data dir); peers A, B and C join with tokens.
#      A pushes the tree (`aura sync --once`, timed). B, fresh, receives it with `aura sync --once` (timed,
#      wall clock including the JVM's start). C, fresh, runs a long-running `aura sync`: timed from its start
#      until the last file is there (file count polled every 50 ms). `diff -r` (without .aura/) after each.
#   4. Syncthing: three instances A, B, C with their own homes (`syncthing generate`), configured in config.xml
#      before their first start: GUI/REST and the sync protocol on 127.0.0.1 only; global and local discovery,
#      relays, NAT, STUN, usage reporting (urAccepted=-1), crash reporting and upgrades
#      (autoUpgradeIntervalH=0, STNOUPGRADE) off; each device knows the others at tcp://127.0.0.1:PORT. A shares
#      folder "bench" (its copy of the tree, fsWatcher on, default rescan of 3600 s) with B and C. Timed: A's
#      start to its scan done; once B is running and connected, the folder added on B through the REST API,
#      until /rest/db/status on B reports localFiles = $FILES, needFiles = 0 (B's folder shared); C, which has
#      the folder in its config.xml, from `syncthing serve` to the same (cold start, as Aura's C). `diff -r`
#      (without .stfolder/.stversions) after each. Fails if any syncthing socket (ss) is not on loopback.
#   5. latency of one small write, both tools running and idle: a new small file is written on A, B is polled
#      (about every 1 ms) until the file is there with its content; $LAT_N times (default 50), 0.3 s + a random
#      0-1 s apart (0-10 s for Syncthing's default delay, so the writes fall at every phase of its watcher).
#      Syncthing is measured with fsWatcherDelayS = 1 (the smallest it allows: its latency floor) over $LAT_N
#      writes, and with its default of 10 s over $LAT_N_DEFAULT writes (default 10).
#   6. prints a table and the ratios Aura / Syncthing.
#
# Environment: FILES (5000), LAT_N (50), LAT_N_DEFAULT (10; 0 skips), TREE_TIMEOUT_S (600), KEEP_WORK=1 keeps
# the temporary directory (its path is printed), WORK_PARENT (default $TMPDIR or /tmp).
# Exit: 0 when both tools delivered identical trees; non-zero, with the reason on stderr, otherwise.
set -euo pipefail

FILES="${FILES:-5000}"
LAT_N="${LAT_N:-50}"
LAT_N_DEFAULT="${LAT_N_DEFAULT:-10}"
TREE_TIMEOUT_S="${TREE_TIMEOUT_S:-600}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FOLDER_ID="bench"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
now() { echo "$EPOCHREALTIME"; }                      # seconds with microseconds
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# free_ports N: N distinct free TCP ports on 127.0.0.1 (all bound at once, so none is handed out twice)
free_ports() {
  python3 -c 'import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}

# ---------------------------------------------------------------------------------------------- cleanup
WORK=""
PIDS=()            # background processes we started
MOTHERSHIP_DATA=""
cleanup() {
  local rc=$?
  set +e
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null
  done
  if [[ -n "$MOTHERSHIP_DATA" && -d "$MOTHERSHIP_DATA" ]]; then
    AURA_HOME="$WORK/aura/host" timeout 30 java -jar "$WORK/aura.jar" mothership stop --data-dir "$MOTHERSHIP_DATA" \
      >/dev/null 2>&1
  fi
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if [[ "${KEEP_WORK:-}" == "1" ]]; then
      log "kept $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for TIMEOUT_S DESCRIPTION COMMAND...: polls COMMAND every 50 ms until it succeeds
wait_for() {
  local timeout="$1" what="$2"; shift 2
  local deadline=$(( SECONDS + timeout ))
  until "$@"; do
    (( SECONDS < deadline )) || die "timed out after ${timeout}s waiting for $what"
    sleep 0.05
  done
}

count_files() {  # regular files and symlinks under $1, without .aura/, .stfolder, .stversions
  find "$1" \( -name .aura -o -name .stfolder -o -name .stversions \) -prune -o \( -type f -o -type l \) -print \
    | wc -l
}

same_tree() {  # diff -r, loudly
  local a="$1" b="$2"
  if ! diff -r -x .aura -x .stfolder -x .stversions "$a" "$b" >"$WORK/diff.txt" 2>&1; then
    head -20 "$WORK/diff.txt" >&2
    die "$b differs from $a ($(wc -l <"$WORK/diff.txt") lines of diff -r, first 20 above)"
  fi
}

# Sleeping without a fork: read with a timeout on a descriptor that never has data.
exec {SLEEPFD}<> <(:)
nap() { read -r -t "$1" -u "$SLEEPFD" _ || true; }

# latency LABEL SRC_DIR DST_DIR N SPREAD_MS: writes N small new files in SRC_DIR, polls DST_DIR; prints ms, one a
# line. Writes are 300 ms + a random 0..SPREAD_MS apart: a fixed gap would lock onto the period of Syncthing's
# watcher (it scans every fsWatcherDelayS) and measure one phase of it only.
latency() {
  local label="$1" src="$2" dst="$3" n="$4" spread="$5" i t0 t1 content deadline
  mkdir -p "$src/latency"
  for (( i = 1; i <= n; i++ )); do
    content="$label write $i at $EPOCHREALTIME"
    t0=$(now)
    printf '%s\n' "$content" >"$src/latency/$label-$i.txt"
    deadline=$(( SECONDS + 60 ))
    while :; do
      if [[ -f "$dst/latency/$label-$i.txt" ]] && [[ "$(<"$dst/latency/$label-$i.txt")" == "$content" ]]; then
        break
      fi
      (( SECONDS < deadline )) || die "$label: write $i did not reach $dst within 60s"
      nap 0.001
    done
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'
    nap "$(awk -v r="$(( RANDOM % (spread + 1) ))" 'BEGIN { printf "%.3f", 0.3 + r / 1000 }')"
  done
}

# stats FILE: "p50 p99 max" of the numbers in FILE (nearest rank)
stats() {
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    p50 = v[int((NR * 50 + 99) / 100)]; p99 = v[int((NR * 99 + 99) / 100)];
    printf "%s %s %s\n", p50, p99, v[NR] }'
}

# ---------------------------------------------------------------------------------------------- 1. tools
if ! command -v syncthing >/dev/null 2>&1; then
  log "installing syncthing (Debian package)"
  [[ "$(id -u)" == 0 ]] || die "syncthing is not installed and installing it needs root (apt-get install syncthing)"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y syncthing >&2
fi
ST_VERSION="$(syncthing --version)" || die "syncthing --version failed"
for tool in curl jq python3 diff ss; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is needed"
done
log "$ST_VERSION"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
WORK="$(mktemp -d "${WORK_PARENT:-${TMPDIR:-/tmp}}/aura-vs-syncthing.XXXXXX")"
log "work directory: $WORK"
"$ROOT/aura" --version >&2 || die "./aura --version failed (build broken?)"
# Other engineers rebuild the jar while this runs: every aura process here runs a private copy of it, as
# `AURA_NO_BUILD=1 ./aura` runs the original (exec java $AURA_JAVA_OPTS -jar aura.jar).
cp "$ROOT/aura-reference-app/target/aura.jar" "$WORK/aura.jar"
AURA_CMD=(java ${AURA_JAVA_OPTS:-} -jar "$WORK/aura.jar")
aura() { "${AURA_CMD[@]}" "$@"; }
AURA_VERSION="$(aura --version)"
t0=$(now); aura --version >/dev/null; AURA_JVM=$(elapsed "$t0" "$(now)")

# ---------------------------------------------------------------------------------------------- 2. tree
(cd "$ROOT" && find . \( -name target -o -name .git \) -prune -o -type f \
  \( -name '*.java' -o -name '*.xml' -o -name '*.md' -o -name '*.sql' \) -print | sed 's#^\./##' | sort) \
  >"$WORK/sources.txt"
PER_COPY=$(wc -l <"$WORK/sources.txt")
(( PER_COPY > 0 )) || die "no sources found under $ROOT"
TREE="$WORK/tree"
mkdir -p "$TREE"
copied=0 k=0
while (( copied < FILES )); do
  k=$(( k + 1 ))
  take=$(( FILES - copied < PER_COPY ? FILES - copied : PER_COPY ))
  mkdir -p "$TREE/copy-$k"
  head -n "$take" "$WORK/sources.txt" | (cd "$ROOT" && tar -cf - -T -) | tar -xf - -C "$TREE/copy-$k"
  copied=$(( copied + take ))
done
TREE_FILES=$(count_files "$TREE")
TREE_BYTES=$(find "$TREE" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
(( TREE_FILES == FILES )) || die "the tree has $TREE_FILES files, expected $FILES"
log "tree: $TREE_FILES files, $TREE_BYTES bytes ($PER_COPY sources per copy, $k copies)"

# ---------------------------------------------------------------------------------------------- 3. Aura
log "Aura: starting a Mothership on 127.0.0.1"
AW="$WORK/aura"
mkdir -p "$AW/host" "$AW/dirs"
MOTHERSHIP_DATA="$AW/host/mothership"
read -ra PORTS < <(free_ports 7)          # the Mothership's, then GUI and BEP ports of syncthing A, B, C
MPORT=${PORTS[0]}
host() { AURA_HOME="$AW/host" aura "$@"; }
host mothership start --bind 127.0.0.1 --port "$MPORT" --data-dir "$MOTHERSHIP_DATA" --detach >"$AW/start.out"
cat "$AW/start.out" >&2
MPID=$(awk '/^pid:/ { print $2 }' "$AW/start.out")
[[ -n "$MPID" ]] && PIDS+=("$MPID")
wait_for 60 "the Mothership's status" host mothership status --data-dir "$MOTHERSHIP_DATA" >/dev/null 2>&1
host mothership status --data-dir "$MOTHERSHIP_DATA" >&2
MURL="https://127.0.0.1:$MPORT"

join_peer() {  # join_peer NAME
  local token
  token=$(host mothership token issue --data-dir "$MOTHERSHIP_DATA" --for "$1@bench.local" --expires-in 1h \
    | awk '/^token:/ { print $2 }')
  [[ -n "$token" ]] || die "token issue for $1 printed no token: line"
  AURA_HOME="$AW/$1" aura mothership join --url "$MURL" --token "$token" --announce 127.0.0.1 >&2
}
for p in a b c; do join_peer "$p"; done
cp -a "$TREE" "$AW/dirs/a"
mkdir -p "$AW/dirs/b" "$AW/dirs/c"

log "Aura: A pushes the tree (sync --once)"
t0=$(now)
AURA_HOME="$AW/a" aura sync --dir "$AW/dirs/a" --once >"$AW/a-push.out" 2>"$AW/a-push.err" \
  || { cat "$AW/a-push.out" "$AW/a-push.err" >&2; die "aura sync --once on A failed"; }
AURA_PUSH=$(elapsed "$t0" "$(now)")
tail -1 "$AW/a-push.out" >&2
log "Aura: first push ${AURA_PUSH}s"

log "Aura: fresh peer B receives it (sync --once, cold JVM)"
t0=$(now)
timeout "$TREE_TIMEOUT_S" env AURA_HOME="$AW/b" "${AURA_CMD[@]}" sync --dir "$AW/dirs/b" --once \
  >"$AW/b-once.out" 2>"$AW/b-once.err" \
  || { cat "$AW/b-once.out" "$AW/b-once.err" >&2; die "aura sync --once on B failed"; }
AURA_ONCE=$(elapsed "$t0" "$(now)")
tail -1 "$AW/b-once.out" >&2
same_tree "$AW/dirs/a" "$AW/dirs/b"
log "Aura: B --once ${AURA_ONCE}s, trees identical"

log "Aura: fresh peer C receives it (long-running sync, polled)"
has_all() { (( $(count_files "$1") >= FILES )); }
t0=$(now)
AURA_HOME="$AW/c" "${AURA_CMD[@]}" sync --dir "$AW/dirs/c" >"$AW/c-sync.out" 2>"$AW/c-sync.err" &
PIDS+=($!); CPID=$!
wait_for "$TREE_TIMEOUT_S" "Aura's peer C to receive $FILES files" has_all "$AW/dirs/c"
AURA_LIVE=$(elapsed "$t0" "$(now)")
kill -0 "$CPID" 2>/dev/null || { cat "$AW/c-sync.err" >&2; die "aura sync on C exited"; }
same_tree "$AW/dirs/a" "$AW/dirs/c"
log "Aura: C long-running ${AURA_LIVE}s, trees identical"

log "Aura: latency of one small write, A -> C ($LAT_N writes)"
AURA_HOME="$AW/a" "${AURA_CMD[@]}" sync --dir "$AW/dirs/a" >"$AW/a-sync.out" 2>"$AW/a-sync.err" &
PIDS+=($!); APID=$!
wait_for 60 "aura sync on A to start" grep -q 'syncing: ' "$AW/a-sync.out"
wait_for 60 "aura sync on C to start" grep -q 'syncing: ' "$AW/c-sync.out"
sleep 2
latency aura "$AW/dirs/a" "$AW/dirs/c" "$LAT_N" 1000 >"$WORK/lat-aura.txt"
read -r AURA_P50 AURA_P99 AURA_MAX < <(stats "$WORK/lat-aura.txt")
log "Aura: latency p50 ${AURA_P50} ms, p99 ${AURA_P99} ms, max ${AURA_MAX} ms"
grep -c . "$AW/c-sync.err" >/dev/null && { log "aura sync on C wrote to stderr:"; head -5 "$AW/c-sync.err" >&2; }
kill "$APID" "$CPID" 2>/dev/null || true
wait "$APID" "$CPID" 2>/dev/null || true
host mothership stop --data-dir "$MOTHERSHIP_DATA" >&2 || true
MOTHERSHIP_DATA=""

# ---------------------------------------------------------------------------------------------- 4. Syncthing
SW="$WORK/syncthing"
mkdir -p "$SW"
cp -a "$TREE" "$SW/dir-a"
mkdir -p "$SW/dir-a/.stfolder" "$SW/dir-b/.stfolder" "$SW/dir-c/.stfolder"
declare -A GUI LISTEN KEY DEV SPID
n=0
for s in a b c; do
  syncthing generate --home "$SW/home-$s" --no-default-folder --skip-port-probing >"$SW/gen-$s.log" 2>&1 \
    || { cat "$SW/gen-$s.log" >&2; die "syncthing generate failed"; }
  DEV[$s]=$(syncthing serve --home "$SW/home-$s" --device-id)
  n=$(( n + 1 )); GUI[$s]=${PORTS[$n]}
  n=$(( n + 1 )); LISTEN[$s]=${PORTS[$n]}
  KEY[$s]="bench-$s-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
done

folder_xml() {  # folder_xml DIR DEVICE...: the shared folder as config.xml holds it (sed replacement text)
  local dir="$1" d; shift
  printf '    <folder id="%s" label="%s" path="%s" type="sendreceive" rescanIntervalS="3600" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">\\n        <filesystemType>basic</filesystemType>\\n' \
    "$FOLDER_ID" "$FOLDER_ID" "$dir"
  for d in "$@"; do printf '        <device id="%s" introducedBy=""></device>\\n' "${DEV[$d]}"; done
  printf '        <markerName>.stfolder</markerName>\\n    </folder>\\n'
}

# configure SELF FOLDER_XML OTHER...: everything that could leave this machine off, before the first start;
# each OTHER device known at its explicit tcp://127.0.0.1:PORT
configure() {
  local s="$1" folder="$2" cfg="$SW/home-$1/config.xml" o devices="" want; shift 2
  sed -i \
    -e "s#<address>127.0.0.1:[0-9]*</address>#<address>127.0.0.1:${GUI[$s]}</address>#" \
    -e "s#<apikey>.*</apikey>#<apikey>${KEY[$s]}</apikey>#" \
    -e "s#<listenAddress>.*</listenAddress>#<listenAddress>tcp://127.0.0.1:${LISTEN[$s]}</listenAddress>#" \
    -e "s#<globalAnnounceEnabled>.*<#<globalAnnounceEnabled>false<#" \
    -e "s#<globalAnnounceServer>.*</globalAnnounceServer>#<globalAnnounceServer>http://127.0.0.1:9</globalAnnounceServer>#" \
    -e "s#<localAnnounceEnabled>.*<#<localAnnounceEnabled>false<#" \
    -e "s#<relaysEnabled>.*<#<relaysEnabled>false<#" \
    -e "s#<natEnabled>.*<#<natEnabled>false<#" \
    -e "s#<urAccepted>.*<#<urAccepted>-1<#" \
    -e "s#<urURL>.*<#<urURL>http://127.0.0.1:9/<#" \
    -e "s#<autoUpgradeIntervalH>.*<#<autoUpgradeIntervalH>0<#" \
    -e "s#<releasesURL>.*<#<releasesURL>http://127.0.0.1:9/<#" \
    -e "s#<crashReportingEnabled>.*<#<crashReportingEnabled>false<#" \
    -e "s#<crashReportingURL>.*<#<crashReportingURL>http://127.0.0.1:9/<#" \
    -e "s#<stunKeepaliveStartS>.*<#<stunKeepaliveStartS>0<#" \
    -e "s#<stunServer>.*<#<stunServer>127.0.0.1:9<#" \
    -e "s#<announceLANAddresses>.*<#<announceLANAddresses>false<#" \
    -e "s#<startBrowser>.*<#<startBrowser>false<#" \
    -e "s#<restartOnWakeup>.*<#<restartOnWakeup>false<#" \
    "$cfg"
  for o in "$@"; do
    devices+="    <device id=\"${DEV[$o]}\" name=\"$o\" compression=\"metadata\" introducer=\"false\" skipIntroductionRemovals=\"false\" introducedBy=\"\">\\n        <address>tcp://127.0.0.1:${LISTEN[$o]}</address>\\n        <paused>false</paused>\\n        <autoAcceptFolders>false</autoAcceptFolders>\\n    </device>\\n"
  done
  sed -i -e "0,/<gui /s#^\(    <gui \)#$devices$folder\1#" "$cfg"
  # every setting that matters, checked
  for want in "<globalAnnounceEnabled>false<" "<localAnnounceEnabled>false<" "<relaysEnabled>false<" \
    "<natEnabled>false<" "<urAccepted>-1<" "<autoUpgradeIntervalH>0<" "<crashReportingEnabled>false<" \
    "<stunKeepaliveStartS>0<" "<announceLANAddresses>false<" \
    "<listenAddress>tcp://127.0.0.1:${LISTEN[$s]}</listenAddress>" "<address>127.0.0.1:${GUI[$s]}</address>"; do
    grep -qF "$want" "$cfg" || die "syncthing $s: config.xml lacks $want"
  done
  for o in "$@"; do
    grep -qF "<address>tcp://127.0.0.1:${LISTEN[$o]}</address>" "$cfg" || die "syncthing $s: device $o missing"
  done
  if grep -n '<address>' "$cfg" | grep -v -e '127\.0\.0\.1' -e 'dynamic' >&2; then
    die "syncthing $s: an address outside loopback in config.xml"
  fi
  python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$cfg" \
    || die "syncthing $s: config.xml is no longer well-formed"
}
configure a "$(folder_xml "$SW/dir-a" a b c)" b c
configure b "" a                                   # B gets the folder through the REST API, timed
configure c "$(folder_xml "$SW/dir-c" c a)" a      # C has it from its first start (cold start, timed)

api() {  # api SELF METHOD PATH [JSON]
  local s="$1" method="$2" path="$3" body=()
  [[ $# -lt 4 ]] || body=(-H 'Content-Type: application/json' -d "$4")
  curl -fsS --max-time 10 -X "$method" -H "X-API-Key: ${KEY[$s]}" "${body[@]}" "http://127.0.0.1:${GUI[$s]}$path"
}
st_up() { api "$1" GET /rest/system/ping >/dev/null 2>&1; }
st_connected() {
  [[ "$(api "$1" GET /rest/system/connections 2>/dev/null | jq -r --arg d "$2" '.connections[$d].connected')" == true ]]
}
st_complete() {  # st_complete SELF: idle, all files local, nothing needed
  local j
  j=$(api "$1" GET "/rest/db/status?folder=$FOLDER_ID" 2>/dev/null) || return 1
  jq -e --argjson n "$FILES" '.state == "idle" and .localFiles >= $n and .needFiles == 0 and .needDeletes == 0
    and .needBytes == 0' <<<"$j" >/dev/null
}
st_start() {  # st_start SELF
  STNODEFAULTFOLDER=1 STNOUPGRADE=1 syncthing serve --home "$SW/home-$1" --no-browser --no-restart --no-upgrade \
    --no-default-folder --logflags=3 >"$SW/serve-$1.log" 2>&1 &
  PIDS+=($!); SPID[$1]=$!
}
st_stop() {  # st_stop SELF: SIGTERM to the monitor, which stops its child
  local pid="${SPID[$1]}"
  kill "$pid" 2>/dev/null || true
  wait_for 30 "syncthing $1 to stop" bash -c "! kill -0 $pid 2>/dev/null"
  unset "SPID[$1]"
}

# nothing but loopback: every socket of every instance (`syncthing serve` is a monitor process and its child)
st_sockets() {  # "netid local peer" of every socket the syncthing processes hold
  local pids s
  pids=$(for s in "${!SPID[@]}"; do echo "${SPID[$s]}"; ps -o pid= --ppid "${SPID[$s]}" || true; done \
    | awk 'NF { printf "%spid=%s,", sep, $1; sep = "|" }')
  ss -tunapH 2>/dev/null | grep -E "$pids" | awk '{ print $1, $5, $6 }' || true
}
check_loopback() {
  local sockets bad
  sockets=$(st_sockets)
  [[ -n "$sockets" ]] || die "no socket of syncthing found by ss (cannot check that it stays on loopback)"
  bad=$(awk '{ print $2, $3 }' <<<"$sockets" \
    | grep -v -E '^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]|\[::1\]):[0-9]+ (127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]|\[::1\]|0\.0\.0\.0|\*|\[::\]):(\*|[0-9]+)$' || true)
  [[ -z "$bad" ]] || die "syncthing has a socket outside loopback: $bad"
}

log "Syncthing: starting A and B on 127.0.0.1 (GUI ${GUI[a]}/${GUI[b]}, BEP ${LISTEN[a]}/${LISTEN[b]})"
ST_A_START=$(now)
for s in a b; do
  t0=$(now)
  st_start "$s"
  wait_for 60 "syncthing $s's REST API" st_up "$s"
  log "Syncthing $s: REST API up after $(elapsed "$t0" "$(now)")s"
done
wait_for "$TREE_TIMEOUT_S" "syncthing A to scan the tree" st_complete a
ST_SCAN=$(elapsed "$ST_A_START" "$(now)")
log "Syncthing A: tree scanned, ${ST_SCAN}s after A's process started"
wait_for 120 "syncthing B to connect to A" st_connected b "${DEV[a]}"
wait_for 120 "syncthing A to connect to B" st_connected a "${DEV[b]}"
check_loopback
st_sockets | sed 's/^/  syncthing socket: /' >&2

log "Syncthing: adding the folder on the running B, timing until B is complete"
folder_json=$(jq -n --arg id "$FOLDER_ID" --arg path "$SW/dir-b" --arg a "${DEV[a]}" --arg b "${DEV[b]}" \
  '{id: $id, label: $id, path: $path, type: "sendreceive", rescanIntervalS: 3600, fsWatcherEnabled: true,
    fsWatcherDelayS: 1, markerName: ".stfolder", devices: [{deviceID: $a}, {deviceID: $b}]}')
t0=$(now)
api b POST /rest/config/folders "$folder_json" >/dev/null
wait_for "$TREE_TIMEOUT_S" "syncthing B to receive $FILES files" st_complete b
ST_RECV=$(elapsed "$t0" "$(now)")
same_tree "$SW/dir-a" "$SW/dir-b"
log "Syncthing: B complete after ${ST_RECV}s, trees identical"
check_loopback

log "Syncthing: fresh instance C, cold start with the folder configured, timing until C is complete"
t0=$(now)
st_start c
wait_for "$TREE_TIMEOUT_S" "syncthing C to receive $FILES files" st_complete c
ST_COLD=$(elapsed "$t0" "$(now)")
same_tree "$SW/dir-a" "$SW/dir-c"
log "Syncthing: C complete ${ST_COLD}s after its process started, trees identical"
check_loopback
st_stop c

log "Syncthing: latency of one small write, A -> B, fsWatcherDelayS=1 ($LAT_N writes)"
sleep 3
latency st1 "$SW/dir-a" "$SW/dir-b" "$LAT_N" 1000 >"$WORK/lat-st1.txt"
read -r ST1_P50 ST1_P99 ST1_MAX < <(stats "$WORK/lat-st1.txt")
log "Syncthing (delay 1 s): p50 ${ST1_P50} ms, p99 ${ST1_P99} ms, max ${ST1_MAX} ms"

ST10_P50=- ST10_P99=- ST10_MAX=-
if (( LAT_N_DEFAULT > 0 )); then
  log "Syncthing: latency with the default fsWatcherDelayS=10 ($LAT_N_DEFAULT writes)"
  for s in a b; do
    api "$s" PATCH "/rest/config/folders/$FOLDER_ID" '{"fsWatcherDelayS": 10}' >/dev/null
  done
  sleep 3
  latency st10 "$SW/dir-a" "$SW/dir-b" "$LAT_N_DEFAULT" 10000 >"$WORK/lat-st10.txt"
  read -r ST10_P50 ST10_P99 ST10_MAX < <(stats "$WORK/lat-st10.txt")
  log "Syncthing (delay 10 s): p50 ${ST10_P50} ms, p99 ${ST10_P99} ms, max ${ST10_MAX} ms"
fi
check_loopback
same_tree "$SW/dir-a" "$SW/dir-b"
st_stop a
st_stop b

# ---------------------------------------------------------------------------------------------- 6. report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == "-" || b + 0 == 0) print "-"; else printf "%.2fx", a / b }'; }
cat <<REPORT

== Aura sync beside Syncthing, on loopback ($(date -u +%Y-%m-%dT%H:%M:%SZ)) ==
machine:   $(nproc) cores, load at the start $LOAD_START, at the end $(cut -d' ' -f1-3 /proc/loadavg)
aura:      $AURA_VERSION (JVM start and exit, \`aura --version\`: ${AURA_JVM}s)
syncthing: $ST_VERSION
tree:      $TREE_FILES files, $TREE_BYTES bytes ($k copies of $PER_COPY sources)

| measurement | Aura | Syncthing | Aura / Syncthing |
|---|---:|---:|---:|
| A's tree indexed: Aura's first push (\`sync --once\`); Syncthing A's start to scan done (s) | $AURA_PUSH | $ST_SCAN | $(ratio "$AURA_PUSH" "$ST_SCAN") |
| fresh peer receives the tree, process start included: Aura \`sync --once\` (B); Syncthing cold start (C) (s) | $AURA_ONCE | $ST_COLD | $(ratio "$AURA_ONCE" "$ST_COLD") |
| fresh peer receives the tree, process start included: Aura long-running \`sync\` (C); Syncthing cold start (C) (s) | $AURA_LIVE | $ST_COLD | $(ratio "$AURA_LIVE" "$ST_COLD") |
| fresh peer receives the tree: Syncthing folder added on a running, connected B (s) | - | $ST_RECV | $(ratio "$AURA_LIVE" "$ST_RECV") (long-running) |
| small write, p50 (ms), Syncthing fsWatcherDelayS=1 | $AURA_P50 | $ST1_P50 | $(ratio "$AURA_P50" "$ST1_P50") |
| small write, p99 (ms), Syncthing fsWatcherDelayS=1 | $AURA_P99 | $ST1_P99 | $(ratio "$AURA_P99" "$ST1_P99") |
| small write, max (ms), Syncthing fsWatcherDelayS=1 | $AURA_MAX | $ST1_MAX | $(ratio "$AURA_MAX" "$ST1_MAX") |
| small write, p50 / p99 / max (ms), Syncthing's default fsWatcherDelayS=10 | $AURA_P50 / $AURA_P99 / $AURA_MAX | $ST10_P50 / $ST10_P99 / $ST10_MAX | $(ratio "$AURA_P50" "$ST10_P50") (p50) |

Aura's times include the JVM's start. Syncthing's cold start (C) runs from \`syncthing serve\` to C's
/rest/db/status reporting localFiles=$FILES, needFiles=0; "folder added" from the REST request on B to the same.
Latencies: $LAT_N writes ($LAT_N_DEFAULT with Syncthing's default delay), 0.3 s + random 0-1 s apart (0-10 s with the
default delay); p50 and p99 by nearest rank
(rank ceil(0.99 n): with 50 samples, p99 is the largest).
REPORT
