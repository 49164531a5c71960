#!/usr/bin/env bash
# shellcheck shell=bash
# scripts/lab/libreqos.sh — the reference LibreQoS lab of docs/architecture
# ("The LibreQoS topology"):
#
#   E (FRR) ── S1 10.1.0.0/24, bridged through osl-L1 (br0 = speaker 10.1.0.3) ── C (FRR)
#     │                                                                           │
#     └────────────────────── S2 10.2.0.0/24 (bypass) ────────────────────────────┘
#
#   source scripts/lab/libreqos.sh
#   lab_topology_libreqos [SPEAKER_MODE]
#     SPEAKER_MODE  none (default: config only) | speaker (start $SPEAKER) | bird (stand-in)
#
#   osl-E  router ID 10.0.0.1: e-s1 10.1.0.1/24 (cost 200, priority 10),
#          e-s2 10.2.0.1/24 (cost 100); default-information originate always
#          metric 50 metric-type 2.
#   osl-C  router ID 10.0.0.2: c-s1 10.1.0.2/24 (cost 200, priority 5),
#          c-s2 10.2.0.2/24 (cost 100); 100.64.0.1/24 on empty bridge subs0,
#          redistributed connected as E2 metric 50 (route-map: only that prefix).
#   osl-L1 bridge br0 10.1.0.3/24 with ports l1-e (to E) and l1-c (to C), both
#          veths with 4 TX/RX queues; l1-c carries a LibreQoS-like tree:
#          root 7fff: mq, per TX queue N "htb default 2" (handle N:), classes
#          N:1 (10gbit) and N:2 (default, 1gbit ceil 10gbit), leaf qdisc on N:2.
#   Speaker role: router ID 10.1.0.3 on br0, broadcast, cost 10, priority 0,
#     100.64.0.0/24  external E2 cost 1 (degraded 100), FA 10.1.0.2 (C)
#     0.0.0.0/0      external E2 cost 1 (degraded 100), FA 10.1.0.1 (E)
#   Hello 1, dead 4 everywhere.
#   LAB_LQ_BFD_MS=N (e.g. 50): BFD on S1 at N ms x 3 — FRR bfdd on e-s1 and c-s1 (profile
#     "lab", `ip ospf bfd`), and bfd = true, bfd_interval_ms = N on the speaker's br0.
#   LAB_LQ_ROUTERS=bird (default frr): E and C run BIRD 2 instead of FRR, with the same
#     addresses, router IDs, costs, priorities, timers (broadcast on all four interfaces) and
#     externals: E a static blackhole 0.0.0.0/0 exported to OSPF only (E2 50), C subs0's direct
#     route exported as E2 50; OSPF routes go to the kernel FIB. With LAB_LQ_BFD_MS,
#     `protocol bfd` on e-s1/c-s1 (N ms x 3) and `bfd yes` there (see _lab_lq_bird_conf).
#     BIRD runs SPF and originates its LSAs on its 1 s tick, a Network-LSA at most every 5 s.
#
#   Healthy  → E reaches 100.64.0.0/24 via 10.1.0.2, C's default via 10.1.0.1.
#   Degraded → via the bypass: 10.2.0.2 and 10.2.0.1. Box dead → bypass too.
#
#   lab_libreqos_break_shaping    delete the mq root on L1:l1-c (shaping gone)
#   lab_libreqos_restore_shaping  rebuild the tree
#   lab_libreqos_shaping_ok       true when the mq root and its 4 htb children are there
#   lab_libreqos_wait_converged T wait until the bypass S2 is in both routers' SPF
#
# Executed directly (scripts/lab/libreqos.sh bird) it builds the lab and
# keeps it up until Ctrl-C.

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LAB_LQ_SHAPED_NS=L1           # namespace and port carrying the shaping tree
LAB_LQ_SHAPED_IF=l1-c
LAB_LQ_QUEUES=4

