# shellcheck shell=bash
# scripts/lab/lib.sh — run real FRR 8.4 and BIRD 2.0.12 routers (and the
# speaker) in Linux network namespaces. Sourced by the topology scripts in this
# folder, by the tests in scripts/tests (which also print their checks with
# lab_ok, lab_bad, lab_check and lab_summary), by scripts/record-fixtures and
# by `make demo`:
#
#   source scripts/lab/lib.sh
#   trap lab_cleanup EXIT          # or: lab_trap_cleanup (EXIT, INT, TERM)
#   lab_ns a; lab_ns b
#   lab_veth a eth0 10.9.0.1/30 b eth0 10.9.0.2/30
#   lab_frr_start a "$(cat frr.conf)"
#
# Conventions
# * Namespaces are named "$LAB_PREFIX<short>" (LAB_PREFIX defaults to "osl-").
#   Every helper takes the short name (or the full name, which is accepted as
#   is); `lab_nsname SHORT` prints the full name for `ip netns exec`.
# * Everything a run creates lives in $LAB_WORK (a fresh mktemp folder):
#   router folders frr-<short>/, bird-<short>/, speaker-<short>.log, and the
#   bookkeeping files .pids (pid, start time, namespace, label) and .namespaces.
#   lab_cleanup only touches what is listed there — never namespaces or
#   processes of another run, never anything outside the namespaces.
# * Diagnostics go to stderr; results (route next hops, metrics, elapsed
#   milliseconds) go to stdout. Helpers return non-zero on failure (so
#   `set -euo pipefail` callers stop) and print the relevant logs first.
# * Only addresses inside the namespaces are used (10/8, 100.64.0.0/24,
#   192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24).
#
# Needs root. Environment knobs (all optional):
#   LAB_PREFIX       namespace prefix                         (osl-)
#   LAB_HELLO        hello interval used by the topologies    (1)
#   LAB_DEAD         dead interval used by the topologies     (4)
#   LAB_POLL_MS      poll interval of the route waiters, ms   (10)
#   LAB_KEEP_WORK    1: keep $LAB_WORK after lab_cleanup; 0: always delete;
#                    unset: keep it only when the caller exits non-zero
#   LAB_QUIET        1: no progress lines on stderr
#   SPEAKER          path of the ospf-speaker binary (lab_speaker_start)

if [ -n "${LAB_LIB_LOADED:-}" ]; then return 0; fi
LAB_LIB_LOADED=1
LAB_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_PREFIX=${LAB_PREFIX:-osl-}
LAB_HELLO=${LAB_HELLO:-1}
LAB_DEAD=${LAB_DEAD:-4}
LAB_POLL_MS=${LAB_POLL_MS:-10}
LAB_FRR_BIN=${LAB_FRR_BIN:-/usr/lib/frr}
LAB_SPEAKER_PID=""

# ------------------------------------------------------------------ basics

lab_log() { [ "${LAB_QUIET:-0}" = 1 ] || printf '[lab %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
lab_err() { printf '[lab %(%H:%M:%S)T] ERROR: %s\n' -1 "$*" >&2; }

# lab_now_ms — milliseconds since the epoch (no fork; EPOCHREALTIME has 6 decimals).
lab_now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; echo $((t / 1000)); }
# lab_now_us — microseconds since the epoch (no fork).
lab_now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }
# lab_log_us LOG_LINE — the time of a speaker log line (its first field, ISO 8601) in
# microseconds since the epoch.
lab_log_us() { date -d "${1%% *}" +%s%6N; }

# lab_init — create the per-run work folder (done on source; idempotent).
lab_init() {
  if [ -z "${LAB_WORK:-}" ] || [ ! -d "$LAB_WORK" ]; then
    LAB_WORK=$(mktemp -d "${TMPDIR:-/tmp}/${LAB_PREFIX}lab.XXXXXX")
    chmod 755 "$LAB_WORK"            # frr (unprivileged) must traverse it
  fi
  touch "$LAB_WORK/.pids" "$LAB_WORK/.namespaces"
  export LAB_WORK
}
lab_init

# lab_nsname NAME — prints the full namespace name for a short name.
lab_nsname() {
  case $1 in
    "$LAB_PREFIX"*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$LAB_PREFIX$1" ;;
  esac
}
_lab_short() { local n; n=$(lab_nsname "$1"); printf '%s\n' "${n#"$LAB_PREFIX"}"; }

# lab_exec NS CMD... — run CMD inside the namespace (only one this run created).
lab_exec() { local ns; ns=$(lab_nsname "$1"); shift; _lab_own "$ns" || return 1; ip netns exec "$ns" "$@"; }

# _lab_own NS... — true if every NS was created by this run (lab_ns); the
# helpers that change a namespace refuse to touch any other.
_lab_own() {
  local n
  for n in "$@"; do
    grep -qxF "$(lab_nsname "$n")" "$LAB_WORK/.namespaces" 2>/dev/null ||
      { lab_err "namespace $(lab_nsname "$n") was not created by this run; not touching it"; return 1; }
  done
}

# _lab_poll TIMEOUT_S INTERVAL_S CMD... — true once CMD succeeds, false after TIMEOUT_S.
_lab_poll() {
  local timeout=$1 interval=$2; shift 2
  local deadline=$(( $(lab_now_ms) + ${timeout%.*} * 1000 ))
  until "$@" 2>/dev/null; do
    [ "$(lab_now_ms)" -lt "$deadline" ] || return 1
    sleep "$interval"
  done
}

# Pid bookkeeping: "pid starttime namespace label". The start time (field 22 of
# /proc/PID/stat) guards against killing a recycled pid.
_lab_starttime() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }
  # shellcheck disable=SC2086
  set -- $s
  printf '%s\n' "${20}"
}
_lab_pid_alive() {              # _lab_pid_alive PID [STARTTIME] — running (not a zombie), same process
  local s st want=${2:-}
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }
  # shellcheck disable=SC2086
  set -- $s
  [ "$1" != Z ] || return 1
  st=${20}
  [ -z "$want" ] || [ "$st" = "$want" ]
}
_lab_record_pid() {             # _lab_record_pid PID NS LABEL
  local st
  st=$(_lab_starttime "$1") || st=0
  echo "$1 $st $2 $3" >>"$LAB_WORK/.pids"
}
# _lab_recorded_start PID — the start time recorded for PID.
_lab_recorded_start() { awk -v p="$1" '$1 == p { s = $2 } END { print s }' "$LAB_WORK/.pids"; }
# _lab_signal_wait PID SIGNAL TIMEOUT_S — signal a recorded pid, wait for it to exit.
_lab_signal_wait() {
  local pid=$1 sig=$2 t=$3 st
  st=$(_lab_recorded_start "$pid")
  _lab_pid_alive "$pid" "$st" || return 0
  kill -s "$sig" "$pid" 2>/dev/null || true
  _lab_poll "$t" 0.05 _lab_not_alive "$pid" "$st"
}
_lab_not_alive() { ! _lab_pid_alive "$1" "${2:-}"; }

# ------------------------------------------------------------------ test results

# The tests in scripts/tests print one line per check, what was seen under a
# failed one, and a closing line that other tooling greps:
#   ok   - WHAT
#   FAIL - WHAT
#          what was seen (lab_say)
#   NAME: N passed, M failed
# LAB_PASSED and LAB_FAILED count the checks of this shell.
LAB_PASSED=0
LAB_FAILED=0
LAB_FIGURES=()

# lab_wait_until TIMEOUT_S CMD... — true once CMD succeeds (tried every 0.2 s), false after TIMEOUT_S.
lab_wait_until() { local t=$1; shift; _lab_poll "$t" 0.2 "$@"; }

# lab_ok WHAT — a check that passed; lab_bad WHAT — one that failed.
lab_ok() { echo "ok   - $*"; LAB_PASSED=$((LAB_PASSED + 1)); }
lab_bad() { echo "FAIL - $*"; LAB_FAILED=$((LAB_FAILED + 1)); }

