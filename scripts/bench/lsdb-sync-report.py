#!/usr/bin/env python3
"""Statistics for scripts/bench/lsdb-sync (not meant to be run by hand).

  lsdb-sync-report.py line  MANIFEST CLK_TCK               evaluate the last measurement: one line on
                                                           stdout, DIR/result.json next to its samples
  lsdb-sync-report.py final MANIFEST CLK_TCK OUTDIR META   tables on stdout; OUTDIR/results.tsv and results.json

MANIFEST has one tab-separated line per measurement:
  size run dut k status start_us pcap samples log full_regex peer_log peer_full_regex trigger_us
(full_regex "poll": log is the BIRD poll file). All times are CLOCK_REALTIME: pcap timestamps
(ns, kernel), log timestamps (UTC; the speaker prints milliseconds, BIRD and FRR microseconds),
BIRD polls and sample times (us).
"""
import calendar
import json
import os
import re
import statistics
import struct
import sys

TS_RE = re.compile(r'^(\d{4})[-/](\d\d)[-/](\d\d)[T ](\d\d):(\d\d):(\d\d)\.(\d{1,9})')
DUT_ADDR = bytes([10, 200, 0, 1])
OSPF_TYPES = {1: 'hello', 2: 'dd', 3: 'lsr', 4: 'lsu', 5: 'ack'}


def log_time_us(path, pattern):
    """(realtime us, line) of the first line matching pattern, or (None, None)."""
    rx = re.compile(pattern)
    try:
        f = open(path, errors='replace')
    except OSError:
        return None, None
    with f:
        for line in f:
            if not rx.search(line):
                continue
            m = TS_RE.match(line)
            if not m:
                continue
            y, mo, d, h, mi, s, frac = m.groups()
            sec = calendar.timegm((int(y), int(mo), int(d), int(h), int(mi), int(s), 0, 0, 0))
            return sec * 1_000_000 + int((frac + '000000')[:6]), line.rstrip('\n')
    return None, None


def poll_time_us(path, start_us):
    """Full from BIRD control-socket polls ("t_sent t_answered state", bird-poll-full.py): BIRD went
    Full after the previous poll was sent and before the Full answer arrived; the midpoint, +- half."""
    prev = start_us
    try:
        for line in open(path):
            tb, ta, st = line.split()
            tb, ta = int(tb), int(ta)
            if st.startswith('Full'):
                return (prev + ta) // 2, (f'control-socket poll: Full between +{(prev - start_us) / 1000:.1f} '
                                          f'and +{(ta - start_us) / 1000:.1f} ms after the DUT started')
            prev = tb
    except (OSError, ValueError):
        pass
    return None, None