lab_topology_libreqos() {
  local mode=${1:-none}
  lab_ns E || return 1
  lab_ns C || return 1
  lab_ns L1 || return 1
  lab_bridge L1 br0 10.1.0.3/24 || return 1
  lab_veth E e-s1 10.1.0.1/24 L1 l1-e "" 1500 "$LAB_LQ_QUEUES" || return 1
  lab_veth C c-s1 10.1.0.2/24 L1 l1-c "" 1500 "$LAB_LQ_QUEUES" || return 1
  lab_bridge_attach L1 br0 l1-e l1-c || return 1
  lab_veth E e-s2 10.2.0.1/24 C c-s2 10.2.0.2/24 1500 || return 1
  lab_stubnet C subs0 100.64.0.1/24 || return 1
  lab_libreqos_restore_shaping || return 1

  local bfd_if=() spk_bfd="" routers=${LAB_LQ_ROUTERS:-frr}
  case $routers in
    frr|bird) ;;
    *) lab_err "LAB_LQ_ROUTERS must be frr or bird (got '$routers')"; return 1 ;;
  esac
  if [ -n "${LAB_LQ_BFD_MS:-}" ]; then
    bfd_if=("ip ospf bfd" "ip ospf bfd profile lab")
    spk_bfd=",bfd=true,bfd_interval_ms=$LAB_LQ_BFD_MS"
  fi
  if [ "$routers" = bird ]; then
    lab_bird_start E "$(_lab_lq_bird_conf E)" || return 1
    lab_bird_start C "$(_lab_lq_bird_conf C)" || return 1
  else
  lab_frr_start E "$(
    lab_frr_conf_head E
    _lab_lq_bfd_profile
    lab_frr_conf_if e-s1 "ip ospf cost 200" "ip ospf priority 10" "${bfd_if[@]}"
    lab_frr_conf_if e-s2 "ip ospf cost 100" "ip ospf priority 10"
    cat <<CONF
router ospf
 ospf router-id 10.0.0.1
 network 10.1.0.0/24 area 0.0.0.0
 network 10.2.0.0/24 area 0.0.0.0
 default-information originate always metric 50 metric-type 2
!
CONF
  )" || return 1
  lab_frr_start C "$(
    lab_frr_conf_head C
    _lab_lq_bfd_profile
    lab_frr_conf_if c-s1 "ip ospf cost 200" "ip ospf priority 5" "${bfd_if[@]}"
    lab_frr_conf_if c-s2 "ip ospf cost 100" "ip ospf priority 5"
    cat <<CONF
ip prefix-list SUBSCRIBERS seq 5 permit 100.64.0.0/24
!
route-map SUBSCRIBERS permit 10
 match ip address prefix-list SUBSCRIBERS
!
router ospf
 ospf router-id 10.0.0.2
 network 10.1.0.0/24 area 0.0.0.0
 network 10.2.0.0/24 area 0.0.0.0
 redistribute connected metric 50 metric-type 2 route-map SUBSCRIBERS
!
CONF
  )" || return 1
  fi

  lab_speaker_role L1 libreqos "$mode" --router-id 10.1.0.3 \
    --interface "name=br0,network=broadcast,cost=10,priority=0$spk_bfd" \
    --advertise "prefix=100.64.0.0/24,type=external,metric_type=2,forwarding_address=10.1.0.2,tag=0,cost=1,degraded_cost=100,on_failure=raise" \
    --advertise "prefix=0.0.0.0/0,type=external,metric_type=2,forwarding_address=10.1.0.1,tag=0,cost=1,degraded_cost=100,on_failure=raise" || return 1

  echo "topology libreqos (speaker=$mode; work $LAB_WORK)"
  echo "  S1 10.1.0.0/24: $(lab_nsname E):e-s1 10.1.0.1 (cost 200) — $(lab_nsname L1):br0 [l1-e, l1-c; 4 TX queues] 10.1.0.3 — $(lab_nsname C):c-s1 10.1.0.2 (cost 200)"
  echo "  S2 10.2.0.0/24: $(lab_nsname E):e-s2 10.2.0.1 (cost 100) — $(lab_nsname C):c-s2 10.2.0.2 (cost 100)   (bypass)"
  if [ "$routers" = bird ]; then
    echo "  E: BIRD router ID 10.0.0.1, static blackhole 0.0.0.0/0 exported to OSPF as E2 50 (not to the kernel) ($(lab_bird_dir E))"
    echo "  C: BIRD router ID 10.0.0.2, 100.64.0.0/24 on subs0 (protocol direct) exported as E2 50 ($(lab_bird_dir C))"
  else
  echo "  E: FRR router ID 10.0.0.1, default-information originate always metric 50 metric-type 2 ($(lab_frr_dir E))"
  echo "  C: FRR router ID 10.0.0.2, 100.64.0.0/24 on subs0 redistributed E2 50 ($(lab_frr_dir C))"
  fi
  echo "  shaping: $(lab_nsname L1):$LAB_LQ_SHAPED_IF root 7fff: mq, htb 1:..$LAB_LQ_QUEUES: (default 2); break with lab_libreqos_break_shaping"
  echo "  speaker: router ID 10.1.0.3 on br0 (priority 0, cost 10): 100.64.0.0/24 E2 1 FA 10.1.0.2, 0.0.0.0/0 E2 1 FA 10.1.0.1 (degraded 100)"
  _lab_speaker_summary
}