# lab_say [LINE...] — lines explaining a check, under it: the arguments, or
# stdin when there are none, each after LAB_SAY_PREFIX (default 7 spaces).
lab_say() {
  local p=${LAB_SAY_PREFIX-'       '} l
  if [ $# -gt 0 ]; then for l in "$@"; do printf '%s%s\n' "$p" "$l"; done
  else awk -v p="$p" '{ print p $0 }'; fi
}

# lab_check WHAT CMD... — run CMD (in a subshell); ok when it succeeds, else a
# FAIL line with what CMD printed (stdout and stderr) under it, or its exit
# status and arguments when it printed nothing. Returns CMD's success.
lab_check() {
  local what=$1 out rc=0 cmd; shift
  out=$("$@" 2>&1) || rc=$?
  if [ $rc = 0 ]; then lab_ok "$what"; return 0; fi
  lab_bad "$what"
  if [ -n "$out" ]; then lab_say <<<"$out"
  else cmd=$(printf '%q ' "$@"); lab_say "exit $rc, no output: ${cmd% }"; fi
  return 1
}

# lab_figure TEXT — a measured value: printed under the checks and kept for
# lab_figures, which prints "# measured" and every one kept.
lab_figure() { LAB_FIGURES+=("$*"); echo "     $*"; }
lab_figures() {
  local f
  echo "# measured"
  for f in "${LAB_FIGURES[@]}"; do echo "  $f"; done
}

# lab_summary NAME — the closing line "NAME: N passed, M failed"; returns 1 if
# any check failed (so a test can end with it).
lab_summary() {
  echo "$1: $LAB_PASSED passed, $LAB_FAILED failed"
  [ "$LAB_FAILED" = 0 ]
}

# ------------------------------------------------------------------ cleanup

# lab_teardown — kill every process this run started (TERM, then KILL), then
# whatever still runs inside our namespaces, then delete those namespaces.
# Keeps $LAB_WORK (logs). Safe to call repeatedly; returns 0.
lab_teardown() {
  [ -n "${LAB_WORK:-}" ] && [ -d "$LAB_WORK" ] || return 0
  (
    set +eu
    pids=(); starts=()
    while read -r pid st _ _; do
      [ -n "$pid" ] || continue
      if _lab_pid_alive "$pid" "$st"; then pids+=("$pid"); starts+=("$st"); kill -TERM "$pid" 2>/dev/null; fi
    done <"$LAB_WORK/.pids"
    for _ in $(seq 1 40); do           # up to 2 s for a clean exit
      alive=0
      for i in "${!pids[@]}"; do _lab_pid_alive "${pids[$i]}" "${starts[$i]}" && alive=1; done
      [ $alive = 0 ] && break
      sleep 0.05
    done
    for i in "${!pids[@]}"; do
      _lab_pid_alive "${pids[$i]}" "${starts[$i]}" && kill -KILL "${pids[$i]}" 2>/dev/null
    done
    while read -r ns; do
      [ -n "$ns" ] || continue
      if [ -e "/run/netns/$ns" ]; then
        for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
        ip netns del "$ns" 2>/dev/null || { sleep 0.2; ip netns del "$ns" 2>/dev/null; }
      fi
    done <"$LAB_WORK/.namespaces"
    : >"$LAB_WORK/.pids"; : >"$LAB_WORK/.namespaces"
    rm -f "$LAB_WORK"/speaker-*.pid "$LAB_WORK"/bird-*/pid "$LAB_WORK"/frr-*/*.vty "$LAB_WORK"/frr-*/*.pid "$LAB_WORK"/frr-*/bfdd.sock
    exit 0
  )
  LAB_SPEAKER_PID=""
  return 0
}

# lab_cleanup — lab_teardown, then delete $LAB_WORK (see LAB_KEEP_WORK). Keeps
# the caller's exit status: use as `trap lab_cleanup EXIT`.
lab_cleanup() {
  local rc=$?
  lab_teardown
  if [ -n "${LAB_WORK:-}" ] && [ -d "$LAB_WORK" ]; then
    if [ "${LAB_KEEP_WORK:-}" = 1 ] || { [ "$rc" != 0 ] && [ "${LAB_KEEP_WORK:-}" != 0 ]; }; then
      lab_log "work folder kept: $LAB_WORK"
    else
      rm -rf "$LAB_WORK"
    fi
  fi
  return "$rc"
}

# lab_trap_cleanup — trap lab_cleanup on EXIT, and turn INT/TERM into exits.
lab_trap_cleanup() {
  trap lab_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# ------------------------------------------------------------------ packages

# lab_ensure_packages — apt-get install frr bird2 tcpdump tshark iproute2 jq,
# only those whose programs are missing. Prints nothing when all are present.
lab_ensure_packages() {
  local need=() p
  { [ -x "$LAB_FRR_BIN/zebra" ] && [ -x "$LAB_FRR_BIN/ospfd" ] && [ -x "$LAB_FRR_BIN/staticd" ] &&
    command -v vtysh >/dev/null; } || need+=(frr)
  { command -v bird >/dev/null && command -v birdc >/dev/null; } || need+=(bird2)
  command -v tcpdump >/dev/null || need+=(tcpdump)
  command -v tshark >/dev/null || need+=(tshark)
  { command -v ip >/dev/null && command -v tc >/dev/null; } || need+=(iproute2)
  command -v jq >/dev/null || need+=(jq)
  [ ${#need[@]} -gt 0 ] || return 0
  lab_log "installing missing packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections 2>/dev/null || true
  apt-get update -qq || { lab_err "apt-get update failed"; return 1; }
  apt-get install -y -qq "${need[@]}" >/dev/null || { lab_err "apt-get install ${need[*]} failed"; return 1; }
  for p in frr; do id "$p" >/dev/null 2>&1 || { lab_err "user $p missing after install"; return 1; }; done
}

# ------------------------------------------------------------------ links

# lab_ns NAME — create namespace $LAB_PREFIX$NAME (lo up, IPv4 forwarding on).
# Fails if it already exists (another run with the same LAB_PREFIX?).
lab_ns() {
  local ns; ns=$(lab_nsname "$1")
  if [ -e "/run/netns/$ns" ]; then
    lab_err "namespace $ns already exists — another lab run, or a leftover? (set LAB_PREFIX to run beside it)"
    return 1
  fi
  ip netns add "$ns" || { lab_err "ip netns add $ns failed"; return 1; }
  echo "$ns" >>"$LAB_WORK/.namespaces"
  ip -n "$ns" link set dev lo up
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 >/dev/null 2>&1 || true
}

# lab_addr NS IF ADDR/LEN — add an address and bring the link up.
lab_addr() {
  local ns; ns=$(lab_nsname "$1"); _lab_own "$ns" || return 1
  ip -n "$ns" addr add "$3" dev "$2" || { lab_err "addr $3 on $ns:$2 failed"; return 1; }
  ip -n "$ns" link set dev "$2" up
}

# lab_veth NS1 IF1 ADDR1 NS2 IF2 ADDR2 [MTU] [TXQUEUES]
# A veth pair between two namespaces; ADDRx may be "" (no address). MTU
# defaults to 1500; TXQUEUES (e.g. 4) creates multi-queue ends (for mq).
lab_veth() {
  local a b mtu=${7:-1500} q=()
  a=$(lab_nsname "$1"); b=$(lab_nsname "$4"); _lab_own "$a" "$b" || return 1
  [ -z "${8:-}" ] || q=(numtxqueues "$8" numrxqueues "$8")
  ip -n "$a" link add name "$2" "${q[@]}" type veth peer name "$5" netns "$b" "${q[@]}" ||
    { lab_err "veth $a:$2 <-> $b:$5 failed"; return 1; }
  ip -n "$a" link set dev "$2" mtu "$mtu"
  ip -n "$b" link set dev "$5" mtu "$mtu"
  [ -z "$3" ] || ip -n "$a" addr add "$3" dev "$2"
  [ -z "$6" ] || ip -n "$b" addr add "$6" dev "$5"
  ip -n "$a" link set dev "$2" up
  ip -n "$b" link set dev "$5" up
}

# lab_bridge NS BR [ADDR] — a Linux bridge (no STP, no multicast snooping).
lab_bridge() {
  local ns; ns=$(lab_nsname "$1"); _lab_own "$ns" || return 1
  ip -n "$ns" link add name "$2" type bridge mcast_snooping 0 forward_delay 0 ||
    { lab_err "bridge $ns:$2 failed"; return 1; }
  [ -z "${3:-}" ] || ip -n "$ns" addr add "$3" dev "$2"
  ip -n "$ns" link set dev "$2" up
}

# lab_bridge_attach NS BR IF... — enslave links to a bridge.
lab_bridge_attach() {
  local ns br i; ns=$(lab_nsname "$1"); br=$2; shift 2; _lab_own "$ns" || return 1
  for i in "$@"; do
    ip -n "$ns" link set dev "$i" master "$br" || { lab_err "attach $ns:$i to $br failed"; return 1; }
    ip -n "$ns" link set dev "$i" up
  done
}

# lab_stubnet NS IF ADDR/LEN — hold a prefix on an empty bridge (this kernel
# has no dummy links); the link is UP/LOWER_UP so FRR treats it as connected.
lab_stubnet() { lab_bridge "$1" "$2" "$3"; }

# ------------------------------------------------------------------ FRR

# lab_frr_dir NS — prints the FRR instance folder (config, logs, vty sockets).
lab_frr_dir() { printf '%s/frr-%s\n' "$LAB_WORK" "$(_lab_short "$1")"; }

# lab_frr_start NS CONFIG_TEXT — write frr.conf, start zebra, staticd (only if
# the config has "ip route" lines), bfdd (only if a line has the word "bfd":
# a "bfd" block, "ip ospf bfd", ...) and ospfd in NS; folder owned by frr.
# bfdd's control socket is DIR/bfdd.sock (its default /var/run/frr/bfdd.sock
# would be shared by every namespace).
lab_frr_start() {
  local ns dir d; ns=$(lab_nsname "$1"); dir=$(lab_frr_dir "$1"); _lab_own "$ns" || return 1
  [ ! -e "$dir/ospfd.vty" ] || { lab_err "FRR already running in $ns"; return 1; }
  mkdir -p "$dir"
  printf '%s\n' "$2" >"$dir/frr.conf"
  chown -R frr:frr "$dir"
  local daemons=(zebra)
  grep -q '^[[:space:]]*ip route ' "$dir/frr.conf" && daemons+=(staticd)
  _lab_frr_conf_has_bfd "$dir/frr.conf" && daemons+=(bfdd)
  daemons+=(ospfd)
  for d in "${daemons[@]}"; do _lab_frr_run "$ns" "$d" || return 1; done
  lab_log "FRR started in $ns (${daemons[*]}; $dir)"
}
# _lab_frr_run NS DAEMON — start one FRR daemon of the instance in NS, record
# its pid, wait for its vty socket (and zebra's API socket).
_lab_frr_run() {
  local ns=$1 d=$2 dir extra=(); dir=$(lab_frr_dir "$1")
  rm -f "$dir/$d.pid"
  [ "$d" != bfdd ] || { rm -f "$dir/bfdd.sock"; extra=(--bfdctl "$dir/bfdd.sock"); }
  ip netns exec "$ns" "$LAB_FRR_BIN/$d" -d -f "$dir/frr.conf" -i "$dir/$d.pid" \
    -z "$dir/zserv.api" --vty_socket "$dir" -P 0 --log "file:$dir/$d.log" "${extra[@]}" \
    >"$dir/$d.out" 2>&1 || { cat "$dir/$d.out" >&2; lab_err "$ns: $d failed to start"; return 1; }
  _lab_poll 10 0.05 test -s "$dir/$d.pid" || { cat "$dir/$d.out" >&2; lab_err "$ns: no pid file from $d"; return 1; }
  _lab_record_pid "$(cat "$dir/$d.pid")" "$ns" "frr-$d"
  if [ "$d" = zebra ]; then
    _lab_poll 10 0.05 test -S "$dir/zserv.api" || { lab_err "$ns: zebra API socket missing"; return 1; }
  fi
  _lab_poll 10 0.05 test -S "$dir/$d.vty" || { tail -20 "$dir/$d.log" >&2; lab_err "$ns: $d vty socket missing"; return 1; }
}
# _lab_frr_conf_has_bfd FILE — true if a line (not a "!" comment) has the word "bfd".
_lab_frr_conf_has_bfd() { grep -Eq '^[[:space:]]*([^![:space:]][^!]*[[:space:]])?bfd([[:space:]]|$)' "$1"; }

# lab_frr NS CMD... — vtysh against that instance, one -c per CMD.
lab_frr() {
  local dir a=(); dir=$(lab_frr_dir "$1"); shift
  local c; for c in "$@"; do a+=(-c "$c"); done
  vtysh --vty_socket "$dir" "${a[@]}"
}

# lab_frr_stop NS [SIGNAL] — stop ospfd (default TERM: it flushes its LSAs), then
# bfdd, staticd and zebra with TERM. Returns 1 if a daemon did not exit in 10 s.
lab_frr_stop() {
  local dir d pid rc=0; dir=$(lab_frr_dir "$1")
  for d in ospfd bfdd staticd zebra; do
    [ -s "$dir/$d.pid" ] || continue
    pid=$(cat "$dir/$d.pid")
    if [ $d = ospfd ]; then _lab_signal_wait "$pid" "${2:-TERM}" 10 || rc=1
    else _lab_signal_wait "$pid" TERM 10 || rc=1; fi
    rm -f "$dir/$d.pid" "$dir/$d.vty"
    [ $d != bfdd ] || rm -f "$dir/bfdd.sock"
  done
  [ $rc = 0 ] || lab_err "FRR in $(lab_nsname "$1") did not stop"
  return $rc
}

# lab_frr_bfdd_stop NS [SIGNAL] — stop only bfdd (default KILL: BFD goes
# silent while zebra and ospfd, and so OSPF, stay up); waits up to 10 s.
# lab_frr_bfdd_start NS — start it again (same frr.conf; ospfd's sessions are
# replayed to it through zebra).
lab_frr_bfdd_stop() {
  local dir pid; dir=$(lab_frr_dir "$1")
  [ -s "$dir/bfdd.pid" ] || { lab_err "no bfdd running in $(lab_nsname "$1")"; return 1; }
  pid=$(cat "$dir/bfdd.pid")
  _lab_signal_wait "$pid" "${2:-KILL}" 10 || { lab_err "bfdd in $(lab_nsname "$1") did not exit"; return 1; }
  rm -f "$dir/bfdd.pid" "$dir/bfdd.vty" "$dir/bfdd.sock"
}
lab_frr_bfdd_start() {
  local ns dir; ns=$(lab_nsname "$1"); dir=$(lab_frr_dir "$1"); _lab_own "$ns" || return 1
  [ -S "$dir/zserv.api" ] || { lab_err "FRR is not running in $ns"; return 1; }
  [ ! -s "$dir/bfdd.pid" ] || ! _lab_pid_alive "$(cat "$dir/bfdd.pid")" || { lab_err "bfdd already running in $ns"; return 1; }
  _lab_frr_run "$ns" bfdd && lab_log "bfdd started in $ns"
}

# ------------------------------------------------------------------ BIRD

# lab_bird_dir NS — prints the BIRD instance folder (bird.conf, bird.ctl, bird.log).
lab_bird_dir() { printf '%s/bird-%s\n' "$LAB_WORK" "$(_lab_short "$1")"; }

# lab_bird_start NS CONFIG_TEXT — check the config parses, start `bird -f` in NS
# (log: DIR/bird.log, appended across restarts), wait for the control socket.
lab_bird_start() {
  local ns dir pid; ns=$(lab_nsname "$1"); dir=$(lab_bird_dir "$1"); _lab_own "$ns" || return 1
  mkdir -p "$dir"
  if [ -s "$dir/pid" ] && _lab_pid_alive "$(cat "$dir/pid")"; then lab_err "BIRD already running in $ns"; return 1; fi
  printf '%s\n' "$2" >"$dir/bird.conf"
  bird -p -c "$dir/bird.conf" 2>"$dir/parse.err" || { cat "$dir/parse.err" >&2; lab_err "$ns: bird.conf does not parse ($dir/bird.conf)"; return 1; }
  rm -f "$dir/bird.ctl"
  echo "--- start $(date +%T.%N)" >>"$dir/bird.log"
  ip netns exec "$ns" bird -f -c "$dir/bird.conf" -s "$dir/bird.ctl" -P "$dir/bird.pid" >>"$dir/bird.log" 2>&1 &
  pid=$!
  _lab_record_pid "$pid" "$ns" bird
  echo "$pid" >"$dir/pid"
  if ! _lab_poll 10 0.05 _lab_bird_up "$dir"; then
    tail -30 "$dir/bird.log" >&2; lab_err "$ns: BIRD control socket did not answer"; return 1
  fi
  lab_log "BIRD started in $ns (pid $pid; $dir)"
}
_lab_bird_up() { [ -S "$1/bird.ctl" ] && birdc -s "$1/bird.ctl" show status 2>/dev/null | grep -q 'up and running'; }

# lab_birdc NS CMD... — birdc against that instance (the "BIRD x ready." banner removed).
lab_birdc() {
  local dir; dir=$(lab_bird_dir "$1"); shift
  birdc -s "$dir/bird.ctl" "$@" | sed '1{/^BIRD .* ready\.$/d}'
}

# lab_bird_pid NS — prints BIRD's pid in NS (empty if not running).
lab_bird_pid() {
  local f; f=$(lab_bird_dir "$1")/pid
  if [ -s "$f" ] && _lab_pid_alive "$(cat "$f")"; then cat "$f"; fi
}

# lab_bird_stop NS [SIGNAL] — signal BIRD (default TERM: it says goodbye in a
# last Hello; KILL: a dead box) and wait up to 10 s for it to exit.
lab_bird_stop() {
  local dir pid; dir=$(lab_bird_dir "$1")
  pid=$(lab_bird_pid "$1")
  [ -n "$pid" ] || return 0
  _lab_signal_wait "$pid" "${2:-TERM}" 10 || { lab_err "BIRD in $(lab_nsname "$1") did not exit"; return 1; }
  wait "$pid" 2>/dev/null || true
  rm -f "$dir/pid"
}

# lab_bird_reconfigure NS CONFIG_TEXT — replace bird.conf and `birdc configure`.
lab_bird_reconfigure() {
  local dir out; dir=$(lab_bird_dir "$1")
  printf '%s\n' "$2" >"$dir/bird.conf.new"
  bird -p -c "$dir/bird.conf.new" 2>"$dir/parse.err" || { cat "$dir/parse.err" >&2; lab_err "new bird.conf does not parse"; return 1; }
  mv "$dir/bird.conf.new" "$dir/bird.conf"
  out=$(lab_birdc "$1" configure 2>&1) || true
  case $out in
    *Reconfigured*|*"Reconfiguration in progress"*) return 0 ;;
    *) printf '%s\n' "$out" >&2; lab_err "birdc configure in $(lab_nsname "$1") failed"; return 1 ;;
  esac
}

# ------------------------------------------------------------------ speaker

# lab_speaker_start NS CONFIG_FILE [ARGS...] — run "$SPEAKER run --config FILE
# ARGS..." in NS in the background; output to $LAB_WORK/speaker-<short>.log.
# Sets LAB_SPEAKER_PID; the pid is also in $LAB_WORK/speaker-<short>.pid.
lab_speaker_start() {
  local ns short cfg log pid; ns=$(lab_nsname "$1"); short=$(_lab_short "$1"); cfg=$2; shift 2
  _lab_own "$ns" || return 1
  [ -n "${SPEAKER:-}" ] && [ -x "$SPEAKER" ] || { lab_err "SPEAKER must name the speaker binary (got '${SPEAKER:-}')"; return 1; }
  [ -r "$cfg" ] || { lab_err "speaker config $cfg not readable"; return 1; }
  log=$LAB_WORK/speaker-$short.log
  echo "--- start $(date +%T.%N): $SPEAKER run --config $cfg $*" >>"$log"
  ip netns exec "$ns" "$SPEAKER" run --config "$cfg" "$@" >>"$log" 2>&1 &
  pid=$!
  _lab_record_pid "$pid" "$ns" speaker
  echo "$pid" >"$LAB_WORK/speaker-$short.pid"
  LAB_SPEAKER_PID=$pid
  sleep 0.2
  if ! _lab_pid_alive "$pid"; then
    tail -40 "$log" >&2; lab_err "speaker exited right after start (log $log)"; return 1
  fi
  lab_log "speaker started in $ns (pid $pid; log $log)"
}

# lab_speaker_pid [NS] — prints the pid(s) of running speakers (all, or NS's).
lab_speaker_pid() {
  local f
  for f in "$LAB_WORK"/speaker-*.pid; do
    [ -e "$f" ] || continue
    [ -z "${1:-}" ] || [ "$f" = "$LAB_WORK/speaker-$(_lab_short "$1").pid" ] || continue
    _lab_pid_alive "$(cat "$f")" && cat "$f"
  done
  return 0
}

# lab_speaker_stop [SIGNAL] [NS] — signal the speaker(s) (default TERM) and wait
# up to 10 s for exit; a TERM that is ignored is followed by KILL and return 1.
# Sets LAB_SPEAKER_EXIT to the exit status of the last one stopped (128+N for
# a signal N; 127 when it was not started by this shell, e.g. in a subshell).
lab_speaker_stop() {
  local sig=${1:-TERM} f pid rc=0
  for f in "$LAB_WORK"/speaker-*.pid; do
    [ -e "$f" ] || continue
    [ -z "${2:-}" ] || [ "$f" = "$LAB_WORK/speaker-$(_lab_short "$2").pid" ] || continue
    pid=$(cat "$f")
    if ! _lab_signal_wait "$pid" "$sig" 10; then
      lab_err "speaker $pid ignored SIG$sig for 10 s; killing"
      _lab_signal_wait "$pid" KILL 5 || true
      rc=1
    fi
    LAB_SPEAKER_EXIT=0
    wait "$pid" 2>/dev/null || LAB_SPEAKER_EXIT=$?
    rm -f "$f"
  done
  LAB_SPEAKER_PID=""
  return $rc
}

# ------------------------------------------------------------------ diagnostics

# lab_debug [NS...] — print neighbours, interfaces, LSDB and log tails of the
# routers in the given namespaces (default: all of this run) to stderr.
lab_debug() {
  local nss=() n short dir
  if [ $# -gt 0 ]; then for n in "$@"; do nss+=("$(lab_nsname "$n")"); done
  else mapfile -t nss <"$LAB_WORK/.namespaces"; fi
  {
    for n in "${nss[@]}"; do
      short=$(_lab_short "$n")
      dir=$LAB_WORK/frr-$short
      if [ -S "$dir/ospfd.vty" ]; then
        echo "===== $n: FRR"
        lab_frr "$n" "show ip ospf neighbor" "show ip ospf interface" "show ip ospf database" "show ip route" 2>&1 | sed 's/^/  /'
        [ ! -S "$dir/bfdd.vty" ] || lab_frr "$n" "show bfd peers" 2>&1 | sed 's/^/  /'
        echo "----- $dir/ospfd.log (tail)"; tail -25 "$dir/ospfd.log" 2>/dev/null | sed 's/^/  /'
      fi
      dir=$LAB_WORK/bird-$short
      if [ -d "$dir" ]; then
        echo "===== $n: BIRD (pid $(lab_bird_pid "$n"))"
        if [ -S "$dir/bird.ctl" ] && [ -n "$(lab_bird_pid "$n")" ]; then
          lab_birdc "$n" show ospf neighbors 2>&1 | sed 's/^/  /'
          lab_birdc "$n" show ospf interface 2>&1 | sed 's/^/  /'
          lab_birdc "$n" show ospf state all 2>&1 | sed 's/^/  /'
          ! grep -q '^[[:space:]]*protocol bfd' "$dir/bird.conf" 2>/dev/null || lab_birdc "$n" show bfd sessions 2>&1 | sed 's/^/  /'
        fi
        echo "----- $dir/bird.log (tail)"; tail -25 "$dir/bird.log" 2>/dev/null | sed 's/^/  /'
      fi
      if [ -e "$LAB_WORK/speaker-$short.log" ]; then
        echo "===== $n: speaker log (tail)"; tail -40 "$LAB_WORK/speaker-$short.log" | sed 's/^/  /'
      fi
    done
  } >&2
  return 0
}

# _lab_wait_eq TIMEOUT_S START_MS INTERVAL_MS EXPECTED DESC DEBUG_NS CMD...
# Poll CMD until its stdout equals EXPECTED; print elapsed ms since START_MS.
_lab_wait_eq() {
  local timeout=$1 start=$2 interval=$3 want=$4 desc=$5 dbg=$6; shift 6
  local deadline now got t sl
  [ -n "$start" ] || start=$(lab_now_ms)
  deadline=$(( $(lab_now_ms) + ${timeout%.*} * 1000 ))
  sl=$(printf '0.%03d' "$interval")
  while :; do
    got=$("$@" 2>/dev/null) || got=""
    t=${EPOCHREALTIME//[!0-9]/}; now=$((t / 1000))
    if [ "$got" = "$want" ]; then echo $((now - start)); return 0; fi
    [ "$now" -lt "$deadline" ] || break
    sleep "$sl"
  done
  lab_err "timeout ${timeout}s: $desc: wanted '${want}', last saw '${got}'"
  if [ -n "$dbg" ]; then lab_debug "$dbg"; else lab_debug; fi
  return 1
}

# ------------------------------------------------------------------ FRR queries

# lab_frr_neighbor_state NS ROUTER_ID [IFNAME] — prints the state of each
# adjacency with ROUTER_ID ("Full/DR", "2-Way/DROther", ...), one per line.
lab_frr_neighbor_state() {
  lab_frr "$1" "show ip ospf neighbor json" |
    jq -r --arg r "$2" --arg i "${3:-}" '.neighbors[$r][]? |
      select($i == "" or ((.ifaceName // "") | split(":")[0]) == $i) | .nbrState // .state'
}
_lab_frr_full() {               # true when every listed adjacency with RID is Full (and there is one)
  local s; s=$(lab_frr_neighbor_state "$@") || return 1
  [ -n "$s" ] && ! grep -qv '^Full' <<<"$s"
}

# lab_wait_frr_neighbor_full NS ROUTER_ID TIMEOUT_S [IFNAME] — wait until FRR
# in NS is Full with ROUTER_ID (on IFNAME, or on every interface it lists it);
# prints elapsed ms. On timeout prints the routers' state and logs, returns 1.
lab_wait_frr_neighbor_full() {
  local start; start=$(lab_now_ms)
  if _lab_poll "$3" 0.1 _lab_frr_full "$1" "$2" "${4:-}"; then echo $(( $(lab_now_ms) - start )); return 0; fi
  lab_err "timeout ${3}s: FRR in $(lab_nsname "$1") not Full with $2${4:+ on $4} (state: $(lab_frr_neighbor_state "$1" "$2" "${4:-}" 2>/dev/null | paste -sd, ))"
  lab_debug
  return 1
}

# lab_frr_route_json NS PREFIX — prints `show ip route PREFIX json`.
lab_frr_route_json() { lab_frr "$1" "show ip route $2 json"; }

# lab_frr_route_nexthop NS PREFIX — prints the next hop(s) of the selected
# route for exactly PREFIX: "10.1.0.2", several space-separated for ECMP,
# "dev IF" for a connected route; empty when there is no route.
lab_frr_route_nexthop() {
  lab_frr_route_json "$1" "$2" | jq -r --arg p "$2" '
    [(.[$p] // [])[] | select(.selected == true)][0].nexthops // [] |
    map(select(.active == true) | (.ip // ("dev " + (.interfaceName // "?")))) | sort | join(" ")'
}

# lab_frr_route_protocol NS PREFIX — prints protocol of the selected route (ospf, connected, ...).
lab_frr_route_protocol() {
  lab_frr_route_json "$1" "$2" | jq -r --arg p "$2" '[(.[$p] // [])[] | select(.selected == true)][0].protocol // empty'
}

# lab_frr_route_metric NS PREFIX — prints the metric of the selected route
# (for an E2 route: the type-2 metric); empty when there is no route.
lab_frr_route_metric() {
  lab_frr_route_json "$1" "$2" | jq -r --arg p "$2" '[(.[$p] // [])[] | select(.selected == true)][0].metric // empty'
}

# lab_fib_nexthop NS PREFIX — prints the next hop(s) of the namespace's kernel
# route for exactly PREFIX (main table), in the same form as
# lab_frr_route_nexthop: "10.1.0.2", "a b" (ECMP, sorted), "dev IF", or empty.
# Costs ~2 ms (no vtysh, no jq), so it can be polled every 10 ms.
lab_fib_nexthop() {
  local ns line out="" dev="" first=1 re_via='(^|[[:space:]])via ([0-9.]+)' re_dev='(^|[[:space:]])dev ([^[:space:]]+)'
  ns=$(lab_nsname "$1")
  while IFS= read -r line; do
    if [[ $line != [[:space:]]* ]]; then [ $first = 1 ] || break; first=0; fi
    if [[ $line =~ $re_via ]]; then out+="${out:+ }${BASH_REMATCH[2]}"
    elif [[ -z $out && -z $dev && $line =~ $re_dev ]]; then dev=${BASH_REMATCH[2]}; fi
  done < <(ip -n "$ns" route show exact "$2" 2>/dev/null)
  if [[ $out == *" "* ]]; then out=$(tr ' ' '\n' <<<"$out" | LC_ALL=C sort | paste -sd' '); fi
  if [ -n "$out" ]; then echo "$out"; elif [ -n "$dev" ]; then echo "dev $dev"; else echo ""; fi
}

# lab_wait_frr_route NS PREFIX NEXTHOP TIMEOUT_S [START_MS] — wait until the
# route FRR selected for PREFIX goes via NEXTHOP ("" = until there is no
# route); prints the milliseconds elapsed since START_MS (default: the call).
# Take START_MS with lab_now_ms right before the trigger to measure convergence.
# It polls the namespace's kernel FIB every LAB_POLL_MS (10) ms — the moment
# zebra installed the change, i.e. when traffic moves — and confirms the match
# against FRR's RIB (vtysh) before reporting. LAB_ROUTE_SOURCE=rib polls the
# RIB only (~60 ms per poll). On timeout prints FIB, RIB and the routers'
# state and logs, and returns 1.
lab_wait_frr_route() {
  local ns=$1 p=$2 want=$3 timeout=$4 start=${5:-} deadline now t got="" rib="" sl
  if [ "${LAB_ROUTE_SOURCE:-fib}" = rib ]; then
    _lab_wait_eq "$timeout" "$start" "$LAB_POLL_MS" "$want" "FRR $(lab_nsname "$ns") route $p next hop" "" \
      lab_frr_route_nexthop "$ns" "$p"
    return
  fi
  [ -n "$start" ] || start=$(lab_now_ms)
  deadline=$(( $(lab_now_ms) + ${timeout%.*} * 1000 ))
  sl=$(printf '0.%03d' "$LAB_POLL_MS")
  while :; do
    got=$(lab_fib_nexthop "$ns" "$p")
    t=${EPOCHREALTIME//[!0-9]/}; now=$((t / 1000))
    if [ "$got" = "$want" ]; then
      rib=$(lab_frr_route_nexthop "$ns" "$p" 2>/dev/null) || rib="?"
      if [ "$rib" = "$want" ]; then echo $((now - start)); return 0; fi
    fi
    [ "$now" -lt "$deadline" ] || break
    sleep "$sl"
  done
  rib=$(lab_frr_route_nexthop "$ns" "$p" 2>/dev/null) || rib="?"
  lab_err "timeout ${timeout}s: FRR $(lab_nsname "$ns") route $p: wanted next hop '$want', kernel FIB has '$got', FRR RIB has '$rib'"
  lab_debug
  return 1
}

# lab_frr_ospf_route_nexthop NS KEY — prints the next hop(s) of KEY (a prefix
# "10.2.0.0/24" or a border router ID "10.0.0.2") in FRR's OSPF routing table
# (`show ip ospf route json`; sorted, space-separated; "dev IF" if directly
# attached; empty if absent). For ASBRs this shows the path the SPF chose,
# e.g. whether a bypass link is already usable as transit.
lab_frr_ospf_route_nexthop() {
  lab_frr "$1" "show ip ospf route json" | jq -r --arg k "$2" '
    (.[$k].nexthops // []) | map(if (.ip // " ") != " " then .ip else "dev " + (.directlyAttachedTo // "?") end) | sort | join(" ")'
}

# lab_wait_frr_ospf_route NS KEY NEXTHOP TIMEOUT_S — poll (every 100 ms) until
# lab_frr_ospf_route_nexthop prints NEXTHOP; prints ms waited, or fails loudly.
lab_wait_frr_ospf_route() {
  local start; start=$(lab_now_ms)
  if _lab_poll "$4" 0.1 _lab_ospf_route_is "$1" "$2" "$3"; then echo $(( $(lab_now_ms) - start )); return 0; fi
  lab_err "timeout ${4}s: FRR $(lab_nsname "$1") OSPF route to $2: wanted '$3', has '$(lab_frr_ospf_route_nexthop "$1" "$2" 2>/dev/null)'"
  lab_debug
  return 1
}
_lab_ospf_route_is() { [ "$(lab_frr_ospf_route_nexthop "$1" "$2")" = "$3" ]; }

# jq helpers: dotted quad <-> number, prefix match with BIRD-style LS IDs.
_LAB_JQ_IP='def ip2n: split(".") | map(tonumber) | .[0]*16777216 + .[1]*65536 + .[2]*256 + .[3];
def pow2($k): reduce range(0; $k) as $_ (1; . * 2);
def net($len): (ip2n / pow2(32 - $len) | floor) * pow2(32 - $len);'

# lab_frr_lsa_json NS ADV_ROUTER PREFIX — prints the type-5 LSA (FRR's JSON
# object) originated by ADV_ROUTER for PREFIX (a.b.c.d/len; matched as
# LS ID AND mask, so BIRD's host-bit LS IDs match too); empty if none.
lab_frr_lsa_json() {
  local p=${3%/*} l=${3#*/}
  [ "$l" != "$3" ] || l=32
  lab_frr "$1" "show ip ospf database external json" |
    jq -c --arg adv "$2" --arg p "$p" --argjson l "$l" "$_LAB_JQ_IP"'
      [.asExternalLinkStates[]? | select(.advertisingRouter == $adv and .networkMask == $l
        and (.linkStateId | net($l)) == ($p | net($l)))][0] // empty'
}

# lab_frr_lsa_metric NS ADV_ROUTER PREFIX — prints the metric of that type-5
# LSA in FRR's LSDB; empty when absent or at MaxAge (being flushed).
lab_frr_lsa_metric() {
  lab_frr_lsa_json "$@" | jq -r 'select(.lsaAge < 3600) | .metric'
}

# lab_frr_lsa_summary NS ADV_ROUTER PREFIX — prints one line
# "E2 metric=1 fa=10.1.0.2 tag=0 age=3 seq=80000002" (empty if absent).
lab_frr_lsa_summary() {
  lab_frr_lsa_json "$@" | jq -r '"\(.metricType | split(" ")[0]) metric=\(.metric) fa=\(.forwardAddress) tag=\(.externalRouteTag) age=\(.lsaAge) seq=\(.lsaSeqNumber)"'
}

# lab_wait_frr_lsa_metric NS ADV_ROUTER PREFIX METRIC TIMEOUT_S [START_MS] —
# wait until FRR's LSDB holds that LSA with METRIC ("" = absent/MaxAge); prints ms.
lab_wait_frr_lsa_metric() {
  _lab_wait_eq "$5" "${6:-}" 50 "$4" "FRR $(lab_nsname "$1") type-5 $3 from $2 metric" "" \
    lab_frr_lsa_metric "$1" "$2" "$3"
}

# lab_frr_lsa_age NS ADV_ROUTER PREFIX — prints the LS age (s) of that type-5 LSA (empty if absent).
lab_frr_lsa_age() { lab_frr_lsa_json "$@" | jq -r '.lsaAge'; }

# lab_wait_frr_lsa_age NS ADV_ROUTER PREFIX MIN_AGE TIMEOUT_S — wait until that
# LSA is at least MIN_AGE s old (e.g. 5: past the originator's MinLSInterval,
# so its next change is sent at once); prints ms waited.
lab_wait_frr_lsa_age() {
  local start; start=$(lab_now_ms)
  if _lab_poll "$5" 0.2 _lab_lsa_older "$1" "$2" "$3" "$4"; then echo $(( $(lab_now_ms) - start )); return 0; fi
  lab_err "timeout ${5}s: FRR $(lab_nsname "$1") type-5 $3 from $2 not ${4}s old (age '$(lab_frr_lsa_age "$1" "$2" "$3")')"
  return 1
}
_lab_lsa_older() { local a; a=$(lab_frr_lsa_age "$1" "$2" "$3"); [ -n "$a" ] && [ "$a" -ge "$4" ]; }

# lab_frr_network_lsa_routers NS PREFIX — prints the router IDs attached in the
# Network-LSA for the network PREFIX (sorted, space-separated; empty if none).
lab_frr_network_lsa_routers() {
  local p=${2%/*} l=${2#*/}
  lab_frr "$1" "show ip ospf database network json" |
    jq -r --arg p "$p" --argjson l "$l" "$_LAB_JQ_IP"'
      [.networkLinkStates.areas[]?[]? | select(.lsaAge < 3600 and .networkMask == $l
        and (.linkStateId | net($l)) == ($p | net($l)))][0] //{} |
      (.attchedRouters // .attachedRouters // {}) | keys | sort | join(" ")'
}

# lab_frr_router_lsa_present NS ADV_ROUTER — true if FRR holds a live Router-LSA from ADV_ROUTER.
lab_frr_router_lsa_present() {
  lab_frr "$1" "show ip ospf database router json" |
    jq -e --arg a "$2" '[.. | objects | select(.advertisingRouter? == $a and .lsaAge? < 3600)] | length > 0' >/dev/null
}

# ------------------------------------------------------------------ BFD queries
# FRR: bfdd runs when the config has a "bfd" line (lab_frr_start). Its session
# states are up, down, init and shutdown (our own AdminDown: "shutdown" in the
# bfd profile or peer). ospfd creates a session ~1 s after a neighbor reaches
# 2-Way and deletes it when the neighbor goes; a BFD Down (after Up) kills the
# neighbor, so right after a failure FRR has no session for a moment, then a
# new one (new discriminator, new source port) that stays down while OSPF is
# Full again. Time a detection from the other side or from a capture.
# BIRD: needs a "protocol bfd"; its states are printed lower-cased: up, down,
# init, admindown. lab_capture_start NS IF FILE "udp port 3784" captures BFD;
# lab_pcap_bfd FILE decodes it.

# lab_frr_bfd_peers NS — prints `show bfd peers json` (an array of sessions).
lab_frr_bfd_peers() { lab_frr "$1" "show bfd peers json"; }

# lab_frr_bfd_peer_state NS PEER_ADDR — prints the state of each session FRR
# has with PEER_ADDR, one per line (empty: no session).
lab_frr_bfd_peer_state() {
  lab_frr_bfd_peers "$1" | jq -r --arg p "$2" '.[]? | select(.peer == $p) | .status'
}

# lab_wait_frr_bfd_peer NS PEER_ADDR STATE TIMEOUT_S [START_MS] — wait until
# every session FRR has with PEER_ADDR is in STATE (up, down, init, shutdown;
# "" = until there is none); prints the ms elapsed since START_MS (default:
# the call). Polls every 20 ms (one vtysh+jq query costs ~60 ms). On timeout
# prints the routers' state and logs and returns 1.
lab_wait_frr_bfd_peer() {
  _lab_wait_eq "$4" "${5:-}" 20 "$(_lab_bfd_state_norm "$3")" "FRR $(lab_nsname "$1") BFD session with $2" "" \
    _lab_states_joined lab_frr_bfd_peer_state "$1" "$2"
}

# lab_bird_bfd_peer_state NS PEER_ADDR — prints the state of each BFD session
# BIRD has with PEER_ADDR (`show bfd sessions`), lower-cased, one per line.
lab_bird_bfd_peer_state() {
  lab_birdc "$1" show bfd sessions | awk -v p="$2" '$1 == p { print tolower($3) }'
}

# lab_wait_bird_bfd_peer NS PEER_ADDR STATE TIMEOUT_S [START_MS] — as
# lab_wait_frr_bfd_peer (STATE up, down, init, admindown); prints ms.
lab_wait_bird_bfd_peer() {
  _lab_wait_eq "$4" "${5:-}" 20 "$(_lab_bfd_state_norm "$3")" "BIRD $(lab_nsname "$1") BFD session with $2" "" \
    _lab_states_joined lab_bird_bfd_peer_state "$1" "$2"
}

# _lab_states_joined CMD... — CMD's lines, de-duplicated and joined with ","
# (so "up" means: there is at least one session and every one is up).
_lab_states_joined() { "$@" | LC_ALL=C sort -u | paste -sd, -; }
_lab_bfd_state_norm() { local s=${1,,}; printf '%s\n' "${s//-/}"; }

# lab_bfd_block NS IF — drop the BFD control packets (UDP to port 3784) that
# NS sends out of IF; OSPF and all other traffic still pass. The peer's BFD
# times out (Down, diag 1) while OSPF stays up: a router whose BFD died. This
# kernel has no netem or gact and no iptables/nft programs are installed, so:
# root htb "bfd:" (default class bfd:1), a u32 filter sending UDP dport 3784
# to class bfd:2, whose qdisc is a blackhole. Refuses to replace another root
# qdisc (e.g. the LibreQoS tree). lab_bfd_unblock NS IF removes it;
# lab_bfd_dropped NS IF prints how many packets it dropped.
lab_bfd_block() {
  local ns dev=$2 h; ns=$(lab_nsname "$1"); _lab_own "$ns" || return 1
  h=$(tc -n "$ns" -j qdisc show dev "$dev" root | jq -r '.[0].handle // ""') || { lab_err "no link $ns:$dev"; return 1; }
  case $h in
    bfd:) return 0 ;;
    0:|"") ;;
    *) lab_err "$ns:$dev already has root qdisc $h; not replacing it"; return 1 ;;
  esac
  { tc -n "$ns" qdisc add dev "$dev" root handle bfd: htb default 1 &&
    tc -n "$ns" class add dev "$dev" parent bfd: classid bfd:1 htb rate 10gbit quantum 1514 &&
    tc -n "$ns" class add dev "$dev" parent bfd: classid bfd:2 htb rate 10gbit quantum 1514 &&
    tc -n "$ns" qdisc add dev "$dev" parent bfd:2 handle bfe: blackhole &&
    tc -n "$ns" filter add dev "$dev" parent bfd: protocol ip prio 1 u32 \
      match ip protocol 17 0xff match ip dport 3784 0xffff flowid bfd:2; } ||
    { tc -n "$ns" qdisc del dev "$dev" root 2>/dev/null; lab_err "could not block BFD on $ns:$dev"; return 1; }
}
lab_bfd_unblock() {
  local ns; ns=$(lab_nsname "$1"); _lab_own "$ns" || return 1
  [ "$(tc -n "$ns" -j qdisc show dev "$2" root | jq -r '.[0].handle // ""')" = bfd: ] || return 0
  tc -n "$ns" qdisc del dev "$2" root || { lab_err "could not unblock BFD on $ns:$2"; return 1; }
}
lab_bfd_dropped() {
  tc -n "$(lab_nsname "$1")" -s -j qdisc show dev "$2" | jq -r '[.[] | select(.kind == "blackhole") | .drops][0] // 0'
}

# lab_pcap_bfd FILE — prints one line per BFD control packet in a capture:
# "TIME SRC:SPORT ttl=T STATE diag=D P F mult=M my=DISC your=DISC tx=US rx=US echo=US"
# (TIME relative to the first packet; intervals in microseconds; P/F shown when set).
lab_pcap_bfd() {
  tshark -r "$1" -Y 'bfd && udp.dstport == 3784' -T fields -E separator=' ' -e frame.time_relative \
    -e ip.src -e udp.srcport -e ip.ttl -e bfd.sta -e bfd.diag -e bfd.flags.p -e bfd.flags.f \
    -e bfd.detect_time_multiplier -e bfd.my_discriminator -e bfd.your_discriminator \
    -e bfd.desired_min_tx_interval -e bfd.required_min_rx_interval -e bfd.required_min_echo_interval 2>/dev/null |
    awk 'function hex(x,  i, n) { x = tolower(x); sub(/^0x/, "", x); n = 0
           for (i = 1; i <= length(x); i++) n = n * 16 + index("0123456789abcdef", substr(x, i, 1)) - 1
           return n }
      BEGIN { split("AdminDown Down Init Up", st, " ") }
      { printf "%.3f %s:%s ttl=%s %s diag=%d%s%s mult=%s my=%s your=%s tx=%s rx=%s echo=%s\n",
          $1, $2, $3, $4, st[hex($5) + 1], hex($6), ($7 == 1 || $7 == "True") ? " P" : "",
          ($8 == 1 || $8 == "True") ? " F" : "", $9, $10, $11, $12, $13, $14 }'
}

# ------------------------------------------------------------------ BIRD queries

# lab_bird_neighbor_state NS ROUTER_ID [IFNAME] — prints BIRD's state(s) for ROUTER_ID.
lab_bird_neighbor_state() {
  lab_birdc "$1" show ospf neighbors | awk -v r="$2" -v i="${3:-}" '$1 == r && (i == "" || $5 == i) { print $3 }'
}
_lab_bird_full() {
  local s; s=$(lab_bird_neighbor_state "$@") || return 1
  [ -n "$s" ] && ! grep -qv '^Full' <<<"$s"
}

# lab_wait_bird_neighbor_full NS ROUTER_ID TIMEOUT_S [IFNAME] — as the FRR one; prints ms.
lab_wait_bird_neighbor_full() {
  local start; start=$(lab_now_ms)
  if _lab_poll "$3" 0.1 _lab_bird_full "$1" "$2" "${4:-}"; then echo $(( $(lab_now_ms) - start )); return 0; fi
  lab_err "timeout ${3}s: BIRD in $(lab_nsname "$1") not Full with $2${4:+ on $4} (state: $(lab_bird_neighbor_state "$1" "$2" "${4:-}" 2>/dev/null | paste -sd, ))"
  lab_debug
  return 1
}

# lab_bird_route NS PREFIX — prints `show route PREFIX` (all of BIRD's routes for it).
lab_bird_route() { lab_birdc "$1" show route "$2"; }

# lab_bird_route_nexthop NS PREFIX — prints the next hop(s) of BIRD's best route
# ("10.31.0.3"; "dev IF" for a device route; empty when there is none).
lab_bird_route_nexthop() {
  lab_bird_route "$1" "$2" | awk '
    /^[^ \t]/ || /^[ \t]*[a-z]+ \[/ { inbest = ($0 ~ / \* /); next }
    inbest && $1 == "via" { out = out (out ? " " : "") $2; next }
    inbest && $1 == "dev" { out = out (out ? " " : "") "dev " $2; next }
    END { print out }'
}

# lab_bird_route_metric NS PREFIX — prints the metric of BIRD's best route: the
# last number in "(pref/metric)" or "(pref/metric1/metric2)", i.e. the type-2
# metric for E2 as FRR reports it; empty when there is no route.
lab_bird_route_metric() {
  lab_bird_route "$1" "$2" | awk '/ \* / && match($0, /\([0-9\/]+\)/) {
      s = substr($0, RSTART + 1, RLENGTH - 2); n = split(s, a, "/"); print a[n]; exit }'
}

# lab_wait_bird_route NS PREFIX NEXTHOP TIMEOUT_S [START_MS] — as lab_wait_frr_route.
lab_wait_bird_route() {
  _lab_wait_eq "$4" "${5:-}" "$LAB_POLL_MS" "$3" "BIRD $(lab_nsname "$1") route $2 next hop" "" \
    lab_bird_route_nexthop "$1" "$2"
}

# lab_bird_router_distance NS ROUTER_ID — prints the SPF distance of router ROUTER_ID from
# BIRD's last SPF run (`show ospf state`, which lists only nodes in the SPF tree; the smallest
# over the areas); empty when it is unreachable.
lab_bird_router_distance() {
  lab_birdc "$1" show ospf state | awk -v r="$2" '
    /^\trouter / { cur = ($2 == r); next }
    /^\t[^\t]/ { cur = 0; next }
    cur && $1 == "distance" && (d == "" || $2 + 0 < d + 0) { d = $2 }
    END { print d }'
}

# lab_wait_bird_router_distance NS ROUTER_ID DISTANCE TIMEOUT_S [START_MS] — wait until BIRD's
# SPF reaches ROUTER_ID at DISTANCE (e.g. the cost of a particular path); prints ms.
lab_wait_bird_router_distance() {
  _lab_wait_eq "$4" "${5:-}" "$LAB_POLL_MS" "$3" "BIRD $(lab_nsname "$1") SPF distance to router $2" "" \
    lab_bird_router_distance "$1" "$2"
}

# lab_bird_lsadb NS — prints `show ospf lsadb` (LSA headers).
lab_bird_lsadb() { lab_birdc "$1" show ospf lsadb; }

# lab_bird_lsa_present NS TYPE LSID ADV_ROUTER — true if `show ospf lsadb`
# lists an LSA of TYPE (hex as BIRD prints it, e.g. 0005 or 0001) with that LS ID and originator.
lab_bird_lsa_present() {
  lab_bird_lsadb "$1" | awk -v t="$2" -v l="$3" -v a="$4" '
    $1 ~ t"$" && $2 == l && $3 == a { f = 1 } END { exit !f }'
}

# lab_bird_lsa_metric NS ADV_ROUTER PREFIX — prints the metric of the external
# route PREFIX that ADV_ROUTER originates, from `show ospf state all` (BIRD's
# LSDB view); empty if absent. lab_bird_lsa_line prints the whole line
# ("external 198.51.100.0/24 metric2 1 via 10.30.0.2 tag 00000000").
lab_bird_lsa_line() {
  lab_birdc "$1" show ospf state all | awk -v a="$2" -v p="$3" '
    $1 == "router" && NF == 2 { cur = $2; next }
    /^[ \t]*(network|area)/ && !/^\t\t/ { cur = "" }
    cur == a && $1 == "external" && $2 == p { $1 = $1; print "external " substr($0, index($0, $2)); exit }'
}
lab_bird_lsa_metric() {
  lab_bird_lsa_line "$@" | awk '{ for (i = 1; i < NF; i++) if ($i == "metric" || $i == "metric2") { print $(i + 1); exit } }'
}

# ------------------------------------------------------------------ captures

# lab_capture_start NS IF FILE [FILTER] — tcpdump (default filter "proto 89")
# in the background; returns once it listens. lab_capture_stop FILE stops it.
# --immediate-mode: without it packets reach the file in blocks, and those of
# the last ~1 s before the stop were lost.
lab_capture_start() {
  local ns pid; ns=$(lab_nsname "$1"); _lab_own "$ns" || return 1
  : >"$3.err"
  ip netns exec "$ns" tcpdump -i "$2" -w "$3" -U --immediate-mode -Z root ${4:-proto 89} 2>"$3.err" &
  pid=$!
  _lab_record_pid "$pid" "$ns" tcpdump
  echo "$pid" >"$3.pid"
  _lab_poll 10 0.05 grep -q 'listening on' "$3.err" || { cat "$3.err" >&2; lab_err "tcpdump on $ns:$2 did not start"; return 1; }
}
lab_capture_stop() {
  local pid; pid=$(cat "$1.pid" 2>/dev/null) || return 0
  _lab_signal_wait "$pid" INT 5 || true
  wait "$pid" 2>/dev/null || true
  rm -f "$1.pid"
}

# lab_pcap_auth_types FILE — prints "AUTYPE COUNT" per OSPF AuType seen in a
# capture (0 none, 1 simple, 2 cryptographic), e.g. "2 14".
lab_pcap_auth_types() {
  tshark -r "$1" -Y ospf -T fields -e ospf.auth.type 2>/dev/null | sort | uniq -c | awk '{ print $2, $1 }'
}

# ------------------------------------------------------------------ speaker config

# Speaker configuration is described once with these arguments and rendered
# either as the speaker's TOML (lab_speaker_config) or as an equivalent BIRD
# configuration (lab_bird_standin_config) for validating topologies:
#   --router-id RID  [--area A]
#   --interface KEY=VAL,KEY=VAL,...   (repeatable) keys: name (required), network
#        (broadcast|point-to-point), cost, priority, hello_interval (hello),
#        dead_interval (dead), retransmit_interval, auth (none|simple|md5|
#        hmac-sha-1|hmac-sha-256|hmac-sha-384|hmac-sha-512), auth_key_id, auth_key;
#        other keys are passed through to the TOML.
#   --advertise KEY=VAL,...          (repeatable) keys: prefix (required), type
#        (external|stub), metric_type, forwarding_address (fa), tag, cost,
#        degraded_cost, on_failure (raise|withdraw); others passed through.
#   --socket PATH  --state-file PATH  (defaults $LAB_WORK/spk.sock, $LAB_WORK/state.json)
#   --set KEY=VAL                     extra top-level TOML key (repeatable)
# Values cannot contain commas.
_LAB_TOML_STRINGS=" router_id area name network auth auth_key prefix type forwarding_address on_failure socket state_file "
_lab_toml_val() {               # _lab_toml_val KEY VALUE
  if [[ $_LAB_TOML_STRINGS != *" $1 "* ]] && [[ $2 =~ ^(-?[0-9]+|true|false)$ ]]; then printf '%s' "$2"
  else local v=${2//\\/\\\\}; printf '"%s"' "${v//\"/\\\"}"; fi
}
_lab_kv() {                     # _lab_kv SPEC KEY [DEFAULT] — value of KEY in "k=v,k=v"
  local IFS=, kv
  for kv in $1; do [ "${kv%%=*}" = "$2" ] && { printf '%s' "${kv#*=}"; return 0; }; done
  printf '%s' "${3:-}"
}
_lab_spk_parse() {              # fills _LAB_SPK_* from lab_speaker_config arguments
  local s
  _LAB_SPK_RID=""; _LAB_SPK_AREA=0.0.0.0; _LAB_SPK_IF=(); _LAB_SPK_ADV=(); _LAB_SPK_SET=()
  _LAB_SPK_SOCKET=$LAB_WORK/spk.sock; _LAB_SPK_STATE=$LAB_WORK/state.json; _LAB_SPK_DEGRADED=0
  while [ $# -gt 0 ]; do
    case $1 in
      --router-id) _LAB_SPK_RID=$2; shift 2 ;;
      --area) _LAB_SPK_AREA=$2; shift 2 ;;
      --interface) s=$(_lab_spec_norm if "$2") || return 1; _LAB_SPK_IF+=("$s"); shift 2 ;;
      --advertise) s=$(_lab_spec_norm adv "$2") || return 1; _LAB_SPK_ADV+=("$s"); shift 2 ;;
      --socket) _LAB_SPK_SOCKET=$2; shift 2 ;;
      --state-file) _LAB_SPK_STATE=$2; shift 2 ;;
      --set) _LAB_SPK_SET+=("$2"); shift 2 ;;
      --degraded) _LAB_SPK_DEGRADED=1; shift ;;
      *) lab_err "speaker config: unknown argument '$1'"; return 1 ;;
    esac
  done
  [ -n "$_LAB_SPK_RID" ] || { lab_err "speaker config: --router-id missing"; return 1; }
  [ ${#_LAB_SPK_IF[@]} -gt 0 ] || { lab_err "speaker config: no --interface"; return 1; }
}
# _lab_spec_norm if|adv SPEC — resolve aliases and fill defaults; prints "k=v,..." in TOML order.
_lab_spec_norm() {
  local kind=$1 IFS=, kv k v out=() keys=() seen=" "
  declare -A m=()
  for kv in $2; do
    [ -n "$kv" ] || continue
    [[ $kv == *=* ]] || { lab_err "speaker config: '$kv' is not KEY=VALUE"; return 1; }
    k=${kv%%=*}; v=${kv#*=}
    case $k in fa) k=forwarding_address ;; hello) k=hello_interval ;; dead) k=dead_interval ;;
      retransmit) k=retransmit_interval ;; key) k=auth_key ;; key_id) k=auth_key_id ;; esac
    m[$k]=$v; keys+=("$k")
  done
  if [ "$kind" = if ]; then
    [ -n "${m[name]:-}" ] || { lab_err "speaker config: interface without name"; return 1; }
    : "${m[network]:=broadcast}" "${m[cost]:=10}" "${m[priority]:=0}" "${m[hello_interval]:=$LAB_HELLO}"
    : "${m[dead_interval]:=$LAB_DEAD}" "${m[retransmit_interval]:=2}" "${m[auth]:=none}"
    local order=(name network cost priority hello_interval dead_interval retransmit_interval auth)
    if [ "${m[auth]}" != none ]; then : "${m[auth_key_id]:=1}" "${m[auth_key]:=}"; order+=(auth_key_id auth_key); fi
  else
    [ -n "${m[prefix]:-}" ] || { lab_err "speaker config: advertise without prefix"; return 1; }
    : "${m[type]:=external}" "${m[cost]:=1}" "${m[degraded_cost]:=100}" "${m[on_failure]:=raise}"
    local order=(prefix type)
    if [ "${m[type]}" = external ]; then
      : "${m[metric_type]:=2}" "${m[forwarding_address]:=0.0.0.0}" "${m[tag]:=0}"
      order+=(metric_type forwarding_address tag)
    fi
    order+=(cost degraded_cost on_failure)
  fi
  for k in "${order[@]}"; do out+=("$k=${m[$k]}"); seen+="$k "; done
  for k in "${keys[@]}"; do [[ $seen == *" $k "* ]] || { out+=("$k=${m[$k]}"); seen+="$k "; }; done
  local IFS=,; printf '%s\n' "${out[*]}"
}

