#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/report.py: turn bench/guest.sh's measurements into results.

Usage: report.py RAW.jsonl PREFIX MODE META_JSON
Writes PREFIX.json (every measurement, the aggregates, the metadata),
PREFIX.md (the tables) and PREFIX-*.png (gnuplot), and prints the tables.

In icount mode one guest instruction is 8 ns of guest time and the one
vCPU never idles during a flood, so instructions per packet is
1e9 / (8 * pps): a pps ratio is the inverse ratio of the whole loop's
instructions (generator, veths, switch, sink).
"""

import json
import os
import statistics
import subprocess
import sys

NS_PER_INSN = 8
ORDER = ["direct", "mirred", "kbridge", "linuxbr", "ovs",
         "kbridge-vlan", "linuxbr-vlan"]
# kbridge against each of these, like for like
RATIO_TO = {"kbridge": ["mirred", "linuxbr", "ovs"],
            "kbridge-vlan": ["linuxbr-vlan"]}


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    return rows


def aggregate(rows):
    groups = {}
    for r in rows:
        if r["test"] not in ("pps", "flood", "newsrc"):
            continue
        key = (r["test"], r["contender"], r["size"], r["ports"])
        groups.setdefault(key, []).append(r)
    out = []
    for (test, c, size, ports), rs in groups.items():
        ok = [r for r in rs if "error" not in r and r["seconds"] > 0]
        agg = {"test": test, "contender": c, "size": size, "ports": ports,
               "rounds": len(ok)}
        if not ok:
            agg["error"] = rs[0].get("error", "no measurement")
            out.append(agg)
            continue
        pps = [r["delivered"] / r["seconds"] for r in ok]
        offered = [r["offered"] / r["seconds"] for r in ok]
        agg.update({
            "pps": statistics.median(pps),
            "pps_min": min(pps),
            "pps_max": max(pps),
            "offered_pps": statistics.median(offered),
            "softnet_drops": sum(r["softnet_drops"] for r in ok),
        })
        out.append(agg)
    return out


def fmt(x):
    return f"{x:,.0f}".replace(",", " ")


def pps_tables(aggs, mode, rows):
    lines = []
    sizes = sorted({a["size"] for a in aggs if a["test"] == "pps"})
    for size in sizes:
        by = {a["contender"]: a for a in aggs
              if a["test"] == "pps" and a["size"] == size}
        cols = [c for c in ORDER if c in by]
        lines.append(f"### {size + 4} B frames (pkt_size {size}), "
                     f"delivered packets per second of "
                     f"{'guest' if mode == 'icount' else 'wall-clock'} time")
        lines.append("")
        lines.append("| | " + " | ".join(cols) + " |")
        lines.append("|---|" + "---:|" * len(cols))

        def row(name, f):
            cells = []
            for c in cols:
                a = by[c]
                cells.append("error: " + a["error"] if "error" in a
                             else f(a))
            lines.append(f"| {name} | " + " | ".join(cells) + " |")

        row("pps (median)", lambda a: fmt(a["pps"]))
        row("min – max", lambda a: f"{fmt(a['pps_min'])} – "
            f"{fmt(a['pps_max'])}")
        row("offered pps", lambda a: fmt(a["offered_pps"]))
        row("softnet drops", lambda a: str(a["softnet_drops"]))
        if mode == "icount":
            def insn(a):
                return 1e9 / (NS_PER_INSN * a["pps"])
            row("instructions/packet", lambda a: fmt(insn(a)))
            if "mirred" in by and "error" not in by["mirred"]:
                base = insn(by["mirred"])
                row("over mirred", lambda a: f"{insn(a) - base:+,.0f}"
                    .replace(",", " "))
        lines.append("")
        ratios = []
        for k, others in RATIO_TO.items():
            if k not in by or "error" in by[k]:
                continue
            for o in others:
                if o in by and "error" not in by[o]:
                    ratios.append(f"{k}/{o} = "
                                  f"{by[k]['pps'] / by[o]['pps']:.3f}")
        if ratios:
            lines.append("Ratios of pps: " + ", ".join(ratios) + ".")
            lines.append("")
        per = round_ratios(rows, size)
        if per:
            lines.append("Per-round ratios (median, min – max over rounds): "
                         + ", ".join(per) + ".")
            lines.append("")
    return lines


def round_ratios(rows, size):
    """kbridge/X computed within each round, where rounds disagree."""
    rate = {}
    for r in rows:
        if (r["test"] == "pps" and r.get("size") == size and
                "error" not in r and r["seconds"] > 0):
            rate[(r["contender"], r["round"])] = r["delivered"] / r["seconds"]
    out = []
    for k, others in RATIO_TO.items():
        for o in others:
            v = [rate[(k, n)] / rate[(o, n)] for (c, n) in rate
                 if c == k and (o, n) in rate]
            if len(v) >= 3:
                out.append(f"{k}/{o} {statistics.median(v):.3f} "
                           f"({min(v):.3f} – {max(v):.3f})")
    return out


def flood_table(aggs):
    fl = [a for a in aggs if a["test"] == "flood"]
    if not fl:
        return []
    cols = [c for c in ORDER if any(a["contender"] == c for a in fl)]
    ports = sorted({a["ports"] for a in fl})
    lines = ["### Unknown-unicast flood: copies delivered per second "
             "(64 B, one sender, the other ports each get a copy)", "",
             "| ports | " + " | ".join(cols) + " |",
             "|---:|" + "---:|" * len(cols)]
    for n in ports:
        cells = []
        for c in cols:
            a = [x for x in fl if x["contender"] == c and x["ports"] == n]
            if not a:
                cells.append("")
            elif "error" in a[0]:
                cells.append("error")
            else:
                a = a[0]
                cell = fmt(a["pps"])
                # rounds that disagree: show the spread, not just the median
                if a["pps_max"] > 1.05 * a["pps_min"]:
                    cell += (f" ({fmt(a['pps_min'])} – {fmt(a['pps_max'])}"
                             f", {a['softnet_drops']} softnet drops)")
                cells.append(cell)
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


NEWSRC_BASE = {"kbridge-evict": "kbridge", "kbridge-refuse": "kbridge",
               "ovs-evict": "ovs", "linuxbr": "linuxbr"}


def newsrc_table(aggs, mode):
    new = {a["contender"]: a for a in aggs if a["test"] == "newsrc"}
    if not new:
        return []
    base = {a["contender"]: a for a in aggs
            if a["test"] == "pps" and a["size"] == 60 and "error" not in a}
    unit = "guest" if mode == "icount" else "wall-clock"
    lines = ["### Every frame from a new source: 64 B delivered packets per "
             f"second of {unit} time", "",
             "A cap of 1,000 entries (linuxbr: none in 6.1, it learns every "
             "one). Extra ns per frame: over the same switch's 64 B rate "
             "with one known source.", "",
             "| | pps (median) | min – max | offered pps | softnet drops | "
             "extra ns/frame |" + (" extra instructions/frame |"
                                   if mode == "icount" else ""),
             "|---|---:|---:|---:|---:|---:|" + ("---:|" if mode == "icount"
                                                 else "")]
    blank = " |" * (5 if mode == "icount" else 4)
    for c in NEWSRC_BASE:
        if c not in new:
            continue
        a = new[c]
        if "error" in a or a["pps"] <= 0:
            lines.append(f"| {c} | error: {a.get('error', 'none delivered')}"
                         f" |{blank}")
            continue
        b = base.get(NEWSRC_BASE[c])
        extra = 1e9 / a["pps"] - 1e9 / b["pps"] if b else None
        cells = [f"{extra:+,.0f}".replace(",", " ") if b else ""]
        if mode == "icount":
            cells.append(f"{extra / NS_PER_INSN:+,.0f}".replace(",", " ")
                         if b else "")
        lines.append(f"| {c} | {fmt(a['pps'])} | {fmt(a['pps_min'])} – "
                     f"{fmt(a['pps_max'])} | {fmt(a['offered_pps'])} | "
                     f"{a['softnet_drops']} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def by_contender(rows, test):
    """{contender: [rows]} for one test, in ORDER, then the rest."""
    out = {}
    for r in rows:
        if r["test"] == test:
            out.setdefault(r["contender"], []).append(r)
    return dict(sorted(out.items(),
                       key=lambda kv: (ORDER + list(out)).index(kv[0])))


def med(rs, key):
    vals = [r[key] for r in rs if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def rtt_table(rows, mode):
    cs = by_contender(rows, "rtt")
    if not cs:
        return []
    clock = "guest" if mode == "icount" else "wall-clock"
    lines = [f"### Ping round trip, ms of {clock} time (100 pings 10 ms "
             "apart; median over rounds)", "",
             "| | min | avg | max | lost |", "|---|---:|---:|---:|---:|"]
    for c, rs in cs.items():
        ok = [r for r in rs if "error" not in r]
        if not ok:
            lines.append(f"| {c} | error: {rs[0]['error']} | | | |")
            continue
        lost = sum(r["sent"] - r["received"] for r in ok)
        lines.append(f"| {c} | {med(ok, 'min_ms'):.3f} | "
                     f"{med(ok, 'avg_ms'):.3f} | {med(ok, 'max_ms'):.3f} | "
                     f"{lost} |")
    lines.append("")
    return lines


def tcp_table(rows):
    cs = by_contender(rows, "tcp")
    if not cs:
        return []
    lines = ["### One TCP stream (iperf3)", "",
             "| | Mbit/s | retransmits | bytes per frame at the sink |",
             "|---|---:|---:|---:|"]
    feats = {}
    for c, rs in cs.items():
        ok = [r for r in rs if "error" not in r and
              r.get("bits_per_second") is not None]
        if not ok:
            lines.append(f"| {c} | error | | |")
            continue
        lines.append(f"| {c} | {fmt(med(ok, 'bits_per_second') / 1e6)} | "
                     f"{sum(r['retransmits'] or 0 for r in ok)} | "
                     f"{fmt(med(ok, 'sink_bytes_per_frame'))} |")
        if ok[0].get("features"):
            feats[c] = set(ok[0]["features"])
    lines.append("")
    if "kbridge" in feats and "linuxbr" in feats:
        miss = sorted(feats["linuxbr"] - feats["kbridge"])
        extra = sorted(feats["kbridge"] - feats["linuxbr"])
        lines.append("Offload features the bridge device has on: "
                     + ("the same for kbridge and linuxbr"
                        if not miss and not extra else
                        f"linuxbr only: {', '.join(miss) or 'none'}; "
                        f"kbridge only: {', '.join(extra) or 'none'}")
                     + ".")
        lines.append("")
    return lines


def gc_cell(r, key, n):
    # The Linux bridge has no separate re-filing run.
    if r.get(key) is None:
        return "—" if r["contender"] == "linuxbr" or key not in r \
            else "not seen"
    return f"{r[key] / 1000:,.2f} ms ({r[key] * 1000 / n:,.1f} ns/entry)"


def fdb_table(rows, mode):
    cs = by_contender(rows, "fdb")
    if not cs:
        return []
    lines = ["### FDB scale: N new sources in one pass, then traffic to N "
             "known destinations", "",
             "| | entries | learned | learn frames lost | learned/s | "
             "kernel bytes/entry | pps to N destinations | "
             "vs smallest N | ageing run | ageing run, all filed again | "
             "dump | flush |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for c, rs in cs.items():
        base = None
        for n in sorted({r["entries"] for r in rs}):
            ok = [r for r in rs if r["entries"] == n and "error" not in r]
            if not ok:
                lines.append(f"| {c} | {fmt(n)} | error |"
                             + " |" * 9)
                continue
            r = ok[0] if len(ok) == 1 else sorted(
                ok, key=lambda x: x["delivered"] / x["seconds"])[
                    len(ok) // 2]
            pps = r["delivered"] / r["seconds"]
            if base is None:
                base = pps
            learned = r["learned"]
            rate = learned / (r["learn_usec"] / 1e6) if r["learn_usec"] \
                else 0
            per = r["kmem_kb"] * 1024 / learned if learned else 0
            gc = gc_cell(r, "gc_usec", n)
            refile = gc_cell(r, "gc_refile_usec", n)
            dump = (f"{r['dump_seconds']:.2f} s "
                    f"({r['dump_seconds'] * 1e6 / n:.1f} µs/entry)")
            lines.append(
                f"| {c} | {fmt(n)} | {100 * learned / n:.2f}% | "
                f"{max(0, n - r['learn_frames_delivered'])} | {fmt(rate)} | "
                f"{per:.0f} | {fmt(pps)} | {pps / base:.3f} | {gc} | "
                f"{refile} | {dump} | {r['flush_seconds']:.3f} s |")
    lines.append("")
    clock = "guest" if mode == "icount" else "wall-clock"
    lines.append(f"Times are {clock} time. Kernel bytes per entry: the "
                 "growth of slab + vmalloc over the learning pass, over "
                 "the entries learned. Ageing run: one run of the ageing "
                 "collector with every entry still live (ftrace): the "
                 "Linux bridge's walks every entry at every run; "
                 "kbridge's looks only at entries due (none here), and "
                 "at every entry once after the ageing time changes "
                 "(next column).")
    lines.append("")
    return lines


def stp_table(rows):
    cs = by_contender(rows, "stp")
    if not cs:
        return []
    lines = ["### Spanning tree: two bridges, two paths, ping every 10 ms",
             "", "| | timers | failure | initial convergence | outage | "
             "lost pings |", "|---|---|---|---:|---:|---:|"]
    for c, rs in cs.items():
        keys = sorted({(r["timers"], r["failure"]) for r in rs})
        for t, f in keys:
            ok = [r for r in rs if (r["timers"], r["failure"]) == (t, f)
                  and "error" not in r]
            if not ok:
                lines.append(f"| {c} | {t} | {f} | error | | |")
                continue
            r = ok[0]
            out = (f"{r['outage_seconds']:.2f} s" if r["recovered"] else
                   f"no recovery in {r.get('waited_seconds', 0)} s"
                   if r["outage_seconds"] is None else
                   f"{r['outage_seconds']:.2f} s, not recovered")
            if r.get("path", "l1") != "l1":
                out += " (the pings were on l2: the failure missed them)"
            lines.append(f"| {c} | {t} | {f} | "
                         f"{r['converged_seconds']:.2f} s | {out} | "
                         f"{r.get('lost', '')} |")
    lines.append("")
    return lines


def bar_plot(prefix, name, bars, title, ylabel):
    """bars: [(label, value, low, high)], low/high None for no error bar."""
    if not bars:
        return []
    dat = f"{prefix}-{name}.dat"
    with open(dat, "w") as f:
        for label, v, lo, hi in bars:
            f.write(f'"{label}" {v:.3f} {lo if lo is not None else v:.3f} '
                    f'{hi if hi is not None else v:.3f}\n')
    png = f"{prefix}-{name}.png"
    script = f"""