# _lab_lq_bfd_profile — the FRR "bfd" block for LAB_LQ_BFD_MS (nothing when unset).
_lab_lq_bfd_profile() {
  [ -n "${LAB_LQ_BFD_MS:-}" ] || return 0
  printf 'bfd\n profile lab\n  transmit-interval %s\n  receive-interval %s\n  detect-multiplier 3\n !\n!\n' \
    "$LAB_LQ_BFD_MS" "$LAB_LQ_BFD_MS"
}

# _lab_lq_bird_conf E|C — the bird.conf of E or C for LAB_LQ_ROUTERS=bird: the same router
# IDs, costs, priorities, timers and externals as the FRR configs. The kernel protocol exports
# only the routes OSPF won, so the FIB holds what FRR's zebra would install: `protocol direct`
# (preference 240) keeps the connected subnets out of it (BIRD would otherwise add a second
# "proto bird metric 32" copy of each), and E's external default is a static blackhole
# (preference 200: it stays E's best 0.0.0.0/0 over the speaker's E2, and is only exported to
# OSPF). C's 100.64.0.0/24 is the direct route of subs0.
_lab_lq_bird_conf() {
  local rid s1 s2 prio ext extnet bfd="" bfd_if=""
  case $1 in
    E) rid=10.0.0.1 s1=e-s1 s2=e-s2 prio=10 extnet=0.0.0.0/0
       ext='protocol direct lq_direct { ipv4; interface "e-*"; }
protocol static lq_ext { ipv4; route 0.0.0.0/0 blackhole; }' ;;
    C) rid=10.0.0.2 s1=c-s1 s2=c-s2 prio=5 extnet=100.64.0.0/24
       ext='protocol direct lq_ext { ipv4; interface "c-*", "subs0"; }' ;;
    *) lab_err "_lab_lq_bird_conf: E or C"; return 1 ;;
  esac
  if [ -n "${LAB_LQ_BFD_MS:-}" ]; then
    bfd="protocol bfd { interface \"$s1\" { interval $LAB_LQ_BFD_MS ms; multiplier 3; }; }"
    bfd_if=" bfd yes;"
  fi
  cat <<CONF
log stderr all;
router id $rid;
protocol device { scan time 1; }
$ext
protocol kernel {
  ipv4 { import none; export where proto = "lq_ospf"; };
}
$bfd
protocol ospf v2 lq_ospf {
  ipv4 {
    import all;
    export filter {
      if proto = "lq_ext" && net = $extnet then { ospf_metric2 = 50; accept; }
      reject;
    };
  };
  area 0 {
    interface "$s1" { type broadcast; cost 200; priority $prio; hello $LAB_HELLO; dead $LAB_DEAD; wait $LAB_DEAD;$bfd_if };
    interface "$s2" { type broadcast; cost 100; priority $prio; hello $LAB_HELLO; dead $LAB_DEAD; wait $LAB_DEAD; };
  };
}
CONF
}

# lab_libreqos_e_nexthop — E's kernel FIB next hop for 100.64.0.0/24 (10.1.0.2 via the box,
# 10.2.0.2 via the bypass), whatever routing daemon runs E.
lab_libreqos_e_nexthop() { lab_fib_nexthop E 100.64.0.0/24; }

# lab_libreqos_wait_via NS NEXTHOP TIMEOUT_S — wait until NS's kernel FIB routes 100.64.0.0/24
# via NEXTHOP (E) or 0.0.0.0/0 (C); returns 1 on timeout.
lab_libreqos_wait_via() {
  local prefix=100.64.0.0/24 end=$(( $(lab_now_ms) + $3 * 1000 ))
  [ "$1" != C ] || prefix=0.0.0.0/0
  while [ "$(lab_now_ms)" -lt "$end" ]; do
    [ "$(lab_fib_nexthop "$1" "$prefix")" = "$2" ] && return 0
    sleep 0.05
  done
  return 1
}

