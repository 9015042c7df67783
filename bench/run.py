#!/usr/bin/env python3
"""Benchmark sesinspect against jq on the same work, side by side, on this machine.

Builds the release binary, generates the corpora (bench/gen_events.py for receipt events,
bench/gen_sending.py for sending events, fixed seeds) into bench-data/, runs each workload a few
times, checks that sesinspect and jq print byte-identical output where both run, and prints wall
time (median), throughput, the ratio to jq and peak resident memory. Nothing here asserts a
timing: it measures.

    python3 bench/run.py            # full size: 100,000 receipt events (~450 MB), a 200 MB
                                    # document, 100,000 sending events (~170 MB)
    python3 bench/run.py --quick    # 10,000 events of each, for a smoke run
    python3 bench/run.py --large    # only 1,000,000 sending events (~1.7 GB): `stats` and the
                                    # rate gates of `check`, `stats` checked against the
                                    # generator's known answers (--truth)
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench-data")
BINARY = os.path.join(ROOT, "target", "release", "sesinspect")
FIELDS = "timestamp,from,subject,spf,dkim,dmarc,spam,virus"
JQ_TSV = ('.Records[].ses | [.mail.timestamp, (.mail.commonHeaders.from | join(", ")), '
          '.mail.commonHeaders.subject, .receipt.spfVerdict.status, .receipt.dkimVerdict.status, '
          '(.receipt.dmarcVerdict.status // ""), .receipt.spamVerdict.status, '
          '.receipt.virusVerdict.status] | @tsv')
# The same extraction from sending events: the type, the event's own time, who it is about (the
# bounced, complained, delayed or delivered recipients, else the destination) and what happened.
SENDING_FIELDS = ("event_type,event_time,ses_id,source,recipients,subject,bounce_type,bounce_subtype,"
                  "complaint_type,smtp_response,configuration_set")
JQ_SENDING_TSV = ('[(.eventType // .notificationType), '
                  '((.bounce // .complaint // .delivery // .open // .click // .deliveryDelay // .subscription // {}).timestamp), '
                  '.mail.messageId, .mail.source, '
                  '((if .bounce then [.bounce.bouncedRecipients[].emailAddress] '
                  'elif .complaint then [.complaint.complainedRecipients[].emailAddress] '
                  'elif .deliveryDelay then [.deliveryDelay.delayedRecipients[].emailAddress] '
                  'elif .delivery then .delivery.recipients else .mail.destination end) | join(", ")), '
                  '.mail.commonHeaders.subject, .bounce.bounceType, .bounce.bounceSubType, '
                  '.complaint.complaintFeedbackType, .delivery.smtpResponse, '
                  '.mail.tags["ses:configuration-set"][0]] | @tsv')


def run(argv, out_path):
    """Runs argv with stdout to out_path; returns (seconds, peak RSS in MB, exit code).

    Peak memory comes from GNU time when it is installed: the rusage of a forked child also
    counts the pages of this Python process from before the exec, which inflates small numbers.
    """
    gnu_time = shutil.which("time") if os.path.exists("/usr/bin/time") else None
    rss_file = out_path + ".rss"
    wrapped = ["/usr/bin/time", "-f", "%M", "-o", rss_file, *argv] if gnu_time else argv
    with open(out_path, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(wrapped, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    rss_kb = usage.ru_maxrss
    if gnu_time:
        with open(rss_file) as f:
            rss_kb = int(f.read().split()[-1])
    return seconds, rss_kb / 1024, os.waitstatus_to_exitcode(status)


def measure(argv, out_path, repeats):
    runs = [run(argv, out_path) for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), runs[0][2]


def generate(name, count, kind="received", wrap=None, truth=None):
    """Writes `count` events of `kind` (received or sending) made by the release binary's
    `generate --mix` (seed 7) in the form `wrap` (None: a Lambda event or a record a line) to
    bench-data/name, unless it is there; with `truth`, the known answers to that path."""
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        print(f"generating {name} ({count} {kind} events, form {wrap or 'ndjson'})…",
              file=sys.stderr)
        extra = (["--wrap", wrap] if wrap else []) + (["--truth", truth] if truth else [])
        with open(path + ".tmp", "w") as out:
            subprocess.run([BINARY, "generate", "--mix", "--count", str(count), "--seed", "7",
                            "--type", kind, *extra], stdout=out, check=True)
        os.rename(path + ".tmp", path)
    return path


TRUTH_KEYS = ["events", "messages", "sent", "hard_bounces", "soft_bounces", "complaints",
              "bounce_rate", "complaint_rate"]


def large():
    """1,000,000 sending events: `stats` against the known answers, and `check`'s rate gates."""
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    os.makedirs(DATA, exist_ok=True)
    truth_path = os.path.join(DATA, "sending-1m.truth.json")
    path = generate("sending-1m.ndjson", 1_000_000, "sending", truth=truth_path)
    out = os.path.join(DATA, "out-sesinspect")
    s, rss, _ = measure([BINARY, "stats", "-f", "json", path], out, 1)
    with open(out) as f, open(truth_path) as t:
        sending, truth = json.load(f)["sending"], json.load(t)
    wrong = [key for key in TRUTH_KEYS if sending[key] != truth[key]]
    print(f"stats -f json, 1,000,000 sending events: {s:.2f}s, peak RSS {rss:.0f} MB, "
          f"truth {'matched' if not wrong else 'DIFFERS in ' + ', '.join(wrong)}")
    s, rss, _ = measure([BINARY, "check", "--max-bounce-rate", "5%", "--max-complaint-rate",
                         "0.1%", path], out, 1)
    print(f"check --max-bounce-rate 5% --max-complaint-rate 0.1%: {s:.2f}s, peak RSS {rss:.0f} MB")
    return 1 if wrong else 0