# lab_speaker_config ARGS... — prints the speaker's TOML configuration (see above).
lab_speaker_config() {
  _lab_spk_parse "$@" || return 1
  local s kv
  printf 'router_id = "%s"\narea = "%s"\n' "$_LAB_SPK_RID" "$_LAB_SPK_AREA"
  for kv in "${_LAB_SPK_SET[@]}"; do printf '%s = %s\n' "${kv%%=*}" "$(_lab_toml_val "${kv%%=*}" "${kv#*=}")"; done
  for s in "${_LAB_SPK_IF[@]}"; do printf '\n[[interface]]\n'; _lab_toml_table "$s"; done
  for s in "${_LAB_SPK_ADV[@]}"; do printf '\n[[advertise]]\n'; _lab_toml_table "$s"; done
  printf '\n[control]\nsocket = "%s"\nstate_file = "%s"\n' "$_LAB_SPK_SOCKET" "$_LAB_SPK_STATE"
}
_lab_toml_table() {             # _lab_toml_table "k=v,k=v" — one TOML line per key
  local kv parts
  IFS=, read -ra parts <<<"$1"
  for kv in "${parts[@]}"; do printf '%s = %s\n' "${kv%%=*}" "$(_lab_toml_val "${kv%%=*}" "${kv#*=}")"; done
}

# lab_bird_standin_config [--degraded] ARGS... — prints a BIRD configuration
# playing the speaker's role from the same arguments: same router ID,
# interfaces (type, cost, priority, timers, authentication), stubnets, and
# externals from a static protocol (route via the forwarding address, or
# blackhole for FA 0.0.0.0) exported with ospf_metric1/2 and ospf_tag. With
# --degraded, "raise" entries use degraded_cost and "withdraw" entries are left out.
# The stand-in imports no routes (like the speaker).
lab_bird_standin_config() {
  _lab_spk_parse "$@" || return 1
  local s name type cost statics="" filter="" stubs="" ifs="" fa mt tag auth a id key pfx
  for s in "${_LAB_SPK_ADV[@]}"; do
    pfx=$(_lab_kv "$s" prefix); type=$(_lab_kv "$s" type); cost=$(_lab_kv "$s" cost)
    if [ "$_LAB_SPK_DEGRADED" = 1 ]; then
      [ "$(_lab_kv "$s" on_failure)" != withdraw ] || continue
      cost=$(_lab_kv "$s" degraded_cost)
    fi
    if [ "$type" = stub ]; then
      stubs+="    stubnet $pfx { cost $cost; };"$'\n'
    else
      fa=$(_lab_kv "$s" forwarding_address 0.0.0.0); mt=$(_lab_kv "$s" metric_type 2); tag=$(_lab_kv "$s" tag 0)
      if [ "$fa" = 0.0.0.0 ]; then statics+="  route $pfx blackhole;"$'\n'
      else statics+="  route $pfx via $fa;"$'\n'; fi
      filter+="      if net = $pfx then { ospf_metric$mt = $cost; ospf_tag = $tag; accept; }"$'\n'
    fi
  done
  for s in "${_LAB_SPK_IF[@]}"; do
    name=$(_lab_kv "$s" name)
    case $(_lab_kv "$s" network) in point-to-point|ptp) type=ptp ;; *) type=broadcast ;; esac
    auth=$(_lab_kv "$s" auth none); id=$(_lab_kv "$s" auth_key_id 1); key=$(_lab_kv "$s" auth_key)
    case $auth in
      none) a="" ;;
      simple) a="authentication simple; password \"$key\";" ;;
      md5) a="authentication cryptographic; password \"$key\" { id $id; algorithm keyed md5; };" ;;
      hmac-sha-*) a="authentication cryptographic; password \"$key\" { id $id; algorithm hmac sha${auth#hmac-sha-}; };" ;;
      *) lab_err "stand-in: unknown auth '$auth'"; return 1 ;;
    esac
    ifs+="    interface \"$name\" {
      type $type; cost $(_lab_kv "$s" cost); priority $(_lab_kv "$s" priority);
      hello $(_lab_kv "$s" hello_interval); dead $(_lab_kv "$s" dead_interval); wait $(_lab_kv "$s" dead_interval);
      retransmit $(_lab_kv "$s" retransmit_interval);${a:+
      $a}
    };"$'\n'
  done
  cat <<EOF
