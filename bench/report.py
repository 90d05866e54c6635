#!/usr/bin/python3
"""report.py: turns bench/run's raw.jsonl into bench/results.md and the chart's data.

Every figure is a median over the run's repeats; every ratio compares medians taken in the
same run, so a noisy machine moves both sides alike. Each target of issue 6 is checked and
reported as met, or missed by how much.
"""
import argparse
import json
import math
import statistics
from collections import defaultdict

THROUGHPUT_ORDER = ["smtp-source", "smtpx-warm", "smtpx-cold", "symfony", "symfony-per-mail",
                    "phpmailer-keepalive", "phpmailer-per-mail"]
LABELS = {
    "smtp-source": "smtp-source -d (the limit)",
    "smtpx-warm": "smtpx warm (one Smtpx\\Client)",
    "smtpx-cold": "smtpx cold (new process per mail)",
    "symfony": "Symfony Mailer (kept connection)",
    "symfony-per-mail": "Symfony Mailer (new transport per mail)",
    "phpmailer-keepalive": "PHPMailer SMTPKeepAlive",
    "phpmailer-per-mail": "PHPMailer per mail (as wp_mail)",
    "smtpx": "smtpx",
    "phpmailer": "PHPMailer",
    "symfony-rt": "Symfony Mailer",
}
CHART_LABELS = {
    "smtp-source": "smtp-source -d", "smtpx-warm": "smtpx warm", "smtpx-cold": "smtpx cold",
    "symfony": "Symfony kept", "symfony-per-mail": "Symfony per mail",
    "phpmailer-keepalive": "PHPMailer keep-alive", "phpmailer-per-mail": "PHPMailer per mail",
}
NOT_BUILT = "smtpx: not built"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def percentile(values, share):
    """The nearest-rank percentile: the smallest value with at least `share` of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)] if ordered else None


def load(path):
    with open(path, encoding="utf-8") as raw:
        return [json.loads(line) for line in raw if line.strip()]


def fmt(value, digits=1, unit=""):
    if value is None:
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}{unit}"
    return f"{value:.{digits}f}{unit}"


def short(number):
    if float(number).is_integer():
        return f"{number:g}"
    return f"{number:.2g}" if abs(number) < 1 else f"{number:.1f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def paired_ratio(a, b):
    """Median over repeats of a's rate over b's in the same repeat: drift between repeats cancels."""
    return median([a["rates"][k] / b["rates"][k] for k in a["rates"].keys() & b["rates"].keys() if b["rates"][k]])


class Run:
    def __init__(self, records):
        self.records = records

    def select(self, scenario, target=None, contender=None):
        return [r for r in self.records if r["scenario"] == scenario
                and (target is None or r["target"] == target)
                and (contender is None or r["contender"] == contender)]

    def failure(self, scenario, target, contender):
        """The first error of these runs, when none of them produced a result."""
        rows = self.select(scenario, target, contender)
        if rows and all(r["result"] is None or r["result"].get("error") for r in rows):
            first = rows[0]
            return first.get("error") or (first["result"] or {}).get("error") or "failed"
        return None

    def by_repeat(self, scenario, target, contender):
        repeats = defaultdict(list)
        for r in self.select(scenario, target, contender):
            if r["result"] is not None and not r["result"].get("error"):
                repeats[r["repeat"]].append(r)
        return repeats

    # Scenario 1 (and 9's api-throughput): messages per second, summed over the records of one repeat.
    def throughput(self, target, contender, scenario="throughput"):
        rates, cpus, walls = {}, [], []
        for repeat, rows in self.by_repeat(scenario, target, contender).items():
            sent = sum(r["result"]["sent"] for r in rows)
            seconds = sum(r["result"]["seconds"] for r in rows)
            if sent and seconds:
                rates[repeat] = sent / seconds
                cpus.append(sum(r["result"]["cpu"] for r in rows) / sent)
                walls.append(sum(r["wall"] for r in rows) / sent)
        return {"rate": median(rates.values()), "rates": rates, "cpu": median(cpus), "wall": median(walls)}

    # Scenario 2. "In send": client flights that began while a send() call was running (the
    # relay's trace and the contender's spans share CLOCK_MONOTONIC): the round trips the caller
    # waited through. "Per connection": every client flight, QUIT and TLS close included.
    # smtp-source reports no spans: its warm figure is the difference of two connections.
    def round_trips(self, target, contender, answered_only=False):
        cold = self.by_repeat("rtt-cold", target, contender)
        warm = self.by_repeat("rtt-warm", target, contender)
        cold_rows = [r for rows in cold.values() for r in rows]
        per_connection = [c["client_flights"] for r in cold_rows for c in (r["flights"] or [])]
        cold_in_send, cold_ms, warm_in_send, warm_ms = [], [], [], []
        if contender == "smtp-source":
            cold_ms = [r["wall"] * 1000 for r in cold_rows]
            for repeat, rows in warm.items():
                single, count = cold.get(repeat), rows[0]["result"]["sent"]
                if single and count > 1 and rows[0]["flights"] and single[0]["flights"]:
                    extra = rows[0]["flights"][0]["client_flights"] - single[0]["flights"][0]["client_flights"]
                    warm_in_send.append(extra / (count - 1))
                    warm_ms.append((rows[0]["wall"] - single[0]["wall"]) * 1000 / (count - 1))
        else:
            for r in cold_rows:
                cold_ms += [t * 1000 for t in r["result"]["times"]]
                cold_in_send += flights_in_spans(r, r["result"]["spans"], answered_only)
            for rows in warm.values():
                warm_ms += [t * 1000 for t in rows[0]["result"]["times"][1:]]
                warm_in_send += flights_in_spans(rows[0], rows[0]["result"]["spans"][1:], answered_only)
        return {"cold_flights": median(cold_in_send), "cold_total": median(per_connection),
                "cold_ms": median(cold_ms), "warm_flights": median(warm_in_send), "warm_ms": median(warm_ms)}

    # Scenario 6: a short and a long run per repeat; the cost of each extra message, median.
    def per_extra_message(self, scenario, contender, field, target="sink"):
        costs = []
        for rows in self.by_repeat(scenario, target, contender).values():
            runs = sorted((r["result"]["sent"], r["result"][field]) for r in rows)
            if len(runs) == 2 and runs[1][0] > runs[0][0]:
                costs.append((runs[1][1] - runs[0][1]) / (runs[1][0] - runs[0][0]))
        return median(costs)

    # Scenario 4 (and issue 14's signed copy, target "sink-dkim"): RSS growth of a send over
    # the same script sending nothing.
    def attachment(self, contender, target="sink"):
        idle = self.by_repeat("attach-idle", target, contender)
        sends = self.by_repeat("attach", target, contender)
        growth, zend, seconds = [], [], []
        for repeat, rows in sends.items():
            if repeat in idle:
                growth.append((rows[0]["rss_kb"] - idle[repeat][0]["rss_kb"]) / 1024)
            zend.append(rows[0]["result"]["memory_growth"] / 2**20)
            seconds.append(rows[0]["result"]["seconds"])
        return {"rss_growth_mb": median(growth), "zend_growth_mb": median(zend),
                "seconds": median(seconds), "failure": self.failure("attach", target, contender)}

    # Scenario 5: milliseconds of the first send (finding the open port) and the second.
    def blocked(self, contender):
        sends = [r["result"] for rows in self.by_repeat("blocked", "postfix-587", contender).values() for r in rows]
        return (median([r["times"][0] * 1000 for r in sends if len(r["times"]) > 0]),
                median([r["times"][1] * 1000 for r in sends if len(r["times"]) > 1]))

    # Issue 9, bug 4: milliseconds per warm send (the 2nd and later on a connection), the
    # median of each repeat's sends.
    def warm_ms_by_repeat(self, scenario, target, contender):
        return {repeat: median([t * 1000 for r in rows for t in r["result"]["times"][1:]])
                for repeat, rows in self.by_repeat(scenario, target, contender).items()}

    # The first send on each connection: connecting, the greeting and EHLO come with it.
    def first_send_ms(self, scenario, target, contender):
        return median([r["result"]["times"][0] * 1000 for rows in self.by_repeat(scenario, target, contender).values()
                       for r in rows if r["result"]["times"]])

    # Issue 9, bug 1: smtp_server.py's line for each connection says what the client had sent
    # when the server refused; a client that refused the message itself sent what it sent.
    def size_refusal(self, contender):
        sent, refusals, errors, delivered = [], [], [], 0
        for r in self.select("size-limit", "size-limit", contender):
            for connection in r["flights"] or []:
                if connection["refusal"]:
                    sent.append(connection["bytes_before_refusal"])
                    refusals.append(f"the server: {connection['refusal']}")
                else:
                    sent.append(connection["bytes_from_client"])
                    refusals.append("the client, before MAIL")
                delivered += connection["messages"]
            errors.append(r.get("error") or (r["result"] or {}).get("error"))
        return {"bytes": median(sent), "refused_by": refusals[0] if refusals else None,
                "error": next((e for e in errors if e), None), "delivered": delivered, "runs": len(errors)}

    # Issue 12, by transport ("sendgrid+api"): scenario 2's round trips through the relay, with
    # the TCP connect the relay answers itself (one round trip, neither counted nor delayed); warm
    # API sends and smtpx's warm SMTP sends to smtp-sink, back to back; CPU per message.
    def api(self, transport):
        figures = self.round_trips(transport, "smtpx", answered_only=True)
        api = self.throughput(transport, "smtpx-api", "api-throughput")
        smtp = self.throughput(transport, "smtpx-smtp", "api-throughput")
        warm = [r for rows in self.by_repeat("rtt-warm", transport, "smtpx").values() for r in rows]
        facts = [fact for r in warm for fact in r["result"].get("facts") or []]
        cold = figures["cold_flights"]
        figures.update(
            cold_round_trips=None if cold is None else cold + 1, rate=api["rate"], smtp_rate=smtp["rate"],
            ratio=paired_ratio(api, smtp), cpu=self.per_extra_message("cpu", "smtpx", "task_clock_ms", transport),
            connections=median([len(r["flights"] or []) for r in warm]),
            protocols=sorted({f"{(fact.get('reply') or '?').split(' ')[0]}, {fact.get('tls')}" for fact in facts}),
            trace=next((c.get("trace", []) for r in warm for c in (r["flights"] or [])), []))
        return figures

    def startup(self):
        """Instructions of an empty PHP run per configuration (php, php+smtpx, php+curl, php+curl+smtpx)."""
        return {r["contender"]: r["result"]["instructions"] for r in self.select("startup") if r["result"]}

    # Issue 13: latency of warm sends (the first send, which connects and fetches the first
    # token, left out), in milliseconds, and the token requests the run made.
    def oauth(self, contender):
        rows = [r["result"] for r in self.select("oauth", "dovecot", contender)
                if r["result"] is not None and not r["result"].get("error")]
        times = [1000 * t for r in rows for t in r["times"][1:]]
        return {"sends": len(times), "p50": percentile(times, 0.5), "p99": percentile(times, 0.99),
                "p999": percentile(times, 0.999), "max": max(times, default=None),
                "seconds": sum(r["spans"][-1][1] - r["spans"][0][0] for r in rows if r["spans"]) or None,
                "token_requests": sum(r.get("token_requests", 0) for r in rows) if rows else None}

    def fpm(self, contender):
        rows = [r["result"] for r in self.select("fpm", "sink", contender)]
        usable = [r for r in rows if r["failed"] == 0 and r["rps"] > 0]
        return {"rps": median([r["rps"] for r in usable]), "p50": median([r["p50_ms"] for r in usable]),
                "p99": median([r["p99_ms"] for r in usable]),
                "failed": sum(r["failed"] for r in rows), "runs": len(rows)}


class Targets:
    """The targets of issues 6 and 9, each met or missed by how much."""

    def __init__(self):
        self.rows = []

    def at_least(self, name, value, wanted, unit="x"):
        self._add(name, value, wanted, value is not None and value >= wanted, f">= {short(wanted)}{unit}", unit)

    def at_most(self, name, value, wanted, unit=""):
        self._add(name, value, wanted, value is not None and value <= wanted, f"<= {short(wanted)}{unit}", unit)

    def below(self, name, value, wanted, unit=""):
        self._add(name, value, wanted, value is not None and value < wanted, f"< {short(wanted)}{unit}", unit)

    def not_run(self, name, wanted, why):
        self.rows.append((name, wanted, "not measured", why))

    def _add(self, name, value, wanted, met, wanted_text, unit):
        if value is None:
            self.rows.append((name, wanted_text, "n/a", "not measured (see the tables)"))
            return
        shown = f"{value:.2f}{unit}"
        if met:
            verdict = "met"
        elif wanted_text.startswith(">="):
            verdict = f"missed: {shown}, {100 * (1 - value / wanted):.0f}% short"
        else:
            verdict = f"missed: {shown}, {value - wanted:.2f}{unit} over ({value / wanted:.1f}x the limit)"
        self.rows.append((name, wanted_text, shown, verdict))


def scaled(value, factor):
    return None if value is None else value * factor


def smtpx_figures(run, machine):
    """smtpx's medians in every scenario, each as (scenario, figure, value, unit, higher is better)."""
    figures = []
    servers = [("sink", "smtp-sink")] + ([("postfix", "Postfix smtpd")] if machine["postfix_harness"] else [])
    for target, name in servers:
        warm = run.throughput(target, "smtpx-warm")
        figures += [("1", f"warm to {name}, messages/s", warm["rate"], "", True),
                    ("1", f"warm to {name} / smtp-source, same run",
                     paired_ratio(warm, run.throughput(target, "smtp-source")), "x", True),
                    ("1", f"cold to {name}, wall per mail incl. process",
                     scaled(run.throughput(target, "smtpx-cold")["wall"], 1000), " ms", False)]
    figures += [("6", "CPU time per message", scaled(run.per_extra_message("cpu", "smtpx", "task_clock_ms"), 1000),
                 " µs", False),
                ("6", "instructions per message", run.per_extra_message("instructions", "smtpx", "instructions"),
                 "", False)]
    for target in ["sink"] + (["postfix-587", "postfix-465"] if machine["postfix_harness"] else []):
        f = run.round_trips(target, "smtpx")
        figures += [("2", f"{target}: cold round trips in send", f["cold_flights"], "", False),
                    ("2", f"{target}: cold ms/message", f["cold_ms"], " ms", False),
                    ("2", f"{target}: warm round trips/message", f["warm_flights"], "", False),
                    ("2", f"{target}: warm ms/message", f["warm_ms"], " ms", False)]
    startup = run.startup()
    if "php" in startup and "php+smtpx" in startup:
        figures.append(("10", "start-up instructions added by loading smtpx", startup["php+smtpx"] - startup["php"], "",
                        False))
    fpm = run.fpm("smtpx")
    attachment = run.attachment("smtpx")
    figures += [("3", "PHP-FPM requests/s", fpm["rps"], "", True), ("3", "PHP-FPM p99", fpm["p99"], " ms", False),
                ("4", "25 MB attachment, RSS growth", attachment["rss_growth_mb"], " MB", False),
                ("4", "25 MB attachment, time", attachment["seconds"], " s", False)]
    if machine["postfix_harness"]:
        first, second = run.blocked("smtpx")
        figures += [("5", "blocked 587, first send", first, " ms", False),
                    ("5", "blocked 587, second send", second, " ms", False)]
    figures += [("7", "warm ms/message, Nagle server", median(run.warm_ms_by_repeat("nagle", "nagle", "smtpx").values()),
                 " ms", False),
                ("8", "bytes sent before the SIZE refusal", run.size_refusal("smtpx")["bytes"], " bytes", False)]
    for transport in api_transports(run):
        f = run.api(transport)
        figures += [("9", f"{transport}: cold round trips incl. TCP connect", f["cold_round_trips"], "", False),
                    ("9", f"{transport}: cold ms/message", f["cold_ms"], " ms", False),
                    ("9", f"{transport}: warm round trips/message", f["warm_flights"], "", False),
                    ("9", f"{transport}: warm ms/message", f["warm_ms"], " ms", False),
                    ("9", f"{transport}: warm API / warm SMTP to smtp-sink", f["ratio"], "x", True),
                    ("9", f"{transport}: CPU time per message", scaled(f["cpu"], 1000), " µs", False)]
    return figures


