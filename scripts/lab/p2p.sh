#!/usr/bin/env bash
# shellcheck shell=bash
# scripts/lab/p2p.sh — the speaker and one peer (FRR or BIRD) on a point-to-point link.
#
#   source scripts/lab/p2p.sh
#   lab_topology_p2p [PEER] [AUTH] [SPEAKER_MODE]
#     PEER          frr (default) | bird
#     AUTH          none (default) | md5 (key id 5) | hmac-sha-256 (key id 7; BIRD peer only)
#     SPEAKER_MODE  none (default: config only) | speaker (start $SPEAKER) | bird (stand-in)
#
#   osl-spk:spk0 10.30.0.1/30  <-- veth, MTU 1500 -->  osl-peer:peer0 10.30.0.2/30
#   point-to-point, hello 1, dead 4, cost 10 on both sides.
#   Peer: router ID 10.30.0.2, stub 192.0.2.0/24 (empty bridge stub0, passive).
#   Speaker role: router ID 10.30.0.1 on spk0, advertising (unless
#   LAB_SPEAKER_ADVERTISE holds other --advertise specs, one per line)
#     198.51.100.0/24  external E2 cost 1 (degraded 100), FA 0.0.0.0
#     203.0.113.0/24   stub cost 1 (degraded 100)
#   Keys: md5 "lab-md5-key" id 5; hmac-sha-256 "lab-hmac-key" id 7.
#
# Executed directly (scripts/lab/p2p.sh bird md5 bird) it builds the lab and
# keeps it up until Ctrl-C.

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LAB_P2P_MD5_KEY=lab-md5-key
LAB_P2P_HMAC_KEY=lab-hmac-key

lab_topology_p2p() {
  local peer=${1:-frr} auth=${2:-none} mode=${3:-none}
  local if_auth="" frr_auth=() bird_auth=""
  case $peer in frr|bird) ;; *) lab_err "p2p: peer must be frr or bird"; return 1 ;; esac
  case $auth in
    none) ;;
    md5)
      if_auth=",auth=md5,auth_key_id=5,auth_key=$LAB_P2P_MD5_KEY"
      frr_auth=("ip ospf authentication message-digest" "ip ospf message-digest-key 5 md5 $LAB_P2P_MD5_KEY")
      bird_auth="authentication cryptographic; password \"$LAB_P2P_MD5_KEY\" { id 5; algorithm keyed md5; };" ;;
    hmac-sha-256)
      [ "$peer" = bird ] || { lab_err "p2p: FRR 8.4 has no HMAC-SHA for OSPFv2; use a BIRD peer"; return 1; }
      if_auth=",auth=hmac-sha-256,auth_key_id=7,auth_key=$LAB_P2P_HMAC_KEY"
      bird_auth="authentication cryptographic; password \"$LAB_P2P_HMAC_KEY\" { id 7; algorithm hmac sha256; };" ;;
    *) lab_err "p2p: auth must be none, md5 or hmac-sha-256"; return 1 ;;
  esac

  lab_ns spk || return 1
  lab_ns peer || return 1
  lab_veth spk spk0 10.30.0.1/30 peer peer0 10.30.0.2/30 1500 || return 1
  lab_stubnet peer stub0 192.0.2.1/24 || return 1

  if [ "$peer" = frr ]; then
    lab_frr_start peer "$(
      lab_frr_conf_head peer
      lab_frr_conf_if peer0 "ip ospf network point-to-point" "ip ospf cost 10" "${frr_auth[@]}"
      cat <<CONF
router ospf
 ospf router-id 10.30.0.2
 passive-interface stub0
 network 10.30.0.0/30 area 0.0.0.0
 network 192.0.2.0/24 area 0.0.0.0
!
CONF
    )" || return 1
  else
    lab_bird_start peer "$(cat <<CONF
log stderr all;
router id 10.30.0.2;
protocol device { scan time 1; }
protocol kernel { ipv4 { export all; }; }
protocol ospf v2 ospf1 {
  ipv4 { import all; export none; };
  area 0 {
    interface "stub0" { stub yes; cost 1; };
    interface "peer0" {
      type ptp; hello $LAB_HELLO; dead $LAB_DEAD; cost 10;${bird_auth:+
      $bird_auth}
    };
  };
}
CONF
    )" || return 1
  fi

  local adv=() l
  if [ -n "${LAB_SPEAKER_ADVERTISE:-}" ]; then
    while IFS= read -r l; do [ -z "$l" ] || adv+=(--advertise "$l"); done <<<"$LAB_SPEAKER_ADVERTISE"
  else
    adv=(--advertise "prefix=198.51.100.0/24,type=external,metric_type=2,forwarding_address=0.0.0.0,cost=1,degraded_cost=100"
         --advertise "prefix=203.0.113.0/24,type=stub,cost=1,degraded_cost=100")
  fi
  lab_speaker_role spk p2p "$mode" --router-id 10.30.0.1 \
    --interface "name=spk0,network=point-to-point,cost=10,priority=0$if_auth" "${adv[@]}" || return 1

  echo "topology p2p (peer=$peer auth=$auth speaker=$mode; work $LAB_WORK)"
  echo "  link: $(lab_nsname spk):spk0 10.30.0.1/30 <-> $(lab_nsname peer):peer0 10.30.0.2/30, MTU 1500, point-to-point, hello $LAB_HELLO dead $LAB_DEAD cost 10"
  case $auth in
    md5) echo "  auth: keyed MD5, key id 5, secret '$LAB_P2P_MD5_KEY'" ;;
    hmac-sha-256) echo "  auth: HMAC-SHA-256, key id 7, secret '$LAB_P2P_HMAC_KEY'" ;;
    *) echo "  auth: none" ;;
  esac
  if [ "$peer" = frr ]; then echo "  peer: FRR in $(lab_nsname peer), router ID 10.30.0.2, stub 192.0.2.0/24 ($(lab_frr_dir peer))"
  else echo "  peer: BIRD in $(lab_nsname peer), router ID 10.30.0.2, stub 192.0.2.0/24 ($(lab_bird_dir peer))"; fi
  echo "  speaker: router ID 10.30.0.1 on spk0; advertises: $(printf '%s ' "${adv[@]}" | sed 's/--advertise //g')"
  _lab_speaker_summary
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then _lab_run_standalone p2p "$@"; fi