# BIRD standing in for the speaker (generated by lab_bird_standin_config$([ "$_LAB_SPK_DEGRADED" = 1 ] && echo ", degraded"))
log stderr all;
router id $_LAB_SPK_RID;

protocol device { scan time 1; }

protocol static spk_ext {
  ipv4;
${statics}}

protocol ospf v2 spk {
  ipv4 {
    import none;
    export filter {
${filter}      reject;
    };
  };
  area $_LAB_SPK_AREA {
${stubs}${ifs}  };
}
EOF
}

# ------------------------------------------------------------------ topology helpers

# lab_frr_conf_head HOSTNAME — prints the first lines of an frr.conf.
lab_frr_conf_head() { printf 'frr defaults traditional\nhostname %s\n!\n' "$1"; }

# lab_frr_conf_if IF [LINE...] — prints an interface stanza with the lab timers
# (hello LAB_HELLO, dead LAB_DEAD) and the extra LINEs.
lab_frr_conf_if() {
  local ifn=$1 l; shift
  printf 'interface %s\n ip ospf hello-interval %s\n ip ospf dead-interval %s\n' "$ifn" "$LAB_HELLO" "$LAB_DEAD"
  for l in "$@"; do [ -z "$l" ] || printf ' %s\n' "$l"; done
  printf '!\n'
}