def api_transports(run):
    """The API transports measured (section 9), in the order bench/run sent to them."""
    return list(dict.fromkeys(r["target"] for r in run.select("rtt-cold") if "+api" in r["target"]))


def comparison(before, before_machine, after, after_machine):
    """smtpx's every figure in a run taken before (the start of a piece of work) and in this one."""
    earlier = {(scenario, name): value for scenario, name, value, _, _ in smtpx_figures(before, before_machine)}
    rows = []
    for scenario, name, value, unit, higher_is_better in smtpx_figures(after, after_machine):
        old = earlier.get((scenario, name))
        change, verdict = "", "new" if old is None and value is not None else ""
        if old and value is not None:
            change = f"{100 * (value / old - 1):+.0f}%"
            gain = value / old if higher_is_better else old / value if value else float("inf")
            verdict = "even" if abs(gain - 1) <= 0.1 else "better" if gain > 1 else "worse"
        rows.append([scenario, name, fmt(old, 2, unit) if old is not None else "not run",
                     fmt(value, 2, unit), change, verdict])
    module = after_machine.get("smtpx_so_sha256")
    same_module = (f" Both runs measured the very same smtpx.so (sha256 {module[:12]}…): every difference "
                   "below is the machine's, and shows how far two runs on it can differ."
                   if module and module == before_machine.get("smtpx_so_sha256") else "")
    return (f"\n## Before and after: smtpx in this run and in the run of {before_machine['date']} "
            f"(built from {before_machine['smtpx_commit']})\n\n"
            "Every smtpx median of the sections above, from the two runs' raw measurements. *Even*: "
            "within 10% either way. The two runs met different load from the rest of the machine "
            "(load average at their start: " + before_machine.get("load_before", "?") + " then, "
            + after_machine.get("load_before", "?") + " now): a ratio taken within one run "
            "(warm / smtp-source) is the steadier guide." + same_module + "\n\n"
            + table(["section", "figure", "before", "after", "change", "verdict"], rows))