def pcap_summary(path):
    """first DD (ns, sent by dut|peer) and packet counts per OSPF type, from a pcap."""
    out = {'first_dd_ns': None, 'first_dd_by': None, 'counts': {v: 0 for v in OSPF_TYPES.values()}}
    try:
        data = open(path, 'rb').read()
    except OSError:
        return out
    if len(data) < 24:
        return out
    magic = data[:4]
    if magic in (b'\x4d\x3c\xb2\xa1', b'\xd4\xc3\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\x3c\x4d', b'\xa1\xb2\xc3\xd4'):
        e = '>'
    else:
        return out
    nano = magic in (b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\x3c\x4d')
    linktype = struct.unpack(e + 'I', data[20:24])[0] & 0xFFFF
    l2 = {1: 14, 113: 16, 276: 20, 101: 0, 228: 0}.get(linktype)
    if l2 is None:
        return out
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(e + 'IIII', data[off:off + 16])
        off += 16
        pkt = data[off:off + incl]
        off += incl
        if linktype == 1 and pkt[12:14] != b'\x08\x00':
            continue
        ip = pkt[l2:]
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 89 or (ip[6] & 0x1F) or ip[7]:
            continue                 # not OSPF over IPv4, or not the first fragment
        ospf = ip[(ip[0] & 15) * 4:]
        if len(ospf) < 2 or ospf[1] not in OSPF_TYPES:
            continue
        out['counts'][OSPF_TYPES[ospf[1]]] += 1
        if ospf[1] == 2 and out['first_dd_ns'] is None:
            out['first_dd_ns'] = sec * 1_000_000_000 + (frac if nano else frac * 1000)
            out['first_dd_by'] = 'dut' if ip[12:16] == DUT_ADDR else 'peer'
    return out


def read_samples(path):
    s = {'main': [], 'zebra': []}
    try:
        for line in open(path):
            f = line.split('\t')
            if len(f) == 5:
                s[f[1]].append((int(f[0]), int(f[2]), int(f[3]), int(f[4])))   # t_us rss hwm ticks
    except OSError:
        pass
    return s


def at_full(samples, t_full, t_dd, tck, n):
    """idle kB (last sample before the first DD), peak kB (VmHWM at Full), CPU s at Full (interpolated)
    and CPU s from that last idle sample to Full."""
    if not samples:
        return {}
    before = [x for x in samples if t_dd is not None and x[0] < t_dd]
    idle = (before[-1] if before else samples[0])[1]
    idle_ticks = (before[-1] if before else samples[0])[3]
    if t_full is None:               # never Full: what it had reached when we gave up
        peak, ticks = samples[-1][2], samples[-1][3]
    else:
        after = [x for x in samples if x[0] >= t_full]
        peak = (after[0] if after else samples[-1])[2]
        prev = [x for x in samples if x[0] < t_full]
        if prev and after:
            (t1, _, _, c1), (t2, _, _, c2) = prev[-1], after[0]
            ticks = c1 + (c2 - c1) * (t_full - t1) / max(t2 - t1, 1)
        else:
            ticks = (after[0] if after else samples[-1])[3]
    return {'idle_kB': idle, 'idle_before_dd': bool(before), 'peak_kB': peak, 'per_lsa_B': round((peak - idle) * 1024 / n, 1),
            'cpu_s': round(ticks / tck, 3), 'cpu_sync_s': round((ticks - idle_ticks) / tck, 3),
            'end_peak_kB': samples[-1][2]}


def evaluate(f, tck):
    n, run, dut, k, status, start_us, pcap, samples, log, rx, plog, prx, trig = f[:13]
    n, run, k, start_us = int(n), int(run), int(k), int(start_us)
    p = pcap_summary(pcap)
    if status != 'full':
        t_full, line = None, None
    elif rx == 'poll':
        t_full, line = poll_time_us(log, start_us)
    else:
        t_full, line = log_time_us(log, rx)
    t_pfull, _ = log_time_us(plog, prx)
    t_dd_us = p['first_dd_ns'] / 1000 if p['first_dd_ns'] is not None else None
    r = {'size': n, 'run': run, 'dut': dut, 'measurement': k, 'status': status,
         'sync_ms': None, 'trigger_to_dd_ms': None, 'start_to_dd_ms': None, 'start_to_full_ms': None, 'peer_full_ms': None,
         'first_dd_by': p['first_dd_by'], 'packets': p['counts'], 'full_line': line}
    if t_dd_us is not None:
        r['start_to_dd_ms'] = round((t_dd_us - start_us) / 1000, 1)
        if trig not in ('', '0'):
            r['trigger_to_dd_ms'] = round((t_dd_us - int(trig)) / 1000, 1)
        if t_pfull is not None:
            r['peer_full_ms'] = round((t_pfull - t_dd_us) / 1000, 1)
    if t_full is not None:
        r['start_to_full_ms'] = round((t_full - start_us) / 1000, 1)
        if p['first_dd_ns'] is not None:
            r['sync_ms'] = round((t_full * 1000 - p['first_dd_ns']) / 1e6, 1)
    s = read_samples(samples)
    r['main'] = at_full(s['main'], t_full, t_dd_us, tck, n)
    r['zebra'] = at_full(s['zebra'], t_full, t_dd_us, tck, n) if s['zebra'] else None
    return r


def mib(kb):
    return f'{kb / 1024:.1f}' if kb is not None else '-'


def fmt(v, spec='.1f'):
    return '-' if v is None else format(v, spec)


def result_path(f):
    return os.path.join(os.path.dirname(f[7]), 'result.json')


def line_mode(manifest, tck):
    rows = [l.rstrip('\n').split('\t') for l in open(manifest) if l.strip()]
    r = evaluate(rows[-1], tck)
    json.dump(r, open(result_path(rows[-1]), 'w'), indent=1)   # the capture may be deleted after this
    m = r['main']
    what = {'full': f"Full, sync {fmt(r['sync_ms'])} ms (first DD -> Full; peer address -> first DD {fmt(r['trigger_to_dd_ms'])} ms)",
            'timeout': 'never Full (timeout)', 'died': 'DIED'}.get(r['status'], r['status'])
    z = r['zebra']
    ztxt = f"; zebra idle {mib(z['idle_kB'])} peak {mib(z['peak_kB'])} MiB, CPU {z['cpu_s']} s" if z else ''
    print(f"    {r['dut']}: {what}; idle {mib(m.get('idle_kB'))} MiB, peak {mib(m.get('peak_kB'))} MiB, "
          f"{fmt(m.get('per_lsa_B'), '.0f')} B/LSA, CPU {fmt(m.get('cpu_s'), '.2f')} s "
          f"(first DD -> Full {fmt(m.get('cpu_sync_s'), '.2f')} s){ztxt}")


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


COLS = ['size', 'run', 'dut', 'measurement', 'status', 'sync_ms', 'trigger_to_dd_ms', 'start_to_dd_ms',
        'start_to_full_ms', 'peer_full_ms', 'idle_kB', 'peak_kB', 'per_lsa_B', 'cpu_s', 'cpu_sync_s',
        'idle_before_dd', 'zebra_idle_kB', 'zebra_peak_kB', 'zebra_per_lsa_B', 'zebra_cpu_s',
        'zebra_cpu_sync_s', 'end_peak_kB', 'zebra_end_peak_kB', 'first_dd_by', 'dd', 'lsr', 'lsu', 'ack']


def flat(r):
    m, z = r['main'], r['zebra'] or {}
    d = {k: r.get(k) for k in ('size', 'run', 'dut', 'measurement', 'status', 'sync_ms', 'trigger_to_dd_ms',
                               'start_to_dd_ms', 'start_to_full_ms', 'peer_full_ms', 'first_dd_by')}
    d.update({k: m.get(k) for k in ('idle_kB', 'peak_kB', 'per_lsa_B', 'cpu_s', 'cpu_sync_s', 'idle_before_dd',
                                    'end_peak_kB')})
    d.update({'zebra_' + k: z.get(k) for k in ('idle_kB', 'peak_kB', 'per_lsa_B', 'cpu_s', 'cpu_sync_s',
                                               'end_peak_kB')})
    d.update({k: r['packets'][k] for k in ('dd', 'lsr', 'lsu', 'ack')})
    return d


def final_mode(manifest, tck, outdir, meta):
    meta = json.loads(meta)
    rows = [l.rstrip('\n').split('\t') for l in open(manifest) if l.strip()]
    res = [json.load(open(result_path(f))) if os.path.exists(result_path(f)) else evaluate(f, tck) for f in rows]
    flats = [flat(r) for r in res]
    with open(os.path.join(outdir, 'results.tsv'), 'w') as t:
        t.write('\t'.join(COLS) + '\n')
        for d in flats:
            t.write('\t'.join('' if d.get(c) is None else str(d.get(c)) for c in COLS) + '\n')
    summary = {}
    label = {'ours': 'ours', 'base': 'baseline', 'bird': 'BIRD', 'frr': 'FRR ospfd'}
    print(f"LSDB synchronisation: first DD on the wire -> Full as the DUT reports it; peer BIRD with N type-5 LSAs.")
    print(f"hello {meta['hello_s']} s, dead {meta['dead_s']} s, retransmit {meta['retransmit_s']} s, point-to-point; "
          f"timeout {meta['timeout_s']} s; "
          f"{meta['runs']} run(s) per DUT, interleaved; memory in MiB, per LSA = (peak - idle) / N.")
    for n in sorted({d['size'] for d in flats}):
        summary[n] = {}
        print(f"\n== N = {n} AS-external LSAs")
        print(f"{'DUT':<11} {'Full':>5} {'sync ms':>10} {'runs (ms)':<28} {'idle':>6} {'peak':>7} {'B/LSA':>7} {'CPU s':>7}")
        for dut in ('ours', 'base', 'bird', 'frr'):
            ds = [d for d in flats if d['size'] == n and d['dut'] == dut]
            if not ds:
                continue
            ok = [d for d in ds if d['status'] == 'full']
            s = {'runs': len(ds), 'full': len(ok),
                 'sync_ms': med([d['sync_ms'] for d in ok]),
                 'sync_ms_all': [d['sync_ms'] if d['status'] == 'full' else d['status'] for d in ds]}
            for key in ('idle_kB', 'peak_kB', 'per_lsa_B', 'cpu_s', 'cpu_sync_s', 'zebra_idle_kB', 'zebra_peak_kB',
                        'zebra_per_lsa_B', 'zebra_cpu_s', 'zebra_cpu_sync_s'):
                s[key] = med([d[key] for d in ok])
            summary[n][dut] = s
            allruns = ' '.join(fmt(d['sync_ms']) if d['status'] == 'full' else
                               ('never' if d['status'] == 'timeout' else d['status']) for d in ds)
            sync = fmt(s['sync_ms']) if ok else 'never Full'
            print(f"{label[dut]:<11} {len(ok)}/{len(ds):<3} {sync:>10} {allruns:<28} {mib(s['idle_kB']):>6} "
                  f"{mib(s['peak_kB']):>7} {fmt(s['per_lsa_B'], '.0f'):>7} {fmt(s['cpu_s'], '.2f'):>7}")
            if dut == 'frr':
                print(f"{'FRR zebra':<11} {'':>5} {'':>10} {'':<28} {mib(s['zebra_idle_kB']):>6} "
                      f"{mib(s['zebra_peak_kB']):>7} {fmt(s['zebra_per_lsa_B'], '.0f'):>7} {fmt(s['zebra_cpu_s'], '.2f'):>7}")
        o = summary[n].get('ours')
        for other, name in (('base', 'baseline'), ('bird', 'BIRD'), ('frr', 'FRR')):
            x = summary[n].get(other)
            if not o or not x:
                continue
            if o['sync_ms'] is None:
                print(f"ours/{name}: ours never Full within {meta['timeout_s']} s"
                      + (f" ({name} {fmt(x['sync_ms'])} ms)" if x['sync_ms'] is not None else ''))
                continue
            if x['sync_ms'] is None:
                print(f"ours/{name}: {name} never Full")
                continue
            tr = o['sync_ms'] / x['sync_ms'] if x['sync_ms'] else None
            mr = o['per_lsa_B'] / x['per_lsa_B'] if o['per_lsa_B'] is not None and x['per_lsa_B'] else None
            extra = ' (ospfd only; zebra listed separately)' if other == 'frr' else ''
            print(f"ours/{name}: time {fmt(tr, '.2f')}x, memory per LSA {fmt(mr, '.2f')}x{extra}")
            summary[n][f'ours_over_{other}'] = {'time': tr, 'memory_per_lsa': mr}
        print("runs:")
        for d in sorted((d for d in flats if d['size'] == n), key=lambda d: d['measurement']):
            z = (f"; zebra idle {mib(d['zebra_idle_kB'])} peak {mib(d['zebra_peak_kB'])} cpu {fmt(d['zebra_cpu_s'], '.2f')}"
                 if d['zebra_peak_kB'] is not None else '')
            warn = '' if d['idle_before_dd'] in (True, None) else ' (no sample before the first DD: idle is too high)'
            print(f"  #{d['measurement']:<3} run {d['run']} {d['dut']:<5} {d['status']:<7} sync {fmt(d['sync_ms']):>9} ms "
                  f"(peer Full at DD+{fmt(d['peer_full_ms'])} ms) idle {mib(d['idle_kB'])} peak {mib(d['peak_kB'])} "
                  f"cpu {fmt(d['cpu_s'], '.2f')} (sync {fmt(d['cpu_sync_s'], '.2f')}){z} "
                  f"[DD {d['dd']} LSR {d['lsr']} LSU {d['lsu']} ack {d['ack']}]{warn}")
    json.dump({'meta': meta, 'measurements': res, 'summary': {str(k): v for k, v in summary.items()}},
              open(os.path.join(outdir, 'results.json'), 'w'), indent=1)


if __name__ == '__main__':
    if sys.argv[1] == 'line':
        line_mode(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == 'final':
        final_mode(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
    else:
        sys.exit(__doc__)