# lab_speaker_role NS NAME MODE ARGS... — set up the speaker's side of a
# topology. ARGS are lab_speaker_config arguments; the TOML goes to
# $LAB_WORK/speaker-NAME.toml. MODE: none (config only; the caller starts the
# speaker, e.g. `ip netns exec "$LAB_SPEAKER_NS" "$SPEAKER" run --config
# "$LAB_SPEAKER_CONFIG"` or lab_speaker_start), speaker (lab_speaker_start now),
# bird (a BIRD stand-in with the same role, see lab_bird_standin_config).
# Sets LAB_SPEAKER_NS (full name), LAB_SPEAKER_CONFIG, LAB_SPEAKER_MODE and
# the array LAB_SPEAKER_ARGS, and saves them in $LAB_WORK/speaker-role.env
# (`lab_speaker_role_load` restores them, e.g. when the topology was built in
# a subshell such as `lab_topology_x | tee`).
lab_speaker_role() {
  local ns name=$2 mode=$3; ns=$(lab_nsname "$1"); shift 3
  LAB_SPEAKER_NS=$ns; LAB_SPEAKER_MODE=$mode; LAB_SPEAKER_ARGS=("$@")
  LAB_SPEAKER_CONFIG=$LAB_WORK/speaker-$name.toml
  lab_speaker_config "$@" >"$LAB_SPEAKER_CONFIG" || return 1
  declare -p LAB_SPEAKER_NS LAB_SPEAKER_MODE LAB_SPEAKER_CONFIG LAB_SPEAKER_ARGS |
    sed 's/^declare -\([a-z-]*\) /declare -g\1 /; s/^declare -g- /declare -g /' >"$LAB_WORK/speaker-role.env"
  case $mode in
    none) ;;
    speaker) lab_speaker_start "$ns" "$LAB_SPEAKER_CONFIG" || return 1 ;;
    bird) lab_bird_start "$ns" "$(lab_bird_standin_config "$@")" || return 1 ;;
    *) lab_err "speaker mode must be none, speaker or bird (got '$mode')"; return 1 ;;
  esac
}

