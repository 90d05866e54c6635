#!/usr/bin/python3
"""report.py: the fault soak's verdict, printed and written as the "Fault soak" section.

    report.py --work bench/soak/work --results bench/results.md --seed 1 --smtpx abc1234 --seconds 600

Reads what bench/soak/run left in --work: summary.json and outcomes.jsonl (driver.php),
relay.jsonl (fault_relay.py, one line per connection), fpm.jsonl (the worker's samples). A fault
is matched to the send it struck by time: both clocks are CLOCK_MONOTONIC. The section replaces
an earlier "## Fault soak" in --results, or is appended; the rest of the file is left alone.
Exits 1 when a property of the driver or of the worker does not hold.
"""
import argparse
import bisect
import collections
import datetime
import json
import sys

RSS_GROWTH_LIMIT_KB = 2048  # the worker's, from after the warm-up to the end
SECTION = "## Fault soak"


def jsonl(path):
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def outcome_of(send):
    if send["outcome"] == "delivered":
        return "delivered"
    if send["outcome"] == "untyped":
        return "untyped"
    return "failed, outcome unknown" if send["unknown"] else "failed, not delivered"


def struck_sends(connections, sends):
    """fault -> Counter of the outcomes of the sends it struck ("between sends" if none)."""
    starts = [send["t0"] for send in sends]
    struck = collections.defaultdict(collections.Counter)
    for connection in connections:
        fired = connection["fired"]
        if not fired:
            continue
        index = bisect.bisect_right(starts, fired["at"]) - 1
        hit = sends[index] if index >= 0 and fired["at"] <= sends[index]["t1"] else None
        key = (kind_of(connection), connection["plan"]["fault"])
        struck[key][outcome_of(hit) if hit else "between sends"] += 1
    return struck


def kind_of(connection):
    if connection["route"].endswith("/starttls"):
        return "STARTTLS 10587, BDAT"
    return "plain 10025, " + ("DATA" if connection.get("chunking_hidden") else "BDAT")


def fault_rows(connections, sends):
    planned = collections.Counter()
    fired = collections.Counter()
    for connection in connections:
        if connection["plan"]:
            key = (kind_of(connection), connection["plan"]["fault"])
            planned[key] += 1
            fired[key] += bool(connection["fired"])
    struck = struck_sends(connections, sends)
    rows = []
    for key in sorted(planned):
        outcomes = struck[key]
        rows.append([key[0], key[1], planned[key], fired[key], outcomes["delivered"],
                     outcomes["failed, outcome unknown"], outcomes["failed, not delivered"],
                     outcomes["between sends"]])
    return rows


def worker_checks(samples):
    start, end = samples[0], samples[-1]
    growth = end["rss_kb"] - start["rss_kb"]
    failed = sum(sample["failed"] for sample in samples)
    return start, end, [
        ["worker RSS growth", f"<= {RSS_GROWTH_LIMIT_KB} KB", f"{growth} KB", growth <= RSS_GROWTH_LIMIT_KB],
        ["worker descriptors", "equal at start and end", f"{start['fds']} / {end['fds']}",
         start["fds"] == end["fds"]],
        ["one worker throughout", "the same pid", f"{len({s['pid'] for s in samples})} pid(s)",
         len({s["pid"] for s in samples}) == 1],
        ["failed requests", "0", str(failed), failed == 0],
    ]


def driver_checks(summary):
    properties = summary["properties"]
    warm, end = summary["samples"][0], summary["samples"][-1]
    delivered = summary["tally"]["delivered"]
    failed = summary["tally"]["failed"] + summary["tally"]["untyped"]
    return [
        ["zero silent losses", "every delivered send: exactly one copy, its Message-ID",
         f"{properties['delivered_once']['violations']} of {delivered} not so", properties["delivered_once"]["ok"]],
        ["failed means not delivered", "isOutcomeUnknown() false: no copy",
         f"{properties['failed_not_delivered']['violations']} of {failed} with a copy",
         properties["failed_not_delivered"]["ok"]],
        ["no duplicates", "no tag with two copies", f"{properties['no_duplicates']['violations']}",
         properties["no_duplicates"]["ok"]],
        ["typed exceptions", "every exception an Smtpx\\Exception",
         f"{properties['typed_exceptions']['violations']} untyped", properties["typed_exceptions"]["ok"]],
        ["descriptors", "connections closed: equal after warm-up and at the end",
         f"{warm['fds']} / {end['fds']}", properties["fds_flat"]["ok"]],
        ["memory", "memory_get_usage() +64 KB, VmRSS +2 MB at most",
         f"{properties['memory_flat']['memory_growth']:+} B, {properties['memory_flat']['rss_growth_kb']:+} KB",
         properties["memory_flat"]["ok"]],
    ]


