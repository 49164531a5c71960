# shellcheck shell=bash
# scripts/bench/lib.sh — measurement helpers for the benchmarks, on top of
# scripts/lab/lib.sh (source that first). Nothing here forks inside the
# sampling loop: the loop must not steal CPU from the routers it measures.
#
#   bench_capture_start NS IF FILE [FILTER]  tcpdump with nanosecond timestamps
#                                            (headers only); stop with bench_capture_stop FILE
#   bench_capture_stop FILE                  waits for the last buffered packets, stops tcpdump
#   bench_proc_sample PID                    sets BENCH_RSS_KB, BENCH_HWM_KB, BENCH_TICKS
#   bench_follow_open FILE                   start scanning a (growing) log from its beginning
#   bench_follow_match REGEX                 true once a complete new line matches REGEX
#   bench_follow_close
#   bench_sleep SECONDS                      sleep without forking (fractions allowed)

# bench_capture_start NS IF FILE [FILTER] — like lab_capture_start, with
# --time-stamp-precision=nano and a snap length of BENCH_SNAPLEN (128) bytes:
# enough for the Ethernet, IPv4 and OSPF headers, small files at 200,000 LSAs.
# Not in immediate mode: the kernel stamps each packet as it passes and hands
# them to tcpdump in blocks (TPACKET_V3), at most 1 s (its timeout)
# late, so tcpdump does not wake for every packet of the exchange it measures
# (on two cores a third process woken per packet slows the ping-pong and
# spreads the timings). bench_capture_stop waits for the last block.
bench_capture_start() {
  local ns pid; ns=$(lab_nsname "$1"); _lab_own "$ns" || return 1
  : >"$3.err"
  ip netns exec "$ns" tcpdump -i "$2" -w "$3" -Z root -s "${BENCH_SNAPLEN:-128}" \
    --time-stamp-precision=nano "${4:-proto 89}" 2>"$3.err" &
  pid=$!
  _lab_record_pid "$pid" "$ns" tcpdump
  echo "$pid" >"$3.pid"
  _lab_poll 10 0.05 grep -q 'listening on' "$3.err" ||
    { cat "$3.err" >&2; lab_err "tcpdump on $ns:$2 did not start"; return 1; }
}

# bench_capture_stop FILE — tcpdump's blocks are handed over when full or after
# its timeout (1 s); the last packets are in the file once that has passed.
bench_capture_stop() {
  bench_sleep "${BENCH_CAPTURE_FLUSH_S:-1.2}"
  lab_capture_stop "$1"
}

# bench_proc_sample PID — VmRSS and VmHWM (kB) from /proc/PID/status and
# utime+stime (clock ticks) from /proc/PID/stat. Returns 1 if PID is gone.
# mapfile reads the whole file in one read(2): a `while read` loop seeks back
# after every line, the kernel regenerates the file at each seek, and a State
# line that changed length in between ("R (running)" / "S (sleeping)") shifts
# the later lines, so VmRSS goes missing now and then on a busy process.
bench_proc_sample() {
  local st l
  BENCH_RSS_KB=""; BENCH_HWM_KB=""; BENCH_TICKS=""
  { mapfile -t _BENCH_STATUS <"/proc/$1/status"; } 2>/dev/null || return 1
  for l in "${_BENCH_STATUS[@]}"; do
    case $l in
      VmRSS:*) BENCH_RSS_KB=${l//[!0-9]/} ;;
      VmHWM:*) BENCH_HWM_KB=${l//[!0-9]/} ;;
    esac
  done
  { read -r st <"/proc/$1/stat"; } 2>/dev/null || return 1
  st=${st##*) }
  # shellcheck disable=SC2086
  set -- $st
  [ "$1" != Z ] || return 1
  # fields 14 (utime) and 15 (stime); $1 is field 3 (state)
  BENCH_TICKS=$(( ${12} + ${13} ))
  [ -n "$BENCH_RSS_KB" ] && [ -n "$BENCH_HWM_KB" ]
}

# Log follower: reads only what was appended since the last call, keeps an
# incomplete last line for the next call.
bench_follow_open() { bench_follow_close; BENCH_FOLLOW_FILE=$1; BENCH_FOLLOW_FD=""; BENCH_FOLLOW_PART=""; }
bench_follow_match() {
  local line=""
  if [ -z "${BENCH_FOLLOW_FD:-}" ]; then
    [ -r "$BENCH_FOLLOW_FILE" ] || return 1
    exec {BENCH_FOLLOW_FD}<"$BENCH_FOLLOW_FILE"
  fi
  while IFS= read -r -u "$BENCH_FOLLOW_FD" line; do
    line=$BENCH_FOLLOW_PART$line; BENCH_FOLLOW_PART=""
    [[ $line =~ $1 ]] && return 0
  done
  BENCH_FOLLOW_PART+=$line
  return 1
}
bench_follow_close() {
  if [ -n "${BENCH_FOLLOW_FD:-}" ]; then exec {BENCH_FOLLOW_FD}<&-; fi
  BENCH_FOLLOW_FD=""
}

# bench_sleep SECONDS — `read -t` on a FIFO nobody writes to (no fork per call).
bench_sleep() {
  if [ -z "${BENCH_SLEEP_FD:-}" ]; then
    local f=$LAB_WORK/.bench-sleep
    [ -p "$f" ] || mkfifo "$f"
    exec {BENCH_SLEEP_FD}<>"$f"
  fi
  read -r -t "$1" -u "$BENCH_SLEEP_FD" _ || true
}