# lab_speaker_role_load — set LAB_SPEAKER_NS/CONFIG/MODE/ARGS from the last
# lab_speaker_role of this run (if they are not set in this shell).
lab_speaker_role_load() {
  [ -z "${LAB_SPEAKER_MODE:-}" ] || return 0
  [ -r "$LAB_WORK/speaker-role.env" ] || { lab_err "no speaker role recorded in $LAB_WORK"; return 1; }
  # shellcheck disable=SC1091
  source "$LAB_WORK/speaker-role.env"
}

# lab_standin_state healthy|degraded — reconfigure the BIRD stand-in (started by
# lab_speaker_role ... bird) to advertise its normal or its degraded costs.
lab_standin_state() {
  lab_speaker_role_load || return 1
  [ "${LAB_SPEAKER_MODE:-}" = bird ] || { lab_err "no BIRD stand-in running"; return 1; }
  local extra=()
  case $1 in healthy) ;; degraded) extra=(--degraded) ;; *) lab_err "state must be healthy or degraded"; return 1 ;; esac
  lab_bird_reconfigure "$LAB_SPEAKER_NS" "$(lab_bird_standin_config "${extra[@]}" "${LAB_SPEAKER_ARGS[@]}")"
}

# lab_standin_restart — start the BIRD stand-in again (after lab_bird_stop), healthy.
lab_standin_restart() {
  lab_speaker_role_load || return 1
  lab_bird_start "$LAB_SPEAKER_NS" "$(lab_bird_standin_config "${LAB_SPEAKER_ARGS[@]}")"
}