def appendix(results):
    """The earlier run's own results.md, its headings moved two levels down, to quote it whole."""
    lines = ["\n## Appendix: the run before, as it reported itself\n"]
    lines += ["##" + line if line.startswith("#") else line for line in results.splitlines()]
    return "\n".join(lines) + "\n"


def flights_in_spans(record, spans, answered_only=False):
    """For each [begin, end] span, how many client flights of the record's connections began in it;
    with answered_only, only those the server answered (a flight after the last answer, such as
    HTTP/2's SETTINGS acknowledgement, is nothing the client waits for)."""
    starts = []
    for c in record["flights"] or []:
        trace = c.get("trace", [])
        starts += [t for i, (direction, _, t) in enumerate(trace) if direction == "up" and
                   (not answered_only or (i + 1 < len(trace) and trace[i + 1][0] == "down"))]
    return [sum(1 for t in starts if begin <= t <= end) for begin, end in spans]


def closing_note(targets, cpu_time, machine):
    """How to read the numbers, and for each missed target where to look for why."""
    notes = [
        "Round trips are counted by bench/relay.py, which relays bytes with a delay and notes who "
        "speaks when; it never reads SMTP, so a TLS handshake's flights count like commands. "
        "PHPMailer's 14 on 587 (trace): EHLO, STARTTLS, two TLS handshake flights, EHLO, AUTH "
        "LOGIN, user, password, MAIL, RCPT, DATA, the body, QUIT, and the TLS close alert after "
        "QUIT's 221; issue 6 quoted 13, likely without that last one.",
        "The blocked port is a listening socket whose accept queue is full: SYNs are dropped, "
        "with no refusal, as behind `iptables -j DROP`, without changing the firewall.",
        "PHPMailer and Symfony Mailer stay near 22 messages/s on loopback whatever the server: "
        "PHPMailer writes the message line by line (strace shows one send() per line, no "
        "TCP_NODELAY), and Nagle holds the final `.` until the server's delayed ACK, about 40 ms "
        "per message; Symfony Mailer shows the same 40 ms step.",
        "smtpx cold is one smtpx_send() in a fresh PHP process; its CPU per message is that first "
        "send's, with the process's first TLS and module setup, not a steady state.",
        "On the Nagle server (section 7) every server flight waits once for the client's ACK of its "
        "first piece, the later pieces going out together: a warm smtpx send has two such flights "
        "(the envelope replies with DATA's 354, then the 250 after the data), PHPMailer and Symfony "
        "Mailer, which do not pipeline, one per command. With its TCP_QUICKACK smtpx acknowledges "
        "at once; without it, each flight costs a delayed ACK.",
    ]
    missed = [row for row in targets.rows if row[3].startswith("missed")]
    for name, _, _, verdict in missed:
        why = "see the scenario's table above"
        if name.startswith("Warm throughput") and cpu_time["smtpx"] and cpu_time["smtp-source"]:
            why = (f"the machine's load average was {machine.get('load_before', '?')}; under CPU "
                   f"contention the rate follows CPU per message (smtpx warm "
                   f"{cpu_time['smtpx'] * 1000:.0f} µs, smtp-source {cpu_time['smtp-source'] * 1000:.0f} µs)")
        elif name.startswith("Cold round trips"):
            why = ("the flight-by-flight trace in section 2 shows where the round trips go; flights "
                   "after the data (QUIT, TLS close) inside the send mean the call closed the connection itself")
        elif name.startswith("CPU per message"):
            why = ("callgrind counts user space only, where PHPMailer's cost is smallest: its larger "
                   "CPU time is kernel work for its one send() per line; "
                   "`callgrind_annotate bench/work/callgrind-smtpx-25.out` shows where smtpx's "
                   "instructions go (the per-byte loops of composing and dot-stuffing are memchr scans "
                   "now; allocation per message and header building weigh most)")
        elif name.startswith("Outbox: background"):
            why = ("storing a message is one durable InnoDB commit, and section 11's anchor row shows what one "
                   "costs on this machine's disk alone, without wp_mail() around it; while a request stores, the "
                   "other worker's drain commits its claims and results to the same redo log")
        elif name.startswith("Blocked"):
            why = "the second send should reuse the pooled connection or go straight to the remembered port"
        notes.append(f"Missed: {name} ({verdict}): {why}.")
    if not missed:
        notes.append("Every target measured in this run was met.")
    return "\n## Notes\n\n" + "".join(f"- {note}\n" for note in notes)


def percentile(values, share):
    """The nearest-rank percentile: the smallest value with at least share of them at or below it."""
    ordered = sorted(v for v in values if v is not None)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else None