set terminal png size 900,500
set output '{png}'
set title '{title}'
set ylabel '{ylabel}'
set style fill solid 0.6
set boxwidth 0.6
set yrange [0:*]
set xtics rotate by -30
unset key
plot '{dat}' using 0:2:xtic(1) with boxes, \\
     '' using 0:2:3:4 with yerrorbars lc rgb 'black' pt 0
"""
    made = [png] if run_gnuplot(script) else []
    os.unlink(dat)
    return made


def line_plot(prefix, name, series, title, xlabel, ylabel, logx):
    """series: {title: [(x, y)]}, one line each."""
    if not series:
        return []
    dat = f"{prefix}-{name}.dat"
    with open(dat, "w") as f:
        for t, pts in series.items():
            f.write(f"# {t}\n")
            for x, y in sorted(pts):
                f.write(f"{x} {y:.1f}\n")
            f.write("\n\n")
    png = f"{prefix}-{name}.png"
    plot = ", ".join(f"'{dat}' index {i} using 1:2 with linespoints "
                     f"title '{t}'" for i, t in enumerate(series))
    script = f"""
set terminal png size 900,500
set output '{png}'
set title '{title}'
set xlabel '{xlabel}'
set ylabel '{ylabel}'
set logscale x {logx}
set yrange [0:*]
plot {plot}
"""
    made = [png] if run_gnuplot(script) else []
    os.unlink(dat)
    return made


def plots(aggs, prefix, mode, rows):
    pps = [a for a in aggs if a["test"] == "pps" and "error" not in a
           and a["size"] == 60]
    made = bar_plot(prefix, "pps",
                    [(c, a["pps"], a["pps_min"], a["pps_max"])
                     for c in ORDER for a in pps if a["contender"] == c],
                    f"64 B frames through each contender ({mode})",
                    "delivered packets/s")
    fl = [a for a in aggs if a["test"] == "flood" and "error" not in a]
    made += line_plot(prefix, "flood",
                      {c: [(a["ports"], a["pps"]) for a in fl
                           if a["contender"] == c]
                       for c in ORDER if any(a["contender"] == c
                                             for a in fl)},
                      "Unknown-unicast flood: copies delivered per second "
                      f"({mode})", "ports on the switch", "copies/s", 2)
    fdb = {c: [(r["entries"], r["delivered"] / r["seconds"]) for r in rs
               if "error" not in r]
           for c, rs in by_contender(rows, "fdb").items()}
    made += line_plot(prefix, "fdb", {c: v for c, v in fdb.items() if v},
                      f"64 B frames to N known destinations ({mode})",
                      "FDB entries (N)", "delivered packets/s", 10)
    # an outage that never ended shows as the time waited, so labelled
    made += bar_plot(prefix, "stp",
                     [(f'{r["contender"]} {r["timers"]} {r["failure"]}'
                       + ("" if r["recovered"] else " (no recovery)"),
                       r["outage_seconds"] or r.get("waited_seconds", 0),
                       None, None) for r in rows
                      if r["test"] == "stp" and "error" not in r],
                     "Outage after a link failure (longest gap between "
                     "pings)", "seconds")
    return made


def run_gnuplot(script):
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
        return True
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"report: gnuplot failed: {e}", file=sys.stderr)
        return False


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    raw, prefix, mode, meta_path = sys.argv[1:]
    with open(meta_path) as f:
        meta = json.load(f)
    rows = load(raw)
    aggs = aggregate(rows)
    md = [f"## {meta.get('date', '')} — {mode}", ""]
    md += [f"kbridge {meta.get('commit', '?')}, guest kernel "
           f"{meta.get('kernel', '?')}, {meta.get('seconds', '?')} s per "
           f"measurement, {meta.get('rounds', '?')} rounds (median).", ""]
    md += pps_tables(aggs, mode, rows)
    md += flood_table(aggs)
    md += newsrc_table(aggs, mode)
    md += rtt_table(rows, mode)
    md += tcp_table(rows)
    md += fdb_table(rows, mode)
    md += stp_table(rows)
    made = plots(aggs, prefix, mode, rows)
    for png in made:
        md.append(f"![{os.path.basename(png)}]({os.path.basename(png)})")
    md.append("")
    with open(prefix + ".json", "w") as f:
        json.dump({"meta": meta, "mode": mode, "results": aggs,
                   "measurements": rows}, f, indent=1)
        f.write("\n")
    with open(prefix + ".md", "w") as f:
        f.write("\n".join(md))
    print("\n".join(md))
    errors = [r for r in rows if "error" in r]
    return 1 if errors and len(errors) == len(rows) else 0


if __name__ == "__main__":
    sys.exit(main())