# _lab_speaker_summary — the lines topologies print about the speaker's side.
_lab_speaker_summary() {
  echo "  speaker role: ns $LAB_SPEAKER_NS, config $LAB_SPEAKER_CONFIG"
  case $LAB_SPEAKER_MODE in
    none) echo "  speaker side: not started — run: ip netns exec $LAB_SPEAKER_NS \"\$SPEAKER\" run --config $LAB_SPEAKER_CONFIG" ;;
    speaker) echo "  speaker side: $SPEAKER (pid $LAB_SPEAKER_PID, log $LAB_WORK/speaker-$(_lab_short "$LAB_SPEAKER_NS").log)" ;;
    bird) echo "  speaker side: BIRD stand-in (pid $(lab_bird_pid "$LAB_SPEAKER_NS"), $(lab_bird_dir "$LAB_SPEAKER_NS")/bird.conf)" ;;
  esac
}

# _lab_run_standalone NAME ARGS... — used when a topology script is executed
# rather than sourced: build it, print it, keep it up until Ctrl-C.
_lab_run_standalone() {
  local fn=lab_topology_$1; shift
  set -euo pipefail
  [ "$(id -u)" = 0 ] || { lab_err "must run as root"; exit 1; }
  lab_trap_cleanup
  lab_ensure_packages
  "$fn" "$@"
  trap 'exit 0' INT              # Ctrl-C is the normal end here (LAB_KEEP_WORK=1 keeps the logs)
  echo "work folder: $LAB_WORK — press Ctrl-C to tear the lab down"
  while :; do sleep 1; done
}