def outbox_section(run, targets, machine):
    """Section 11 (issue 11): the WordPress plugin's outbox, on the benchmark's own WordPress."""
    out = ["\n## 13. The WordPress outbox (issue 11)\n\n"]
    if not run.select("wp-mail") and not run.select("drain"):
        out.append("Not run: it needs smtpx built and the benchmark's WordPress (tests/wp/lib/start-site).\n")
        targets.not_run("Outbox", "background p99 <= 5 ms", "the benchmark's WordPress did not run")
        return "".join(out)
    delay = machine["delay_ms"]
    out.append(f"The benchmark's own WordPress {machine.get('wordpress', '')} (tests/wp/lib/start-site: MariaDB "
               f"{machine.get('mariadb', '')} on a socket with its durable defaults, nginx, PHP-FPM with 2 static "
               "workers, the smtpx plugin active and the extension loaded). A request to `/?smtpx_bench=MODE` "
               "(bench/outbox/mail-request.php, a must-use plugin) sends one contact-form notification with "
               "wp_mail() at template_redirect and answers; ab sends the requests one at a time, after 8 "
               "uncounted ones that warm both workers (two at a time). The server is smtp-sink through bench/relay.py, "
               f"{delay:g} ms each way ({2 * delay:g} ms RTT), plain SMTP without AUTH. *background*: the plugin "
               "with background sending on (stored in the outbox, sent after the response by the same worker); "
               "*sync*: the plugin sending in the request (stored, sent over the worker's pooled connection, "
               "recorded); *core*: the plugin inactive and core's own PHPMailer told in phpmailer_init to use "
               "SMTP to the same server (a new connection per mail, as SMTP plugins without smtpx configure "
               "it). *wp_mail()*: the call's own time inside the request (hrtime); *request*: ab's time for the "
               "whole request. *A durable commit*: one-row INSERTs into a scratch table of the same database, "
               "autocommit, as the outbox stores a message: what storing costs at least on this machine's disk "
               "(innodb_flush_log_at_trx_commit=1, the default). Per repeat the percentile of its requests, then "
               "the median over repeats.\n\n")
    modes = (("background", "background sending"), ("sync", "smtpx in the request"),
             ("core", "core's PHPMailer over SMTP (plugin inactive)"), ("durable-commit", "a durable commit (anchor)"))
    figures = {}
    rows = []
    for mode, label in modes:
        repeats = run.by_repeat("wp-mail", "sink-relay", mode)
        results = [r["result"] for rows_ in repeats.values() for r in rows_]
        times = [r.get("wp_mail_ms", r.get("times_ms")) or [] for r in results]
        requests = [r.get("request_ms") or [] for r in results]
        f = {"p50": median([percentile(t, 0.5) for t in times]), "p99": median([percentile(t, 0.99) for t in times]),
             "request_p50": median([percentile(t, 0.5) for t in requests if t]),
             "request_p99": median([percentile(t, 0.99) for t in requests if t]),
             "failed": sum(r.get("failed", 0) for r in results),
             "sent": sum((r.get("outbox") or {}).get("sent", 0) for r in results),
             "requests": sum(r.get("requests", 0) for r in results)}
        figures[mode] = f
        delivered = "" if mode == "durable-commit" else (
            f"{f['sent']:,} of {f['requests']:,}" if mode != "core" else "not logged")
        rows.append([label, fmt(f["p50"], 2, " ms"), fmt(f["p99"], 2, " ms"),
                     fmt(f["request_p50"], 0, " ms") if mode != "durable-commit" else "",
                     fmt(f["request_p99"], 0, " ms") if mode != "durable-commit" else "",
                     "" if mode == "durable-commit" else str(f["failed"]), delivered])
    out.append(table(["mode", "wp_mail() p50", "wp_mail() p99", "request p50", "request p99", "failed requests",
                      "outbox rows sent"], rows))
    background, core, commit = figures["background"], figures["core"], figures["durable-commit"]
    if background["p99"] is not None and commit["p99"] is not None:
        out.append(f"\nBackground sending's wp_mail() over the durable commit alone: p50 "
                   f"{fmt(ratio(background['p50'], commit['p50']), 2, 'x')}, p99 "
                   f"{fmt(ratio(background['p99'], commit['p99']), 2, 'x')}.\n")
    targets.at_most("Outbox: background sending's wp_mail() p99 in a request", background["p99"], 5, " ms")
    targets.at_most("Outbox: background sending's wp_mail() p99 vs core's PHPMailer over SMTP",
                    ratio(background["p99"], core["p99"]), 0.05, "x")

    out.append("\nDrain throughput: bench/outbox/driver.php queues the messages with wp_mail() (background "
               "sending on), then times one run of the queue runner (claim, send over the pooled connection, "
               "record: two durable commits a message); against smtpx's warm sends of as many messages (one "
               "Smtpx\\Client, section 1's contender) to the same server, back to back and taking turns to go "
               "first. The same 2 KB text message in both. *Connections*: opened and reused by the runner, from "
               "smtpx_pool_stats().\n\n")
    rows = []
    for target, title in (("sink-relay", f"smtp-sink through the relay ({2 * delay:g} ms RTT)"),
                          ("sink", "smtp-sink on loopback (not a target)")):
        runner = run.throughput(target, "queue-runner", "drain")
        warm = run.throughput(target, "smtpx-warm", "drain")
        paired = paired_ratio(runner, warm) if runner["rates"] and warm["rates"] else None
        results = [r["result"] for r in run.select("drain", target, "queue-runner") if r["result"]]
        opened = median([r.get("opened") for r in results])
        reused = median([r.get("reused") for r in results])
        count = median([r.get("sent") for r in results])
        rows.append([title, fmt(count, 0), fmt(runner["rate"], 1), fmt(warm["rate"], 1), fmt(paired, 2, "x"),
                     f"{fmt(opened, 0)} / {fmt(reused, 0)}"])
        if target == "sink-relay":
            targets.at_least(f"Outbox: drain throughput vs warm smtpx sends, {title}", paired, 0.5)
    out.append(table(["server", "messages", "queue runner messages/s", "smtpx warm messages/s", "runner / warm",
                      "connections opened / reused"], rows))
    loopback = {c: run.throughput("sink", c, "drain")["rate"] for c in ("queue-runner", "smtpx-warm")}
    per_message = {c: rate and 1000 / rate for c, rate in loopback.items()}
    out.append("\nThe target is judged at the RTT of a provider across the Internet. On loopback the runner's "
               f"{fmt(per_message['queue-runner'], 2, ' ms')} a message (smtpx's warm send: "
               f"{fmt(per_message['smtpx-warm'], 3, ' ms')}) is the outbox's own work, not SMTP: the claim (a SELECT "
               "and an UPDATE), the row read back and decompressed, the record (an UPDATE), two of them durable "
               "commits (the anchor above). Recording each message as soon as the server accepted it is what "
               "keeps a drainer killed mid-batch to at most one duplicate.\n")

    log = next((r["result"] for r in run.select("log-size", "sink", "outbox") if r["result"]), None)
    if log:
        table_bytes = log["data_length"] + log["index_length"]
        out.append(f"\nThe log's size: {log['rows']:,} order emails (tests/wp/lib/order-email.php, "
                   f"{log['html_bytes'] / log['rows'] / 1024:.1f} KB of HTML each on average, "
                   f"{log['mime_bytes'] / log['rows'] / 1024:.1f} KB as composed MIME) sent with wp_mail() "
                   "to smtp-sink, each logged by the outbox; the table's size from information_schema after "
                   "ANALYZE TABLE.\n\n")
        out.append(table(["rows", "data", "index", "table", "per message", "per 10,000 messages"], [[
            f"{log['rows']:,}", f"{log['data_length'] / 2**20:.1f} MB", f"{log['index_length'] / 2**20:.1f} MB",
            f"{table_bytes / 2**20:.1f} MB", f"{table_bytes / log['rows'] / 1024:.2f} KB",
            f"{table_bytes / log['rows'] * 10000 / 2**20:.1f} MB"]]))
        targets.below(f"Outbox: the log's table for 10,000 order emails (measured with {log['rows']:,})",
                      table_bytes / log["rows"] * 10000 / 2**20, 25, " MB")
    return "".join(out)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def soak_section(path):
    """The "Fault soak" section bench/soak/run keeps last in the results: not measured here, kept."""
    try:
        with open(path, encoding="utf-8") as results:
            text = results.read()
    except FileNotFoundError:
        return ""
    begin = text.find("\n## Fault soak\n")
    return "\n" + text[begin:] if begin >= 0 else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", required=True)
    parser.add_argument("--machine", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--chart-data", required=True)
    parser.add_argument("--before", help="a directory with the raw.jsonl and machine.json of a run to compare with")
    args = parser.parse_args()
    run = Run(load(args.raw))
    with open(args.machine, encoding="utf-8") as machine_file:
        machine = json.load(machine_file)
    built = machine["smtpx_built"]
    targets = Targets()
    out = []
    chart = {"throughput": [], "rtt": [], "memory": [], "cpu": []}

    def cell(value, contender, digits=1, unit="", failure=None):
        if contender.startswith("smtpx") and not built:
            return NOT_BUILT
        if value is None:
            return f"failed: {failure}" if failure else "n/a"
        return fmt(value, digits, unit)

    out.append("# smtpx benchmark results\n")
    out.append("Generated by `bench/run`" + (" --quick (smoke run: numbers not judged)" if machine["quick"] else "")
               + f" on {machine['date']}. Medians over repeats; ratios within this run.\n")
    out.append(table(["machine", ""], [
        ["CPU", machine["cpu"]], ["cores (nproc)", machine["cores"]], ["kernel", machine["kernel"]],
        ["PHP", machine["php"]], ["Postfix (smtp-sink, smtp-source, smtpd)", machine["postfix"]],
        ["PHPMailer (libphp-phpmailer)", machine["phpmailer"]],
        ["Symfony Mailer (php-symfony-mailer)", machine["symfony"]],
        ["smtpx", f"built from {machine['smtpx_commit']}, module {machine['smtpx_so']}" + ("" if built else " (not built)")],
        ["Postfix harness (tests/peers)", "used" if machine["postfix_harness"] else "not available"],
        ["load average before / after (other work on the machine)",
         f"{machine.get('load_before', '?')} / {machine.get('load_after', '?')}"],
        ["nice level of the benchmark (contenders and servers alike)", machine.get("nice", "?")],
    ]))

    # Scenario 1 and 6.
    throughput_targets = ["sink"] + (["postfix"] if machine["postfix_harness"] else [])
    for target in throughput_targets:
        figures = {c: run.throughput(target, c) for c in THROUGHPUT_ORDER}
        smtpx = figures["smtpx-warm"]
        out.append(f"\n## 1. Warm throughput, one connection over loopback, to "
                   f"{'smtp-sink' if target == 'sink' else 'Postfix smtpd (10025)'}\n")
        out.append("2 KB text message. PHP contenders are timed from the first send to the last "
                   "inside the script; smtp-source and the cold smtpx column include process start "
                   "where noted.\n\n")
        rows = []
        for c in THROUGHPUT_ORDER:
            f = figures[c]
            failure = run.failure("throughput", target, c)
            rows.append([LABELS[c], cell(f["rate"], c, 1, "", failure),
                         cell(f["wall"] and 1000 * f["wall"], c, 2, " ms") if c in ("smtpx-cold", "smtp-source") else "",
                         "" if c == "smtpx-warm" or not built else fmt(paired_ratio(smtpx, f), 2, "x")])
            if target == "sink":
                chart["throughput"].append((CHART_LABELS[c], f["rate"]))
        out.append(table(["contender", "messages/s", "wall per mail incl. process", "smtpx warm / this"], rows))
        out.append("\nsmtpx warm / this: the median over repeats of the ratio within each repeat. "
                   "smtp-source and smtpx warm run back to back, taking turns to go first.\n")
        if target == "sink":
            targets.at_least("Warm throughput to smtp-sink vs smtp-source -d",
                             paired_ratio(smtpx, figures["smtp-source"]) if built else None, 0.8)
            targets.at_least("Warm throughput to smtp-sink vs PHPMailer SMTPKeepAlive",
                             paired_ratio(smtpx, figures["phpmailer-keepalive"]) if built else None, 20)
            sink_cpu = figures

    out.append("\n## 6. CPU per message (compose and send 2 KB on a kept connection to smtp-sink)\n\n")
    out.append("Each figure is the difference between a long and a short run of the same client, over "
               "the extra messages, so start-up and connecting drop out. *CPU time*: perf's task-clock, "
               "user and kernel, as the scheduler measured it. *Instructions*: valgrind's callgrind, "
               "user space only. *getrusage*: user+sys around the sends in the throughput runs; this "
               f"kernel samples it at each tick (CONFIG_TICK_CPU_ACCOUNTING), so it is coarse for a "
               "client that sleeps between short bursts, and no target rests on it.\n\n")
    cpu_contenders = (("smtp-source", "smtp-source", "smtp-source -d (the limit)"),
                      ("smtpx", "smtpx-warm", "smtpx warm (one Smtpx\\Client)"),
                      ("phpmailer", "phpmailer-keepalive", "PHPMailer SMTPKeepAlive"),
                      ("symfony", "symfony", "Symfony Mailer (kept connection)"))
    cpu_time, instructions = {}, {}
    rows = []
    for c, throughput_name, label in cpu_contenders:
        cpu_time[c] = run.per_extra_message("cpu", c, "task_clock_ms")
        instructions[c] = run.per_extra_message("instructions", c, "instructions")
        sampled = sink_cpu[throughput_name]["cpu"]
        rows.append([label, cell(cpu_time[c] and cpu_time[c] * 1000, c, 0, " µs"),
                     cell(instructions[c], c, 0, "") if c != "smtp-source" else "",
                     cell(sampled and sampled * 1e6, c, 0, " µs")])
        chart["cpu"].append((CHART_LABELS[throughput_name], cpu_time[c] and cpu_time[c] * 1000))
    out.append(table(["contender", "CPU time per message", "instructions per message",
                      "getrusage per message"], rows))
    targets.at_most("CPU per message vs PHPMailer SMTPKeepAlive, CPU time (perf task-clock)",
                    ratio(cpu_time["smtpx"], cpu_time["phpmailer"]) if built else None, 0.2, "x")
    targets.at_most("CPU per message vs PHPMailer SMTPKeepAlive, instructions (callgrind)",
                    ratio(instructions["smtpx"], instructions["phpmailer"]) if built else None, 0.2, "x")

    # Scenario 2.
    rtt_targets = [("sink", "smtp-sink, plain, PIPELINING without CHUNKING")]
    if machine["postfix_harness"]:
        rtt_targets += [("postfix-587", "Postfix 10587, STARTTLS + AUTH PLAIN"),
                        ("postfix-465", "Postfix 10465, implicit TLS + AUTH")]
    out.append(f"\n## 2. Round trips through the delay relay ({machine['delay_ms']:g} ms each way)\n\n")
    out.append("A round trip is a client flight: the client speaks after the server did (bench/relay.py "
               "counts them without reading the bytes, so TLS handshakes count too). *In send*: the "
               "flights that began while the send call ran, which is what the caller waits through "
               "(smtp-source: the extra flights of a kept connection per message). *Per connection*: "
               "all flights of a one-message connection, QUIT and the TLS close included (the way "
               "issue 6 counted PHPMailer's 13). Cold: a new connection (smtpx: a new process); "
               "warm: the 2nd and later messages on a kept connection. Milliseconds as the caller "
               "sees them.\n\n")
    rows = []
    for target, title in rtt_targets:
        contenders = ["smtpx", "phpmailer", "symfony"] + (["smtp-source"] if target == "sink" else [])
        for c in contenders:
            f = run.round_trips(target, c)
            label = {"smtpx": "smtpx", "phpmailer": "PHPMailer", "symfony": "Symfony Mailer",
                     "smtp-source": "smtp-source"}[c]
            rows.append([title, label, cell(f["cold_flights"], c, 1), cell(f["cold_total"], c, 1),
                         cell(f["cold_ms"], c, 1, " ms"), cell(f["warm_flights"], c, 2), cell(f["warm_ms"], c, 1, " ms")])
            if target == ("postfix-587" if machine["postfix_harness"] else "sink"):
                chart["rtt"].append((label, f["cold_flights"], f["warm_flights"]))
            if c == "smtpx" and built:
                if target == "sink":
                    targets.at_most("Warm round trips per message, PIPELINING with DATA (smtp-sink)",
                                    f["warm_flights"], 2)
                elif target == "postfix-587":
                    targets.at_most("Warm round trips per message, PIPELINING and CHUNKING (Postfix)",
                                    f["warm_flights"], 1)
                    targets.at_most("Cold round trips, 587 STARTTLS + AUTH", f["cold_flights"], 6)
                else:
                    targets.at_most("Cold round trips, 465 implicit TLS + AUTH", f["cold_flights"], 5)
    out.append(table(["server", "contender", "cold round trips in send", "cold flights per connection",
                      "cold ms/message", "warm round trips/message", "warm ms/message"], rows))
    for target, title in rtt_targets[1:]:
        traced = [c for r in run.select("rtt-cold", target, "smtpx") for c in (r["flights"] or [])]
        if traced and built:
            flow = " ".join(("C" if d == "up" else "S") + str(size) for d, size, _ in traced[0].get("trace", []))
            out.append(f"\nsmtpx's cold connection to {title}, flight by flight (C: client, S: server, "
                       f"bytes): `{flow}`\n")
    if not machine["postfix_harness"]:
        targets.not_run("Round trips on 587 and 465", "<= 6 and <= 5 cold, 1 warm",
                        "the Postfix harness (tests/peers/start) was not available")

    # Scenario 3.
    out.append("\n## 3. PHP-FPM under concurrent load (2 workers, nginx, ab -c 4, one mail per request to smtp-sink)\n\n")
    fpm = {c: run.fpm(c) for c in ("smtpx", "phpmailer")}
    rows = []
    for c, label in (("smtpx", "smtpx_send() (pooled per worker)"), ("phpmailer", "PHPMailer per mail")):
        f = fpm[c]
        failed = f"{f['failed']} failed" if f["failed"] else ""
        rows.append([label, cell(f["rps"], c, 1), cell(f["p50"], c, 0, " ms"), cell(f["p99"], c, 0, " ms"), failed])
    out.append(table(["contender", "requests/s", "p50", "p99", ""], rows))
    targets.at_most("PHP-FPM p99 latency vs PHPMailer", ratio(fpm["smtpx"]["p99"], fpm["phpmailer"]["p99"])
                    if built else None, 0.2, "x")

    # Scenario 4.
    out.append("\n## 4. A 25 MB attachment under memory_limit=128M (to smtp-sink)\n\n")
    out.append("RSS growth: max RSS (`/usr/bin/time`) of the send minus that of the same script sending "
               "nothing. Zend peak: memory_get_peak_usage() growth (memory outside PHP's allocator, as "
               "in an extension, does not show there).\n\n")
    rows = []
    for c, label in (("smtpx", "smtpx"), ("phpmailer", "PHPMailer"), ("symfony", "Symfony Mailer")):
        f = run.attachment(c)
        status = "sent"
        if f["failure"]:
            status = "fails under memory_limit=128M" if "Allowed memory size" in f["failure"] else f"fails: {f['failure']}"
        if c == "smtpx" and not built:
            status = NOT_BUILT
        rows.append([label, status, cell(f["rss_growth_mb"], c, 1, " MB"),
                     cell(f["zend_growth_mb"], c, 1, " MB"), cell(f["seconds"], c, 2, " s")])
        chart["memory"].append((label + (" (failed)" if f["failure"] else ""), f["rss_growth_mb"] if not f["failure"] else None))
        if c == "smtpx" and built:
            targets.below("25 MB attachment: peak memory growth (RSS)",
                          f["rss_growth_mb"] if not f["failure"] else None, 8, " MB")
    out.append(table(["contender", "result", "RSS growth", "Zend peak growth", "time"], rows))

    # Scenario 5.
    out.append("\n## 5. A blocked 587 (first port of the plan drops SYNs, the next is Postfix 587 behind the relay)\n\n")
    if machine["postfix_harness"]:
        out.append("The dropped port is a listening socket whose accept queue is full (bench/blackhole.py): "
                   "the kernel drops the SYNs, as `iptables -j DROP` would. Two sends per process; "
                   "PHPMailer gets both hosts as its list, with Timeout lowered to 10 s. Unblocked "
                   "baselines: the cold and warm sends of scenario 2 on the same relay.\n\n")
        baseline = run.round_trips("postfix-587", "smtpx")
        rows = []
        for c, label in (("smtpx", "smtpx_send()"), ("phpmailer", "PHPMailer per mail")):
            first, second = run.blocked(c)
            failure = run.failure("blocked", "postfix-587", c)
            rows.append([label, cell(first, c, 0, " ms", failure), cell(second, c, 0, " ms", failure)])
            if c == "smtpx" and built:
                stagger = machine["stagger_ms"]
                if baseline["cold_ms"] is not None:
                    targets.at_most(f"Blocked 587: first send within stagger ({stagger} ms) + 100 ms of an "
                                    f"unblocked cold send ({fmt(baseline['cold_ms'], 0)} ms)",
                                    first, stagger + 100 + baseline["cold_ms"], " ms")
                if baseline["warm_ms"] is not None:
                    targets.at_most(f"Blocked 587: second send as fast as an unblocked warm send "
                                    f"({fmt(baseline['warm_ms'], 0)} ms, +10 ms of noise)",
                                    second, baseline["warm_ms"] + 10, " ms")
        rows.append(["unblocked smtpx (scenario 2)", cell(baseline["cold_ms"], "smtpx", 0, " ms") + " cold",
                     cell(baseline["warm_ms"], "smtpx", 0, " ms") + " warm"])
        out.append(table(["contender", "first send", "second send"], rows))
    else:
        out.append("Not run: it needs the Postfix harness (tests/peers/start).\n")
        targets.not_run("Blocked 587", "stagger + 100 ms", "the Postfix harness was not available")

    # Issue 9, bug 4.
    out.append("\n## 7. A server that leaves Nagle on (issue 9, bug 4)\n\n")
    out.append("bench/smtp_server.py --nagle keeps TCP_NODELAY off and writes each reply in pieces: the "
               "EHLO answer line by line, every line's code apart from its text, as Haraka does. "
               "Nagle then holds each piece until the client acknowledges the one before, which a "
               "delayed ACK puts off by about 40 ms. The same Python server writing whole replies "
               "with TCP_NODELAY tells what Python costs against smtp-sink. *smtpx without "
               "TCP_QUICKACK*: the same smtpx.so with that one setsockopt made a no-op "
               "(bench/no_quickack.c, a seccomp filter). Warm: the 2nd and later sends on one connection; "
               "2 KB text message, loopback, no delay relay.\n\n")
    nagle_rows = (("sink", "smtpx", "smtp-sink", "smtpx warm"),
                  ("whole-reply", "smtpx", "smtp_server.py, whole replies, TCP_NODELAY", "smtpx warm"),
                  ("nagle", "smtpx", "smtp_server.py --nagle", "smtpx warm"),
                  ("nagle", "smtpx-no-quickack", "smtp_server.py --nagle", "smtpx without TCP_QUICKACK"),
                  ("nagle", "phpmailer", "smtp_server.py --nagle", "PHPMailer SMTPKeepAlive"),
                  ("nagle", "symfony", "smtp_server.py --nagle", "Symfony Mailer (kept connection)"))
    anchor = run.warm_ms_by_repeat("nagle", "sink", "smtpx")
    rows = []
    for target, contender, server, label in nagle_rows:
        by_repeat = run.warm_ms_by_repeat("nagle", target, contender)
        over = median([by_repeat[k] - anchor[k] for k in by_repeat.keys() & anchor.keys()])
        ms = median(by_repeat.values())
        failure = run.failure("nagle", target, contender)
        is_anchor = target == "sink" and contender == "smtpx"
        rows.append([server, label, cell(ms, contender, 2, " ms", failure),
                     "" if is_anchor else cell(over, contender, 2, " ms"),
                     "" if is_anchor else cell(ratio(ms, median(anchor.values())), contender, 1, "x"),
                     cell(run.first_send_ms("nagle", target, contender), contender, 1, " ms", failure)])
        if target == "nagle" and contender == "smtpx" and built:
            targets.at_most("Warm send to a server that leaves Nagle on, over smtpx's warm send to smtp-sink",
                            over, 3, " ms")
    out.append(table(["server", "contender", "warm ms/message", "over smtpx warm to smtp-sink",
                      "ratio to smtpx warm to smtp-sink", "first send (connect, EHLO)"], rows))
    out.append("\nms/message: the median over repeats of each repeat's median send. *Over*: the median "
               "over repeats of the difference within each repeat, the sends to smtp-sink and to the "
               "servers running back to back. *First send*: the median first send of a connection, "
               "which waits for the greeting and the EHLO answer written line by line.\n")

    # Issue 9, bug 1.
    limit = machine.get("size_limit", 0)
    out.append("\n## 8. A message over the server's SIZE (issue 9, bug 1)\n\n")
    out.append(f"bench/smtp_server.py --size-limit advertises SIZE {limit:,} and refuses as Postfix does: "
               "552 to a MAIL FROM declaring more, and a message that declared nothing is read to its end "
               "and then refused with 552. The message carries a 5 MB attachment (about 7 MB as "
               "sent, base64). *Sent before the refusal*: what the server had received from the client "
               "when it sent its 552, counted by the server; a client that refuses the message itself "
               "is charged every byte it sent on the connection.\n\n")
    rows = []
    for c, label in (("smtpx", "smtpx_send()"), ("phpmailer", "PHPMailer per mail"), ("symfony", "Symfony Mailer")):
        f = run.size_refusal(c)
        error = (f["error"] or "").replace("|", "/")
        rows.append([label, f["refused_by"] if built or c != "smtpx" else NOT_BUILT,
                     cell(f["bytes"], c, 0, " bytes"), str(f["delivered"]) if f["runs"] else "n/a",
                     error[:200] + ("…" if len(error) > 200 else "")])
        if c == "smtpx" and built:
            targets.below("Message over the server's SIZE: bytes sent before the refusal", f["bytes"], 1024, " bytes")
    out.append(table(["contender", "refused by", "sent before the refusal", "messages delivered",
                      "what the caller was told"], rows))

    # Issue 12.
    out.append("\n## 9. HTTPS API transports (issue 12)\n\n")
    transports = api_transports(run)
    if transports:
        delay = machine["delay_ms"]
        out.append(f"smtpx with `['api' => NAME, ...]` to bench's own tests/peers/api_server.py (HTTPS, the "
                   f"harness's certificate; HTTP/1.1 with keep-alive), the same 2 KB message; `/h2`: the same peer behind "
                   f"nginx as its HTTP/2 front (tests/peers/h2-start), as providers' front ends offer h2. Round trips as in section 2, through "
                   f"bench/relay.py ({delay:g} ms each way): cold is smtpx_send() in a new process, warm the "
                   "2nd and later sends of one Smtpx\\Client. The relay accepts the TCP connection itself, so "
                   "the connect's round trip is neither among its flights nor in the milliseconds: *with "
                   "the TCP connect* adds it, as on a real link. *Connections*: the warm run's, from the relay; "
                   "*protocol*: what the answers said (the result's `reply` and `tls`). libcurl writes a "
                   "request's headers and its body in two send() calls (the body comes from a read "
                   "callback, which refuses to rewind once all of it went out, so a request is never sent "
                   "twice); the relay sees one flight, since the server says nothing in between. Round trips here "
                   "are the client's flights the server answered: over HTTP/2 smtpx acknowledges the server's "
                   "SETTINGS, which come with the answer, in a flight of its own that nothing waits for.\n\n")
        rows, sends = [], []
        smtp_cpu = run.per_extra_message("cpu", "smtpx", "task_clock_ms")
        api = {transport: run.api(transport) for transport in transports}
        for transport, f in api.items():
            rows.append([transport, "; ".join(f["protocols"]) or "n/a", cell(f["cold_flights"], "smtpx", 1),
                         cell(f["cold_round_trips"], "smtpx", 1), cell(f["cold_ms"], "smtpx", 1, " ms"),
                         cell(f["warm_flights"], "smtpx", 2), cell(f["warm_ms"], "smtpx", 1, " ms"),
                         cell(f["connections"], "smtpx", 0)])
            sends.append([transport, cell(f["rate"], "smtpx", 0), cell(f["smtp_rate"], "smtpx", 0),
                          cell(f["ratio"], "smtpx", 3, "x"), cell(scaled(f["cpu"], 1000), "smtpx", 0, " µs"),
                          cell(scaled(smtp_cpu, 1000), "smtpx", 0, " µs"),
                          cell(ratio(f["cpu"], smtp_cpu), "smtpx", 1, "x")])
            if built:
                targets.at_most(f"{transport}: warm round trips per message on a kept connection", f["warm_flights"], 1)
                targets.at_most(f"{transport}: cold round trips, TCP connect + TLS 1.3 handshake + request",
                                f["cold_round_trips"], 3)
        out.append(table(["transport", "protocol", "cold client flights in send",
                          "cold round trips with the TCP connect", "cold ms/message", "warm round trips/message",
                          "warm ms/message", "connections (warm run)"], rows))
        for transport in [t for t in transports if t == transports[0] or t.endswith("/h2")]:
            trace = api[transport]["trace"]
            if trace and built:
                flow = " ".join(("C" if d == "up" else "S") + str(size) for d, size, _ in trace)
                out.append(f"\nsmtpx's warm connection to {transport}, flight by flight (C: client, S: server, "
                           f"bytes): `{flow}`\n")
        out.append("\nStraight to the peer (no relay), in each repeat back to back and taking turns to go first: "
                   "warm API sends, and smtpx's warm SMTP sends to smtp-sink, as many. The API's rate is the "
                   "client and the Python peer together (TLS, JSON or multipart, the peer's parsing and its log); "
                   "CPU per message is the client's own, perf task-clock as in section 6 (the SMTP column is "
                   "section 6's smtpx figure).\n\n")
        out.append(table(["transport", "warm API sends/s", "warm SMTP sends/s to smtp-sink", "API / SMTP",
                          "API CPU per message", "SMTP CPU per message", "API / SMTP CPU"], sends))
        warm_ms = {t: f["warm_ms"] for t, f in api.items() if f["warm_ms"] is not None}
        fastest = min(warm_ms.values(), default=None)
        slow = [(t, ms) for t, ms in warm_ms.items() if ms > fastest + 15]
        if slow:
            out.append("\n" + ", ".join(f"{t} ({fmt(ms, 1, ' ms')})" for t, ms in slow) +
                       f" took longer per warm send than {fmt(fastest, 1, ' ms')} in as many round trips: a "
                       "delayed ACK. api_server.py leaves Nagle on and writes an answer's headers and its body "
                       "apart; the body waits for the ACK of the headers, which the receiver (the relay here, "
                       "smtpx straight to the peer) delays by about 40 ms: section 7's Nagle server, on the "
                       "server side of HTTPS. An answer without a body (SendGrid's 202) is one write. A cold "
                       "send waits so too, for every provider: the peer writes its TLS 1.3 session tickets at "
                       "the end of the handshake and the answer behind them. libcurl sets no TCP_QUICKACK, "
                       "as smtpx's own SMTP connection does after each read.\n")
    else:
        out.append("Not run: it needs the harness's certificates (tests/peers/start).\n")
        targets.not_run("API transports", "1 warm, <= 3 cold", "the harness's certificates were not available")

    # What loading smtpx costs a process.
    out.append("\n## 10. Process start-up: what loading smtpx costs a PHP process that sends nothing\n\n")
    startup = run.startup()
    if startup:
        out.append("callgrind's instructions for `php -n -r ''` (a CLI script or a cron run that sends no mail), "
                   "without and with `extension=smtpx.so`, alone and beside ext-curl. smtpx links libcurl for "
                   "its HTTPS API transports and OAuth; the dynamic loader's work for libcurl's own libraries "
                   "is most of what smtpx adds, and a PHP that loads ext-curl (as WordPress hosts do: "
                   "its HTTP API prefers it) has paid it already. A PHP-FPM worker pays it once at start, "
                   "not per request. Instructions, not time: load on the machine does not change them.\n\n")
        rows = []
        for base, label in (("php", "alone"), ("php+curl", "beside ext-curl")):
            without, with_smtpx = startup.get(base), startup.get(base + "+smtpx")
            added = with_smtpx - without if without is not None and with_smtpx is not None else None
            rows.append([label, cell(without, "smtpx", 0), cell(with_smtpx, "smtpx", 0), cell(added, "smtpx", 0)])
        out.append(table(["PHP", "instructions without smtpx", "with smtpx", "added by smtpx"], rows))
    else:
        out.append("Not run: the smoke run leaves callgrind out.\n")

    # Issue 13.
    out.append("\n## 11. OAuth2 across access-token expiries (issue 13)\n\n")
    steady, expiring = run.oauth("smtpx-steady"), run.oauth("smtpx-expiring")
    if steady["sends"] and expiring["sends"]:
        out.append("smtpx with `oauth => ['provider' => 'generic', ...]` to bench's own Dovecot submission "
                   "(tests/peers/dovecot-start: STARTTLS, XOAUTH2 checked at the harness's oidc-provider, relaying "
                   "to smtp-sink), warm sends on one kept connection, one every 20 ms, two processes side by "
                   "side for the same seconds. *Without expiry*: an hour's access tokens (as Google and "
                   "Microsoft give). *Across expiries*: 20 s tokens, refreshed at half their lifetime by the "
                   "sending process itself (the send that finds the token due asks the token endpoint before it "
                   "goes on). The first send of each run, which connects, authenticates and fetches the first "
                   "token, is left out; token requests count it.\n\n")
        rows = []
        for label, f in (("without expiry (1 h tokens)", steady), ("across expiries (20 s tokens)", expiring)):
            rows.append([label, f["sends"], fmt(f["seconds"], 0, " s"), f["token_requests"],
                         fmt(f["p50"], 2, " ms"), fmt(f["p99"], 2, " ms"), fmt(f["p999"], 2, " ms"),
                         fmt(f["max"], 2, " ms")])
        out.append(table(["run", "warm sends", "duration", "token requests", "p50", "p99", "p99.9", "max"], rows))
        p99_ratio = ratio(expiring["p99"], steady["p99"])
        out.append(f"\np99 across expiries / p99 without: {fmt(p99_ratio, 2, 'x')} (same run). A refresh costs "
                   "the one send that makes it a token request's time, a few in a run: above p99, it shows "
                   "in p99.9 and the maximum.\n")
        if built:
            targets.at_most("OAuth2: p99 of warm sends across token expiries / without expiry (same run)",
                            p99_ratio, 1.3, "x")
    elif run.select("oauth"):
        out.append("Failed: see the runs that failed below.\n")
        targets.not_run("OAuth2 p99 across token expiries", "<= 1.3x", "a run failed")
    else:
        out.append("Not run: it needs oidc-provider (tests/peers/start) and Dovecot (tests/peers/install-deps).\n")
        targets.not_run("OAuth2 p99 across token expiries", "<= 1.3x", "oidc-provider or Dovecot was not available")

    # Issue 14.
    out.append("\n## 12. DKIM signing (issue 14)\n\n")
    out.append("CPU per message: perf task-clock as in section 6 (a short and a long run, the cost of each "
               "extra message), the same 2 KB message through smtpx_send() in one process (a pooled "
               "connection to smtp-sink, as in a PHP-FPM worker), unsigned and signed; the key is a file, "
               "parsed once per process. 25 MB: section 4's attachment signed with the RSA key (composed "
               "twice: the body hash first, then the wire), RSS growth over the same script sending "
               "nothing, next to section 4's unsigned figure.\n\n")
    unsigned_cpu = run.per_extra_message("cpu", "smtpx", "task_clock_ms", "dkim-unsigned")
    rows = []
    for kind, label in (("unsigned", "unsigned"), ("rsa2048", "RSA-2048 (rsa-sha256)"),
                        ("ed25519", "Ed25519 (ed25519-sha256)")):
        cpu = run.per_extra_message("cpu", "smtpx", "task_clock_ms", f"dkim-{kind}")
        rows.append([label, cell(scaled(cpu, 1000), "smtpx", 0, " µs"),
                     cell(scaled(cpu - unsigned_cpu, 1000) if cpu is not None and unsigned_cpu is not None else None,
                          "smtpx", 0, " µs"),
                     cell(ratio(cpu, unsigned_cpu), "smtpx", 1, "x")])
    out.append(table(["message", "CPU per message", "of which signing", "vs unsigned"], rows))
    plain, signed = run.attachment("smtpx"), run.attachment("smtpx", "sink-dkim")
    out.append("\n" + table(["25 MB attachment", "RSS growth", "Zend peak growth", "time"],
                             [["unsigned (section 4)", cell(plain["rss_growth_mb"], "smtpx", 1, " MB"),
                               cell(plain["zend_growth_mb"], "smtpx", 1, " MB"), cell(plain["seconds"], "smtpx", 2, " s")],
                              ["signed, RSA-2048", cell(signed["rss_growth_mb"], "smtpx", 1, " MB", signed["failure"]),
                               cell(signed["zend_growth_mb"], "smtpx", 1, " MB"),
                               cell(signed["seconds"], "smtpx", 2, " s")]]))
    if built:
        targets.below("25 MB attachment signed: peak memory growth (RSS)",
                      signed["rss_growth_mb"] if not signed["failure"] else None, 8, " MB")

    out.append(outbox_section(run, targets, machine))

    if args.before:
        with open(f"{args.before}/machine.json", encoding="utf-8") as machine_file:
            before_machine = json.load(machine_file)
        out.append(comparison(Run(load(f"{args.before}/raw.jsonl")), before_machine, run, machine))

    problems = defaultdict(list)
    for r in run.records:
        if r["scenario"] == "size-limit":
            continue  # refused by design: section 8 quotes what each contender said
        if r.get("error") or (r["result"] or {}).get("error"):
            problems[(r["scenario"], r["target"], r["contender"])].append(
                r.get("error") or r["result"]["error"])
    if problems:
        out.append("\n## Runs that failed or exited abnormally\n\n")
        out.append("A run that printed its measurements before exiting abnormally (a crash at "
                   "shutdown) still counts in the tables above.\n\n")
        out.append(table(["scenario", "server", "contender", "runs", "first error"],
                         [[*key, len(errors), errors[0].replace("|", "/")] for key, errors in problems.items()]))

    out.append("\n## Targets (issues 6, 9, 11, 12, 13 and 14)\n\n")
    out.append(table(["target", "wanted", "measured", "verdict"], targets.rows))
    out.append(closing_note(targets, cpu_time, machine))
    if args.before:
        try:
            with open(f"{args.before}/results.md", encoding="utf-8") as before_results:
                out.append(appendix(before_results.read()))
        except FileNotFoundError:
            pass
    soak = soak_section(args.results)
    with open(args.results, "w", encoding="utf-8") as results:
        results.write("\n".join(out) + soak)

    with open(args.chart_data, "w", encoding="utf-8") as data:
        for block in ("throughput", "memory", "cpu"):
            data.write(f"# {block}\n")
            for label, value in chart[block]:
                data.write(f'"{label}" {"NaN" if value is None else value}\n')
            data.write("\n\n")
        data.write("# rtt\n")
        for label, cold, warm in chart["rtt"]:
            data.write(f'"{label}" {"NaN" if cold is None else cold} {"NaN" if warm is None else warm}\n')
    # The round-trip panel's server: Postfix 587 when the harness ran, else smtp-sink.
    server = "Postfix 587 STARTTLS+AUTH" if machine["postfix_harness"] else "smtp-sink"
    with open(args.chart_data + ".vars", "w", encoding="utf-8") as variables:
        variables.write(f'rtt_server = "{server}, {machine["delay_ms"]:g} ms each way"\n')


if __name__ == "__main__":
    main()
