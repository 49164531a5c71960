#!/usr/bin/env bash
# shellcheck shell=bash
# scripts/lab/lan.sh — a broadcast LAN with FRR, BIRD and the speaker.
#
#   source scripts/lab/lan.sh
#   lab_topology_lan [SPEAKER_MODE]
#     SPEAKER_MODE  none (default: config only) | speaker (start $SPEAKER) | bird (stand-in)
#
#   bridge br0 in osl-lan; one veth per router (ports p-frr, p-bird, p-spk):
#     osl-lan-frr:eth0   10.31.0.1/24  FRR,  router ID 10.31.0.1, priority 10 (DR),
#                                      stub 192.0.2.0/26 (empty bridge stub0)
#     osl-lan-bird:eth0  10.31.0.2/24  BIRD, router ID 10.31.0.2, priority 5 (BDR),
#                                      stub 192.0.2.64/26 (empty bridge stub0)
#     osl-lan-spk:eth0   10.31.0.3/24  speaker role, router ID 10.31.0.3, priority 0 (DROther)
#   broadcast, hello 1, dead 4 (wait 4), cost 10 everywhere.
#   Speaker advertises (unless LAB_SPEAKER_ADVERTISE has other specs, one per line)
#     198.51.100.0/24  external E2 cost 1 (degraded 100), FA 10.31.0.2 (BIRD)
#     203.0.113.0/24   stub cost 1 (degraded 100)
#   So FRR reaches 198.51.100.0/24 via 10.31.0.2 and 203.0.113.0/24 via 10.31.0.3.
#
# Executed directly (scripts/lab/lan.sh bird) it builds the lab and keeps it
# up until Ctrl-C.

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

lab_topology_lan() {
  local mode=${1:-none} r
  lab_ns lan || return 1
  lab_bridge lan br0 || return 1
  for r in frr bird spk; do
    lab_ns "lan-$r" || return 1
  done
  lab_veth lan p-frr "" lan-frr eth0 10.31.0.1/24 || return 1
  lab_veth lan p-bird "" lan-bird eth0 10.31.0.2/24 || return 1
  lab_veth lan p-spk "" lan-spk eth0 10.31.0.3/24 || return 1
  lab_bridge_attach lan br0 p-frr p-bird p-spk || return 1
  lab_stubnet lan-frr stub0 192.0.2.1/26 || return 1
  lab_stubnet lan-bird stub0 192.0.2.65/26 || return 1

  lab_frr_start lan-frr "$(
    lab_frr_conf_head lan-frr
    lab_frr_conf_if eth0 "ip ospf priority 10" "ip ospf cost 10"
    cat <<CONF
router ospf
 ospf router-id 10.31.0.1
 passive-interface stub0
 network 10.31.0.0/24 area 0.0.0.0
 network 192.0.2.0/26 area 0.0.0.0
!
CONF
  )" || return 1
  lab_bird_start lan-bird "$(cat <<CONF
log stderr all;
router id 10.31.0.2;
protocol device { scan time 1; }
protocol kernel { ipv4 { export all; }; }
protocol ospf v2 ospf1 {
  ipv4 { import all; export none; };
  area 0 {
    interface "stub0" { stub yes; cost 1; };
    interface "eth0" { type broadcast; hello $LAB_HELLO; dead $LAB_DEAD; wait $LAB_DEAD; priority 5; cost 10; };
  };
}
CONF
  )" || return 1

  local adv=() l
  if [ -n "${LAB_SPEAKER_ADVERTISE:-}" ]; then
    while IFS= read -r l; do [ -z "$l" ] || adv+=(--advertise "$l"); done <<<"$LAB_SPEAKER_ADVERTISE"
  else
    adv=(--advertise "prefix=198.51.100.0/24,type=external,metric_type=2,forwarding_address=10.31.0.2,cost=1,degraded_cost=100"
         --advertise "prefix=203.0.113.0/24,type=stub,cost=1,degraded_cost=100")
  fi
  lab_speaker_role lan-spk lan "$mode" --router-id 10.31.0.3 \
    --interface "name=eth0,network=broadcast,cost=10,priority=0" "${adv[@]}" || return 1

  echo "topology lan (speaker=$mode; work $LAB_WORK)"
  echo "  LAN: bridge $(lab_nsname lan):br0, 10.31.0.0/24, broadcast, hello $LAB_HELLO dead $LAB_DEAD cost 10"
  echo "  FRR:  $(lab_nsname lan-frr):eth0 10.31.0.1/24, router ID 10.31.0.1, priority 10, stub 192.0.2.0/26 ($(lab_frr_dir lan-frr))"
  echo "  BIRD: $(lab_nsname lan-bird):eth0 10.31.0.2/24, router ID 10.31.0.2, priority 5, stub 192.0.2.64/26 ($(lab_bird_dir lan-bird))"
  echo "  speaker: $(lab_nsname lan-spk):eth0 10.31.0.3/24, router ID 10.31.0.3, priority 0; advertises: $(printf '%s ' "${adv[@]}" | sed 's/--advertise //g')"
  _lab_speaker_summary
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then _lab_run_standalone lan "$@"; fi