def along_the_way(samples):
    if not samples:
        return ""
    fds = [sample["fds"] for sample in samples]
    rss = [sample["rss_kb"] for sample in samples]
    memory = [sample["memory"] for sample in samples]
    return (f"Along the way (every 500 sends, connections as the faults left them): descriptors "
            f"{min(fds)} to {max(fds)}, memory_get_usage() {min(memory):,} to {max(memory):,} B, "
            f"VmRSS {min(rss):,} to {max(rss):,} KB.")


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        lines.append("| " + " | ".join(("yes" if cell else "**NO**") if isinstance(cell, bool) else str(cell)
                                       for cell in row) + " |")
    return "\n".join(lines)


def section(args, summary, sends, connections, samples):
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lanes = collections.defaultdict(collections.Counter)
    for send in sends:
        lanes[send["lane"]][outcome_of(send)] += 1
    fired = sum(1 for connection in connections if connection["fired"])
    out = [SECTION, "",
           f"Generated by `bench/soak/run` on {date}: seed {args.seed}, smtpx built from {args.smtpx}, "
           f"{args.seconds // 60} min {args.seconds % 60} s in all. {summary['sends']:,} sends through "
           f"`bench/soak/fault_relay.py` to the harness's Postfix, in turns on four lanes; "
           f"{len(connections):,} connections, {fired:,} of them broken by a fault. Timeouts: 1 s per reply, "
           f"6 s per send; stalls last 2 s. Sends took {summary['send_seconds']} s, the maildir settled "
           f"{summary['drain_seconds']} s later.", "",
           "### Faults", "",
           "Per fault, the connections that drew it and where it fired (its offset was reached), and what "
           "became of the send it struck. A delivered one was retried on a fresh connection (a kept "
           "connection that failed before the content ended). DATA: the relay hid CHUNKING from the EHLO "
           "reply, so smtpx sent DATA and dot-terminated content instead of BDAT.", "",
           table(["route, path", "fault", "drawn", "fired", "send delivered", "failed, outcome unknown",
                  "failed, not delivered", "between sends"], fault_rows(connections, sends)), "",
           "### Outcomes", "",
           table(["lane", "delivered", "failed, outcome unknown", "failed, not delivered"],
                 [[lane, c["delivered"], c["failed, outcome unknown"], c["failed, not delivered"]]
                  for lane, c in sorted(lanes.items())]), "",
           table(["outcome (class, phase, isTransient(), isOutcomeUnknown())", "sends"],
                 sorted(summary["by_outcome"].items(), key=lambda item: -item[1])), "",
           f"Of the sends failed with isOutcomeUnknown() true, {summary['outcome_unknown_copies']['one']} "
           f"were in fact delivered (one copy) and {summary['outcome_unknown_copies']['none']} were not: "
           f"both are allowed, which is why the flag exists.", "",
           "### Properties", "",
           table(["property", "bound", "measured", "holds"], driver_checks(summary)), "",
           along_the_way(summary["samples_along"]), ""]
    if samples:
        checks = worker_checks(samples)[2]
        text = [s for s in samples if s["label"] == "text"]
        attachment = [s for s in samples if s["label"] == "attachment"]
        out += ["### PHP-FPM worker", "",
                f"One worker (pm = static, max_children 1) behind nginx, driven by ab (2 at a time): "
                f"{text[-1]['requests']:,} requests each sending one mail with smtpx_send() to smtp-sink in "
                f"{text[-1]['seconds']} s ({text[-1]['requests'] / max(text[-1]['seconds'], 0.1):,.0f}/s), then "
                f"{attachment[-1]['requests']:,} with a 1 MB attachment in {attachment[-1]['seconds']} s. "
                f"Sampled after a warm-up (plain and attachment requests), along the way and at the end.", "",
                table(["after", "requests", "VmRSS KB", "descriptors"],
                      [[s["label"], f"{s['requests']:,}", f"{s['rss_kb']:,}", s["fds"]] for s in samples]), "",
                table(["property", "bound", "measured", "holds"], checks), ""]
    return "\n".join(out)


def write_section(path, text):
    try:
        with open(path, encoding="utf-8") as results:
            current = results.read()
    except FileNotFoundError:
        current = ""
    begin = current.find("\n" + SECTION + "\n")
    if begin >= 0:
        end = current.find("\n## ", begin + 1)
        current = current[:begin] + (current[end:] if end >= 0 else "\n")
    with open(path, "w", encoding="utf-8") as results:
        results.write(current.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--seed", default="1")
    parser.add_argument("--smtpx", default="?")
    parser.add_argument("--seconds", type=int, default=0)
    args = parser.parse_args()
    with open(f"{args.work}/summary.json", encoding="utf-8") as summary_file:
        summary = json.load(summary_file)
    sends = jsonl(f"{args.work}/outcomes.jsonl")
    connections = jsonl(f"{args.work}/relay.jsonl")
    samples = jsonl(f"{args.work}/fpm.jsonl")
    text = section(args, summary, sends, connections, samples)
    write_section(args.results, text)
    print(text)
    # The FPM part always runs: no samples means it broke off.
    held = summary["ok"] and bool(samples) and all(check[-1] for check in worker_checks(samples)[2])
    print(f"\nfault soak: {'every property holds' if held else 'A PROPERTY FAILED'}; written to {args.results}")
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