# lab_libreqos_wait_converged TIMEOUT_S — wait until E and C are Full on both
# segments and each one's SPF reaches the other ASBR over the bypass S2 (E: C
# via 10.2.0.2, C: E via 10.2.0.1). Until then a Router-LSA listing S2 as
# transit may still be held back by MinLSInterval (5 s), and a degraded
# speaker would make traffic fall back across S1 instead of S2. Prints ms.
# With LAB_LQ_ROUTERS=bird: Full the same way, and each one's last SPF run puts the other at
# distance 100, which only the path over S2 has (BIRD's `show ospf state`; it lists no next hop).
lab_libreqos_wait_converged() {
  local t=${1:-40} start; start=$(lab_now_ms)
  if [ -d "$(lab_bird_dir E)" ]; then      # built with LAB_LQ_ROUTERS=bird
    lab_wait_bird_neighbor_full E 10.0.0.2 "$t" e-s1 >/dev/null &&
    lab_wait_bird_neighbor_full E 10.0.0.2 "$t" e-s2 >/dev/null &&
    lab_wait_bird_router_distance E 10.0.0.2 100 "$t" >/dev/null &&
    lab_wait_bird_router_distance C 10.0.0.1 100 "$t" >/dev/null || return 1
    echo $(( $(lab_now_ms) - start ))
    return 0
  fi
  lab_wait_frr_neighbor_full E 10.0.0.2 "$t" e-s1 >/dev/null &&
  lab_wait_frr_neighbor_full E 10.0.0.2 "$t" e-s2 >/dev/null &&
  lab_wait_frr_ospf_route E 10.0.0.2 10.2.0.2 "$t" >/dev/null &&
  lab_wait_frr_ospf_route C 10.0.0.1 10.2.0.1 "$t" >/dev/null || return 1
  echo $(( $(lab_now_ms) - start ))
}

# lab_libreqos_restore_shaping — (re)build the mq/htb tree on L1:l1-c
# (idempotent: any existing root qdisc is replaced).
lab_libreqos_restore_shaping() {
  local ns dev=$LAB_LQ_SHAPED_IF n leaf q; ns=$(lab_nsname "$LAB_LQ_SHAPED_NS"); _lab_own "$ns" || return 1
  tc -n "$ns" qdisc del dev "$dev" root 2>/dev/null || true
  tc -n "$ns" qdisc replace dev "$dev" root handle 7fff: mq || { lab_err "tc mq on $ns:$dev failed"; return 1; }
  for ((n = 1; n <= LAB_LQ_QUEUES; n++)); do
    tc -n "$ns" qdisc add dev "$dev" parent "7fff:$n" handle "$n:" htb default 2 &&
    tc -n "$ns" class add dev "$dev" parent "$n:" classid "$n:1" htb rate 10gbit ceil 10gbit quantum 1514 &&
    tc -n "$ns" class add dev "$dev" parent "$n:1" classid "$n:2" htb rate 1gbit ceil 10gbit quantum 1514 ||
      { lab_err "tc htb on $ns:$dev queue $n failed"; return 1; }
    leaf=""
    for q in cake fq_codel sfq pfifo; do   # LibreQoS uses cake; take what this kernel has
      if tc -n "$ns" qdisc add dev "$dev" parent "$n:2" "$q" 2>/dev/null; then leaf=$q; break; fi
    done
    [ -n "$leaf" ] || lab_log "no leaf qdisc available on $ns:$dev queue $n (htb only)"
  done
}

# lab_libreqos_break_shaping — delete the mq root (as a crashed LibreQoS would leave it).
lab_libreqos_break_shaping() {
  _lab_own "$LAB_LQ_SHAPED_NS" || return 1
  tc -n "$(lab_nsname "$LAB_LQ_SHAPED_NS")" qdisc del dev "$LAB_LQ_SHAPED_IF" root ||
    { lab_err "could not delete the root qdisc"; return 1; }
}

# lab_libreqos_shaping_ok — true when L1:l1-c has root 7fff: mq and one htb per TX queue.
lab_libreqos_shaping_ok() {
  tc -n "$(lab_nsname "$LAB_LQ_SHAPED_NS")" -j qdisc show dev "$LAB_LQ_SHAPED_IF" |
    jq -e --argjson q "$LAB_LQ_QUEUES" '
      (map(select(.root == true and .kind == "mq" and .handle == "7fff:")) | length == 1) and
      (map(select(.kind == "htb" and ((.parent // "") | startswith("7fff:")))) | length == $q)' >/dev/null
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then _lab_run_standalone libreqos "$@"; fi