def same(a, b):
    """Byte-for-byte equality, a chunk at a time."""
    with open(a, "rb") as x, open(b, "rb") as y:
        while True:
            chunk_x, chunk_y = x.read(1 << 20), y.read(1 << 20)
            if chunk_x != chunk_y:
                return False
            if not chunk_x:
                return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small corpora, one run each")
    parser.add_argument("--large", action="store_true",
                        help="only 1,000,000 sending events: stats (against the truth) and check")
    args = parser.parse_args()
    if args.large:
        return large()
    if not shutil.which("jq"):
        sys.exit("jq is needed to compare against (Debian: apt-get install jq)")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    os.makedirs(DATA, exist_ok=True)
    repeats = 1 if args.quick else 3
    events = generate("events-10k.ndjson" if args.quick else "events.ndjson",
                      10_000 if args.quick else 100_000)
    records = generate("records-4500.json" if args.quick else "records.json",
                       4_500 if args.quick else 45_000, wrap="records")
    sending = generate("sending-10k.ndjson" if args.quick else "sending.ndjson",
                       10_000 if args.quick else 100_000, "sending")
    jq_version = subprocess.run(["jq", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"sesinspect vs {jq_version}, {os.cpu_count()} CPUs, median of {repeats} run(s)\n")
    header = f"{'workload':<44} {'input':>8} {'time':>8} {'MB/s':>7} {'vs jq':>7} {'peak RSS':>9}"
    print(header)
    print("-" * len(header))
    out_a, out_b = os.path.join(DATA, "out-sesinspect"), os.path.join(DATA, "out-jq")
    ok = True

    def row(label, path, seconds, rss, jq_seconds=None):
        size = os.path.getsize(path) / 1e6
        ratio = f"{jq_seconds / seconds:6.1f}x" if jq_seconds else ""
        print(f"{label:<44} {size:6.0f}MB {seconds:7.2f}s {size / seconds:7.0f} {ratio:>7} {rss:7.0f}MB")

    for label, path, fields, jq in [
            ("fields -F … events.ndjson", events, FIELDS, JQ_TSV),
            ("fields -F … (one {\"Records\":[…]} document)", records, FIELDS, JQ_TSV),
            ("fields -F … sending.ndjson", sending, SENDING_FIELDS, JQ_SENDING_TSV)]:
        jq_s, jq_rss, _ = measure(["jq", "-r", jq, path], out_b, repeats)
        s, rss, _ = measure([BINARY, "fields", "-F", fields, path], out_a, repeats)
        identical = same(out_a, out_b)
        ok &= identical
        row("jq " + label.split(" ", 2)[2], path, jq_s, jq_rss)
        row(label + ("" if identical else "  OUTPUT DIFFERS"), path, s, rss, jq_s)
        s1, rss1, _ = measure([BINARY, "fields", "--threads", "1", "-F", fields, path], out_a, repeats)
        ok &= same(out_a, out_b)
        row("  the same, --threads 1", path, s1, rss1, jq_s)
    for command in (["summary", "-f", "tsv"], ["summary", "-f", "ndjson"], ["summary"], ["check"],
                    ["stats"]):
        s, rss, _ = measure([BINARY, *command, events], out_a, repeats)
        row(" ".join(command), events, s, rss)
    for label, command in [("summary -f tsv", ["summary", "-f", "tsv"]), ("summary", ["summary"]),
                           ("fields --per-recipient -F recipient,status…",
                            ["fields", "--per-recipient", "-F", "recipient,status,diagnostic_code"]),
                           ("check", ["check"]), ("stats", ["stats"])]:
        s, rss, _ = measure([BINARY, *command, sending], out_a, repeats)
        row(label + ", sending", sending, s, rss)
    example = os.path.join(ROOT, "examples", "lambda-event.json")
    times = []
    for _ in range(50):
        start = time.perf_counter()
        subprocess.run([BINARY, "summary", example], stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    print(f"\none small event, end to end (summary examples/lambda-event.json): "
          f"median {statistics.median(times) * 1000:.1f} ms over 50 runs")
    print("outputs identical to jq: " + ("yes" if ok else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
