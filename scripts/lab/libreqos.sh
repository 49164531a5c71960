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

  local bfd_if=() spk_bfd=""
  if [ -n "${LAB_LQ_BFD_MS:-}" ]; then
    bfd_if=("ip ospf bfd" "ip ospf bfd profile lab")
    spk_bfd=",bfd=true,bfd_interval_ms=$LAB_LQ_BFD_MS"
  fi
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

  lab_speaker_role L1 libreqos "$mode" --router-id 10.1.0.3 \
    --interface "name=br0,network=broadcast,cost=10,priority=0$spk_bfd" \
    --advertise "prefix=100.64.0.0/24,type=external,metric_type=2,forwarding_address=10.1.0.2,tag=0,cost=1,degraded_cost=100,on_failure=raise" \
    --advertise "prefix=0.0.0.0/0,type=external,metric_type=2,forwarding_address=10.1.0.1,tag=0,cost=1,degraded_cost=100,on_failure=raise" || return 1

  echo "topology libreqos (speaker=$mode; work $LAB_WORK)"
  echo "  S1 10.1.0.0/24: $(lab_nsname E):e-s1 10.1.0.1 (cost 200) — $(lab_nsname L1):br0 [l1-e, l1-c; 4 TX queues] 10.1.0.3 — $(lab_nsname C):c-s1 10.1.0.2 (cost 200)"
  echo "  S2 10.2.0.0/24: $(lab_nsname E):e-s2 10.2.0.1 (cost 100) — $(lab_nsname C):c-s2 10.2.0.2 (cost 100)   (bypass)"
  echo "  E: FRR router ID 10.0.0.1, default-information originate always metric 50 metric-type 2 ($(lab_frr_dir E))"
  echo "  C: FRR router ID 10.0.0.2, 100.64.0.0/24 on subs0 redistributed E2 50 ($(lab_frr_dir C))"
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
lab_libreqos_wait_converged() {
  local t=${1:-40} start; start=$(lab_now_ms)
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
