#!/usr/bin/env python3
"""Benchmark sesinspect against jq, gojq, jaq and DuckDB on the same work, side by side.

Builds the release binary, generates the corpora (the release binary's `generate --mix`, seed 7,
receipt and sending events) into bench-data/, and runs each workload
with every tool installed: sesinspect, then the same work as a jq program (run by jq, gojq and
jaq) and as DuckDB SQL (the Python package, in a child process like the others). Each output is
checked against sesinspect's: byte for byte for extraction, number for number for counts (against
`stats -f json` and `check`); a difference is printed loudly and the run exits 1. It prints wall
time (median), throughput, how many times faster sesinspect is, and peak resident memory; with
--markdown, the table for the README at the end. A tool that is not installed is skipped with a
note. Nothing here asserts a timing: it measures.

    python3 bench/run.py            # full size: 100,000 receipt events (~450 MB), a 200 MB
                                    # document, 100,000 sending events (~170 MB), median of 3
                                    # (short runs: as many as fit in 3 s, up to 15)
    python3 bench/run.py --quick    # 10,000 events of each, one run: checks the script works
    python3 bench/run.py --large    # only 1,000,000 sending events (~1.7 GB), one run each:
                                    # extraction and `stats` with every tool, `stats` also
                                    # checked against the generator's known answers (--truth),
                                    # and the rate gates of `check`
    python3 bench/run.py --against 321c171
                                    # also sesinspect built from that git revision (here the
                                    # code before issue #15's first change), in the same
                                    # run, on the work no other tool does (summary, headers,
                                    # hops, auth), its output checked byte for byte: how much
                                    # faster the code has become, measured on this machine
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench-data")
BINARY = os.path.join(ROOT, "target", "release", "sesinspect")

# --- The work, once per tool --------------------------------------------------------------------
#
# Extraction: a TSV of named fields, as `fields -F` prints it and as jq's @tsv writes it (\t, \n,
# \r and \\ escaped; a missing value empty). DuckDB writes the same line with the `tsv` macro.

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

# DuckDB reads timestamps as TIMESTAMPTZ: written back the way SES writes them (milliseconds, Z).
# Every column goes through `tsv`, jq's @tsv escaping; NULL becomes empty like jq's null. The
# other macros are the address, domain and distinct list of `summary`'s computed columns. The
# progress bar, drawn on stdout for a long query, is turned off.
SQL_MACROS = [
    "SET TimeZone = 'UTC'",
    "SET enable_progress_bar = false",
    "CREATE MACRO tsv(x) AS coalesce(replace(replace(replace(replace(CAST(x AS VARCHAR), '\\', "
    "'\\\\'), chr(9), '\\t'), chr(10), '\\n'), chr(13), '\\r'), '')",
    "CREATE MACRO ses_time(t) AS strftime(t, '%Y-%m-%dT%H:%M:%S.%gZ')",
    "CREATE MACRO address(x) AS coalesce(nullif(regexp_extract(x, '<([^<>]*)>', 1), ''), x)",
    "CREATE MACRO domain(x) AS lower(regexp_extract(x, '[^@]*$'))",
    "CREATE MACRO distinct_in_order(l) AS list_filter(l, lambda d, i: list_position(l, d) = i)",
]
# Receipt events in NDJSON or in one {"Records":[…]} document: `{read}` is read_ndjson or
# read_json of the file; each record's `ses` is unnested in order.
SQL_TSV = """COPY (
  SELECT concat_ws(chr(9), tsv(ses_time(ses.mail.timestamp)),
    tsv(array_to_string(ses.mail.commonHeaders."from", ', ')), tsv(ses.mail.commonHeaders.subject),
    tsv(ses.receipt.spfVerdict.status), tsv(ses.receipt.dkimVerdict.status),
    tsv(ses.receipt.dmarcVerdict.status), tsv(ses.receipt.spamVerdict.status),
    tsv(ses.receipt.virusVerdict.status))
  FROM (SELECT unnest(Records).ses AS ses FROM {read})
) TO '/dev/stdout' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '')"""
SQL_SENDING_TSV = """COPY (
  SELECT concat_ws(chr(9), tsv(coalesce(eventType, notificationType)),
    tsv(ses_time(coalesce(bounce.timestamp, complaint.timestamp, delivery.timestamp,
                          open.timestamp, click.timestamp, deliveryDelay.timestamp,
                          subscription.timestamp))),
    tsv(mail.messageId), tsv(mail.source),
    tsv(array_to_string(CASE
          WHEN bounce IS NOT NULL THEN list_transform(bounce.bouncedRecipients, lambda r: r.emailAddress)
          WHEN complaint IS NOT NULL THEN list_transform(complaint.complainedRecipients, lambda r: r.emailAddress)
          WHEN deliveryDelay IS NOT NULL THEN list_transform(deliveryDelay.delayedRecipients, lambda r: r.emailAddress)
          WHEN delivery IS NOT NULL THEN delivery.recipients
          ELSE mail.destination END, ', ')),
    tsv(mail.commonHeaders.subject), tsv(bounce.bounceType), tsv(bounce.bounceSubType),
    tsv(complaint.complaintFeedbackType), tsv(delivery.smtpResponse),
    tsv(mail.tags['ses:configuration-set'][1]))
  FROM {read}
) TO '/dev/stdout' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '')"""

# `summary -f tsv` on receipt events: every column but the first (`input`, the file and line,
# which jq and DuckDB cannot tell), the header line left out. The columns of sending events are
# empty for receipt events; from_address is the address in <…> or the whole text (found without
# a regular expression in jq: jaq's are slow), a domain is what follows the last @, lower-cased;
# recipient_domains lists each domain once, in order.
JQ_SUMMARY_TSV = r"""def address: if contains("<") then split("<")[-1] | split(">")[0] else . end;
def domain: split("@") | last | ascii_downcase;
def list: . // [] | join(", ");
.Records[].ses | .mail as $m | .receipt as $r | $m.commonHeaders as $h | $r.action as $a
| [$m.timestamp, $m.messageId, $h.messageId, $m.source, ($h.from | list), ($h.to | list),
   ($h.cc | list), ($h.replyTo | list), $h.returnPath, $h.date, $h.subject, ($m.destination | list),
   ($r.recipients | list), $r.spfVerdict.status, $r.dkimVerdict.status, $r.dmarcVerdict.status,
   $r.dmarcPolicy, $r.spamVerdict.status, $r.virusVerdict.status, $a.type, $a.functionArn,
   $a.invocationType, $a.bucketName, $a.objectKey, $a.topicArn, $r.processingTimeMillis,
   $m.headersTruncated, "Received", $r.timestamp, (range(24) | null),
   ($h.from[0] | address), ($h.from[0] | address | domain), ($m.source | address | domain),
   (reduce ($r.recipients[] | domain) as $d ([]; if any(.[]; . == $d) then . else . + [$d] end)
    | join(", "))]
| @tsv"""
SQL_SUMMARY_TSV = """COPY (
  SELECT concat_ws(chr(9), tsv(ses_time(m.timestamp)), tsv(m.messageId), tsv(h.messageId),
    tsv(m.source), tsv(array_to_string(h."from", ', ')), tsv(array_to_string(h."to", ', ')),
    tsv(array_to_string(h.cc, ', ')), tsv(array_to_string(h.replyTo, ', ')), tsv(h.returnPath),
    tsv(h.date), tsv(h.subject), tsv(array_to_string(m.destination, ', ')),
    tsv(array_to_string(r.recipients, ', ')), tsv(r.spfVerdict.status), tsv(r.dkimVerdict.status),
    tsv(r.dmarcVerdict.status), tsv(r.dmarcPolicy), tsv(r.spamVerdict.status),
    tsv(r.virusVerdict.status), tsv(r.action.type), tsv(r.action.functionArn),
    tsv(r.action.invocationType), tsv(r.action.bucketName), tsv(r.action.objectKey),
    tsv(r.action.topicArn), tsv(r.processingTimeMillis), tsv(m.headersTruncated), 'Received',
    tsv(ses_time(r.timestamp)), {sending_columns}, tsv(address(h."from"[1])),
    tsv(domain(address(h."from"[1]))), tsv(domain(address(m.source))),
    tsv(array_to_string(distinct_in_order(list_transform(r.recipients, lambda x: domain(x))), ', ')))
  FROM (SELECT ses.mail AS m, ses.mail.commonHeaders AS h, ses.receipt AS r
        FROM (SELECT unnest(Records).ses AS ses FROM {read}))
) TO '/dev/stdout' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '')"""
SQL_SENDING_COLUMNS = ", ".join(["''"] * 24)

# Counts: each tool prints one JSON object; `compare` holds it against sesinspect's numbers.
#
# `check` on receipt events: a message fails when one of the five verdicts is missing or not PASS.
JQ_CHECK = ('reduce (inputs | .Records[].ses.receipt | [.spfVerdict, .dkimVerdict, .dmarcVerdict, '
            '.spamVerdict, .virusVerdict] | map(.status) | any(. != "PASS")) as $failed '
            '({checked: 0, failed: 0}; .checked += 1 | if $failed then .failed += 1 else . end)')
SQL_CHECK = """SELECT count(*) AS checked,
  count(*) FILTER (WHERE coalesce(r.spfVerdict.status, '') <> 'PASS'
    OR coalesce(r.dkimVerdict.status, '') <> 'PASS' OR coalesce(r.dmarcVerdict.status, '') <> 'PASS'
    OR coalesce(r.spamVerdict.status, '') <> 'PASS' OR coalesce(r.virusVerdict.status, '') <> 'PASS')
    AS failed
FROM (SELECT unnest(Records).ses.receipt AS r FROM {read})"""
# `check` on sending events: an event fails when it is a bounce, complaint, rejection or
# rendering failure.
JQ_SENDING_CHECK = ('reduce (inputs | .eventType // .notificationType | . == "Bounce" or '
                    '. == "Complaint" or . == "Reject" or . == "Rendering Failure") as $failed '
                    '({checked: 0, failed: 0}; .checked += 1 | if $failed then .failed += 1 else . end)')
SQL_SENDING_CHECK = """SELECT count(*) AS checked,
  count(*) FILTER (WHERE coalesce(eventType, notificationType)
                   IN ('Bounce', 'Complaint', 'Reject', 'Rendering Failure')) AS failed
FROM {read}"""
# `stats` on receipt events: messages, each verdict's statuses (MISSING when absent), the DMARC
# policies and the actions.
JQ_STATS = ('reduce (inputs | .Records[].ses.receipt) as $r ({messages: 0, verdicts: {spf: {}, '
            'dkim: {}, dmarc: {}, spam: {}, virus: {}}, dmarc_policies: {}, actions: {}}; '
            '.messages += 1 '
            '| reduce (["spf", $r.spfVerdict], ["dkim", $r.dkimVerdict], ["dmarc", $r.dmarcVerdict], '
            '["spam", $r.spamVerdict], ["virus", $r.virusVerdict]) as [$name, $verdict] '
            '(.; .verdicts[$name][$verdict.status // "MISSING"] += 1) '
            '| if $r.dmarcPolicy then .dmarc_policies[$r.dmarcPolicy] += 1 else . end '
            '| .actions[$r.action.type] += 1)')
SQL_STATS = """SELECT count(*) AS messages,
  {{'spf': histogram(coalesce(r.spfVerdict.status, 'MISSING')),
    'dkim': histogram(coalesce(r.dkimVerdict.status, 'MISSING')),
    'dmarc': histogram(coalesce(r.dmarcVerdict.status, 'MISSING')),
    'spam': histogram(coalesce(r.spamVerdict.status, 'MISSING')),
    'virus': histogram(coalesce(r.virusVerdict.status, 'MISSING'))}} AS verdicts,
  histogram(r.dmarcPolicy) AS dmarc_policies, histogram(r.action.type) AS actions
FROM (SELECT unnest(Records).ses.receipt AS r FROM {read})"""
# `stats` on sending events: events by type, distinct messages, and SES's deliverability counts
# over the distinct (message, recipient) pairs sent (the destination and each event's own
# recipients, addresses lower-cased; messages SES rejected or could not render left out): hard
# bounces (Permanent, not OnAccountSuppressionList), soft bounces (Transient, Undetermined) and
# complaints.
# Each event becomes items, its type and one per (message, recipient) pair, collected and counted
# with `unique` and `group_by`: reducing into objects keyed by pair copies them at every step in
# jq and gojq (quadratic), and this runs in linear time in all three.
JQ_SENDING_STATS = r"""def pair($id): {id: $id, pair: "\($id) \(ascii_downcase)"};
[inputs | .mail.messageId as $id
 | {type: (.eventType // .notificationType), id: $id},
   (.mail.destination[], (.delivery.recipients // [] | .[]) | pair($id)),
   (.bounce // empty
    | (.bounceType == "Permanent" and .bounceSubType != "OnAccountSuppressionList") as $hard
    | (.bounceType == "Transient" or .bounceType == "Undetermined") as $soft
    | .bouncedRecipients[].emailAddress | pair($id) + {hard: $hard, soft: $soft}),
   (.complaint // empty | .complainedRecipients[].emailAddress | pair($id) + {complained: true}),
   (.deliveryDelay // empty | .delayedRecipients[].emailAddress | pair($id))] as $items
| ([$items[] | select(.type == "Reject" or .type == "Rendering Failure") | {key: .id, value: true}]
   | from_entries) as $refused
| [$items[] | select(.pair and ($refused[.id] | not))] as $pairs
| def distinct(f): [$pairs[] | select(f) | .pair] | unique | length;
{events: ([$items[] | .type // empty] | group_by(.) | map({key: .[0], value: length}) | from_entries),
 messages: ([$items[] | select(.type) | .id] | unique | length),
 sent: distinct(true), hard_bounces: distinct(.hard), soft_bounces: distinct(.soft),
 complaints: distinct(.complained)}"""
SQL_SENDING_STATS = """WITH events AS (
  SELECT coalesce(eventType, notificationType) AS type, mail.messageId AS id, mail.destination,
         bounce, complaint, delivery, deliveryDelay
  FROM {read}),
marks AS (
  SELECT id, unnest(destination) AS address, false AS hard, false AS soft, false AS complained
  FROM events
  UNION ALL
  SELECT id, unnest(bounce.bouncedRecipients).emailAddress,
         bounce.bounceType = 'Permanent' AND bounce.bounceSubType <> 'OnAccountSuppressionList',
         bounce.bounceType IN ('Transient', 'Undetermined'), false
  FROM events WHERE bounce IS NOT NULL
  UNION ALL
  SELECT id, unnest(complaint.complainedRecipients).emailAddress, false, false, type = 'Complaint'
  FROM events WHERE complaint IS NOT NULL
  UNION ALL
  SELECT id, unnest(deliveryDelay.delayedRecipients).emailAddress, false, false, false
  FROM events WHERE deliveryDelay IS NOT NULL
  UNION ALL
  SELECT id, unnest(delivery.recipients), false, false, false FROM events WHERE delivery IS NOT NULL),
pairs AS (
  SELECT id, lower(address), bool_or(hard) AS hard, bool_or(soft) AS soft,
         bool_or(complained) AS complained
  FROM marks
  WHERE id NOT IN (SELECT id FROM events WHERE type IN ('Reject', 'Rendering Failure'))
  GROUP BY ALL)
SELECT (SELECT histogram(type) FROM events) AS events,
       (SELECT count(DISTINCT id) FROM events) AS messages,
       count(*) AS sent, count(*) FILTER (WHERE hard) AS hard_bounces,
       count(*) FILTER (WHERE soft) AS soft_bounces,
       count(*) FILTER (WHERE complained) AS complaints
FROM pairs"""

# Runs in a child process, so that DuckDB is timed and weighed like the other tools: the
# statements in argv; the last one's row printed as one JSON object unless it is a COPY.
DUCKDB_RUNNER = """import json, sys
import duckdb
connection = duckdb.connect()
*setup, last = sys.argv[1:]
for statement in setup:
    connection.execute(statement)
connection.execute(last)
if not last.startswith("COPY"):
    names = [column[0] for column in connection.description]
    print(json.dumps(dict(zip(names, connection.fetchone())), sort_keys=True))
"""


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


# A run longer than this is not repeated: its noise is small beside it, and the slowest tools
# would otherwise take most of the benchmark's time.
ONCE_OVER_SECONDS = 20

# Short runs are repeated until they add up to this many seconds, up to SHORT_RUNS runs in all,
# whatever the tool: on a busy two-CPU machine one run of a quarter of a second varies by a tenth
# or more either way, and so does a median of three of them.
SHORT_TOTAL_SECONDS = 3
SHORT_RUNS = 15


def measure(argv, out_path, repeats, input_path):
    """Median time, peak memory and the first exit code of `repeats` runs (one, when the first
    took over ONCE_OVER_SECONDS; with more than one asked, short runs repeated up to SHORT_RUNS
    until they take SHORT_TOTAL_SECONDS), the input read once before them so that the first run
    finds it in the page cache too (some kernels page out a file left untouched for a minute,
    and the first tool of a workload would pay for it)."""
    with open(input_path, "rb") as f:
        while f.read(1 << 20):
            pass
    runs = [run(argv, out_path)]

    def more():
        if runs[0][0] >= ONCE_OVER_SECONDS:
            return False
        if len(runs) < repeats:
            return True
        return (repeats > 1 and len(runs) < SHORT_RUNS
                and sum(r[0] for r in runs) < SHORT_TOTAL_SECONDS)

    while more():
        runs.append(run(argv, out_path))
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

# --- The tools ----------------------------------------------------------------------------------

JQ_FAMILY = ("jq", "gojq", "jaq")
INSTALL = {"jq": "apt-get install jq", "gojq": "apt-get install gojq",
           "jaq": "cargo install jaq", "duckdb": "pip install duckdb"}


def tool_versions():
    """The version of each comparison tool installed; a note on stderr for each one missing."""
    versions = {}
    for tool in JQ_FAMILY:
        if shutil.which(tool):
            text = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
            versions[tool] = text.split("(")[0].strip()
    duckdb = subprocess.run([sys.executable, "-c", "import duckdb; print(duckdb.__version__)"],
                            capture_output=True, text=True)
    if duckdb.returncode == 0:
        versions["duckdb"] = "DuckDB " + duckdb.stdout.strip()
    for tool, install in INSTALL.items():
        if tool not in versions:
            print(f"note: {tool} is not installed, skipped ({install})", file=sys.stderr)
    return versions


def duckdb_argv(sql):
    return [sys.executable, "-c", DUCKDB_RUNNER, *SQL_MACROS, sql]


def sql_path(path):
    return "'" + path.replace("'", "''") + "'"


# --- Holding outputs against sesinspect's -------------------------------------------------------


def check_counts(path):
    """`N checked, M failed`, the last line of `check`, as numbers."""
    with open(path) as f:
        last = f.read().splitlines()[-1].split()
    return {"checked": int(last[0]), "failed": int(last[2])}


def nonzero(counts):
    return {key: value for key, value in (counts or {}).items() if value and key is not None}


def receipt_counts(stats):
    """The counts of `stats -f json` that the other tools compute for receipt events."""
    return {"messages": stats["messages"],
            "verdicts": {name: nonzero(statuses) for name, statuses in stats["verdicts"].items()},
            "dmarc_policies": nonzero(stats["dmarc_policies"]), "actions": nonzero(stats["actions"])}


def sending_counts(stats):
    """The counts of `stats -f json` that the other tools compute for sending events; the event
    types as SES spells them in eventType (`Rendering Failure`), without spaces."""
    stats = stats.get("sending", stats)
    counts = {key: stats[key] for key in ("messages", "sent", "hard_bounces", "soft_bounces",
                                          "complaints")}
    counts["events"] = {name.replace(" ", ""): n for name, n in nonzero(stats["events"]).items()}
    return counts


def load_json(path):
    with open(path) as f:
        return json.load(f)


def receipt_stats_in(path):
    return receipt_counts(load_json(path))


def sending_stats_in(path):
    return sending_counts(load_json(path))


def without_input_column(path):
    """`summary -f tsv` without its header line and its `input` column: what jq and DuckDB print."""
    cut = path + ".cut"
    with open(path, "rb") as source, open(cut, "wb") as out:
        next(source, None)
        for line in source:
            out.write(line.split(b"\t", 1)[1])
    return cut


def first_difference(a, b):
    """Where two outputs part: (line number, line of a, line of b), or None when identical."""
    with open(a, "rb") as x, open(b, "rb") as y:
        number = 0
        while True:
            number += 1
            line_x, line_y = x.readline(), y.readline()
            if line_x != line_y:
                return number, line_x, line_y
            if not line_x:
                return None


# --- Workloads ----------------------------------------------------------------------------------


class Workload:
    """One piece of work done by sesinspect and, where written, by the jq family and DuckDB.

    `counts` is None for extraction (outputs compared byte for byte, after `expected` has made
    sesinspect's output into what the others print, when it is given); else it turns sesinspect's
    output file, and each other tool's JSON, into the numbers to compare.
    """

    def __init__(self, label, path, sesinspect, jq=None, sql=None, counts=None,
                 single_thread=False, expected=None):
        self.label, self.path, self.sesinspect = label, path, sesinspect
        self.jq, self.sql, self.counts, self.single_thread = jq, sql, counts, single_thread
        self.expected = expected


def read_sending(path):
    """DuckDB's reading of sending events: every line sampled, as the rarer event types (and so
    their columns) may first appear anywhere."""
    return f"read_ndjson({sql_path(path)}, sample_size = -1)"


def sending_fields_workload(label, path):
    return Workload(label, path, ["fields", "-F", SENDING_FIELDS], JQ_SENDING_TSV,
                    SQL_SENDING_TSV.format(read=read_sending(path)), single_thread=True)


def sending_stats_workload(label, path):
    return Workload(label, path, ["stats", "-f", "json"], JQ_SENDING_STATS,
                    SQL_SENDING_STATS.format(read=read_sending(path)),
                    (sending_stats_in, sending_stats_in))


def extraction_workloads(events, records, sending):
    ndjson = f"read_ndjson({sql_path(events)})"
    document = f"read_json({sql_path(records)}, maximum_object_size = 2000000000)"
    return [
        Workload(f"`fields -F {FIELDS}`, receipt events, NDJSON", events, ["fields", "-F", FIELDS],
                 JQ_TSV, SQL_TSV.format(read=ndjson), single_thread=True),
        Workload("the same, one `{\"Records\":[…]}` document", records, ["fields", "-F", FIELDS],
                 JQ_TSV, SQL_TSV.format(read=document), single_thread=True),
        sending_fields_workload(f"`fields -F {SENDING_FIELDS}`, sending events", sending),
        Workload("`summary -f tsv`, receipt events (58 columns; the others without `input`)",
                 events, ["summary", "-f", "tsv"], JQ_SUMMARY_TSV,
                 SQL_SUMMARY_TSV.format(read=ndjson, sending_columns=SQL_SENDING_COLUMNS),
                 expected=without_input_column),
    ]


def count_workloads(events, sending):
    ndjson = f"read_ndjson({sql_path(events)})"
    return [
        Workload("`check`, receipt events (checked, failed)", events, ["check"], JQ_CHECK,
                 SQL_CHECK.format(read=ndjson), (check_counts, load_json)),
        Workload("`stats -f json`, receipt events (messages, verdicts, policies, actions)", events,
                 ["stats", "-f", "json"], JQ_STATS, SQL_STATS.format(read=ndjson),
                 (receipt_stats_in, receipt_stats_in)),
        Workload("`check`, sending events (checked, failed)", sending, ["check"],
                 JQ_SENDING_CHECK, SQL_SENDING_CHECK.format(read=read_sending(sending)),
                 (check_counts, load_json)),
        sending_stats_workload("`stats -f json`, sending events (types, messages, pairs sent, bounces, "
                      "complaints)", sending),
    ]


def sesinspect_workloads(events, sending):
    """Work with no counterpart written for the other tools."""
    return [Workload(f"`{' '.join(command)}`, receipt events", events, command)
            for command in (["summary", "-f", "ndjson"], ["summary"], ["headers", "-f", "ndjson"],
                            ["hops"], ["auth"])] + \
           [Workload(f"`{' '.join(command)}`, sending events", sending, command)
            for command in (["summary", "-f", "tsv"], ["summary"],
                            ["fields", "--per-recipient", "-F", "recipient,status,diagnostic_code"])]


def build_revision(revision):
    """sesinspect built from git revision `revision`: its files exported into bench-data/ and
    built there (once). Returns the short commit and the binary's path."""
    commit = subprocess.run(["git", "rev-parse", "--short", f"{revision}^{{commit}}"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.strip()
    source = os.path.join(DATA, f"sesinspect-{commit}")
    if not os.path.isdir(source):
        os.makedirs(source + ".tmp", exist_ok=True)
        archive = subprocess.Popen(["git", "archive", commit], cwd=ROOT, stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", source + ".tmp"], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            sys.exit(f"git archive {commit} failed")
        os.rename(source + ".tmp", source)
    print(f"building sesinspect at {commit}…", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=source, check=True)
    return commit, os.path.join(source, "target", "release", "sesinspect")


class Bench:
    """Runs workloads, checks outputs, and keeps the rows of the table."""

    def __init__(self, versions, repeats, against=None):
        """`against`: (commit, binary) of an earlier sesinspect to run on the work no other
        tool does."""
        self.versions, self.repeats, self.against = versions, repeats, against
        self.rows, self.notes, self.failures = [], [], []
        self.out = os.path.join(DATA, "out-sesinspect")
        self.other = os.path.join(DATA, "out-other")

    def row(self, workload, tool, seconds, rss, baseline=None):
        size = os.path.getsize(workload.path) / 1e6
        ratio = f"{seconds / baseline:.1f}×" if baseline else ""
        self.rows.append((workload.label, tool, seconds, size / seconds, ratio, rss))
        print(f"{tool:<22} {seconds:7.2f}s {size / seconds:7.0f} MB/s {ratio:>7} {rss:7.0f} MB",
              flush=True)

    def note(self, text):
        """A line printed now and under the table."""
        self.notes.append(text)
        print(text, flush=True)

    def fail(self, message):
        self.failures.append(message)
        print(f"!!! {message}", file=sys.stderr, flush=True)

    def run(self, workload):
        print(f"\n{workload.label} ({os.path.getsize(workload.path) / 1e6:.0f} MB)", flush=True)
        seconds, rss, code = measure([BINARY, *workload.sesinspect, workload.path], self.out,
                                     self.repeats, workload.path)
        if code not in (0, 1) or (code == 1 and workload.sesinspect[0] != "check"):
            self.fail(f"sesinspect exited {code} on {workload.label}")
        self.row(workload, "sesinspect", seconds, rss)
        if workload.single_thread:
            one, one_rss, _ = measure([BINARY, *workload.sesinspect, "--threads", "1",
                                       workload.path], self.other, self.repeats, workload.path)
            self.compare(workload, "sesinspect --threads 1", self.out)
            self.row(workload, "sesinspect --threads 1", one, one_rss)
        expected = workload.expected(self.out) if workload.expected else self.out
        others = []
        if workload.jq:
            mode = "-n" if workload.counts else "-r"
            others += [(tool, [tool, mode, workload.jq, workload.path])
                       for tool in JQ_FAMILY if tool in self.versions]
        if workload.sql and "duckdb" in self.versions:
            others.append(("DuckDB", duckdb_argv(workload.sql)))
        if self.against and not (workload.jq or workload.sql):
            commit, binary = self.against
            others.append((f"sesinspect at {commit}", [binary, *workload.sesinspect,
                                                       workload.path]))
        for tool, argv in others:
            tool_seconds, tool_rss, code = measure(argv, self.other, self.repeats, workload.path)
            if code != 0:
                self.fail(f"{tool} exited {code} on {workload.label}")
            else:
                self.compare(workload, tool, expected)
            self.row(workload, tool, tool_seconds, tool_rss, seconds)

    def compare(self, workload, tool, expected):
        """Holds the output of `tool` (in self.other) against `expected`, sesinspect's."""
        if workload.counts is None:
            difference = first_difference(expected, self.other)
            if difference:
                line, ours, theirs = difference
                self.fail(f"OUTPUT DIFFERS: {tool} on {workload.label}, line {line}:\n"
                          f"  sesinspect: {ours[:300]!r}\n  {tool}: {theirs[:300]!r}")
            return
        ours_form, theirs_form = workload.counts
        try:
            ours, theirs = ours_form(self.out), theirs_form(self.other)
        except (ValueError, KeyError, IndexError) as error:
            self.fail(f"COUNTS UNREADABLE: {tool} on {workload.label}: {error!r}")
            return
        if ours != theirs:
            self.fail(f"COUNTS DIFFER: {tool} on {workload.label}:\n"
                      f"  sesinspect: {json.dumps(ours, sort_keys=True)}\n"
                      f"  {tool}: {json.dumps(theirs, sort_keys=True)}")

    def markdown(self, large_run):
        """The README's table, with the date, the machine and the versions."""
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")),
                       platform.processor())
        sesinspect = subprocess.run([BINARY, "--version"], capture_output=True, text=True).stdout
        earlier = [f"sesinspect built from {self.against[0]}"] if self.against else []
        tools = ", ".join([sesinspect.strip(), *self.versions.values(), *earlier])
        runs = (f"median of {self.repeats} runs (one for a run over {ONCE_OVER_SECONDS} s; runs "
                f"shorter than that repeated until they take {SHORT_TOTAL_SECONDS} s, up to "
                f"{SHORT_RUNS})" if self.repeats > 1 else "one run each")
        print(f"\nMeasured on {datetime.date.today().isoformat()} with `python3 bench/run.py"
              f"{' --large' if large_run else ''}`, {os.cpu_count()} CPUs ({cpu}), "
              f"{runs}; {tools}. The last column is how many times faster sesinspect is.\n")
        print("| workload | tool | time | throughput | sesinspect faster | peak memory |")
        print("|---|---|---:|---:|---:|---:|")
        previous = None
        for label, tool, seconds, throughput, ratio, rss in self.rows:
            shown = label if label != previous else ""
            previous = label
            tool = f"**{tool}**" if tool == "sesinspect" else tool
            print(f"| {shown} | {tool} | {seconds:.2f} s | {throughput:.0f} MB/s | {ratio} | "
                  f"{rss:.0f} MB |")
        for text in self.notes:
            print(f"\n{text}")

    def verdict(self):
        if self.failures:
            print(f"\n{len(self.failures)} output(s) differ from sesinspect's or failed: see the "
                  "lines marked !!! above", file=sys.stderr)
            return 1
        print("\nevery output checked: identical to sesinspect's (bytes or counts)")
        return 0


def large(bench):
    """1,000,000 sending events, one run each: extraction and counts with every tool, `stats`
    against the generator's known answers, and `check`'s rate gates."""
    truth_path = os.path.join(DATA, "sending-1m.truth.json")
    path = generate("sending-1m.ndjson", 1_000_000, "sending", truth=truth_path)
    bench.run(sending_fields_workload(f"`fields -F {SENDING_FIELDS}`, 1,000,000 sending events",
                                      path))
    bench.run(sending_stats_workload("`stats -f json`, 1,000,000 sending events", path))
    sending, truth = load_json(bench.out)["sending"], load_json(truth_path)
    wrong = [key for key in TRUTH_KEYS if sending[key] != truth[key]]
    if wrong:
        bench.fail("stats DIFFERS from the generator's known answers in " + ", ".join(wrong))
    else:
        bench.note("`stats -f json` matches the generator's known answers "
                   f"({', '.join(TRUTH_KEYS)}).")
    bench.run(Workload("`check --max-bounce-rate 5% --max-complaint-rate 0.1%`, 1,000,000 sending "
                       "events", path, ["check", "--max-bounce-rate", "5%",
                                        "--max-complaint-rate", "0.1%"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small corpora, one run each")
    parser.add_argument("--large", action="store_true",
                        help="only 1,000,000 sending events, one run each: extraction and stats "
                             "with every tool (stats also against the truth), check's rate gates")
    parser.add_argument("--markdown", action="store_true",
                        help="end with the README's table, with the date, machine and versions")
    parser.add_argument("--against", metavar="REVISION",
                        help="also run sesinspect built from this git revision on the work no "
                             "other tool does, in the same run (its output checked identical)")
    args = parser.parse_args()
    versions = tool_versions()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    os.makedirs(DATA, exist_ok=True)
    against = build_revision(args.against) if args.against else None
    bench = Bench(versions, 1 if args.quick or args.large else 3, against)
    print(f"{os.cpu_count()} CPUs, {', '.join(versions.values()) or 'no other tool'}; "
          + (f"median of {bench.repeats} runs, short runs more (see measure)"
             if bench.repeats > 1 else "one run each")
          + "; the ratio is the tool's time over sesinspect's")
    if args.large:
        large(bench)
    else:
        events = generate("events-10k.ndjson" if args.quick else "events.ndjson",
                          10_000 if args.quick else 100_000)
        records = generate("records-4500.json" if args.quick else "records.json",
                           4_500 if args.quick else 45_000, wrap="records")
        sending = generate("sending-10k.ndjson" if args.quick else "sending.ndjson",
                           10_000 if args.quick else 100_000, "sending")
        for workload in (extraction_workloads(events, records, sending)
                         + count_workloads(events, sending)
                         + sesinspect_workloads(events, sending)):
            bench.run(workload)
        example = os.path.join(ROOT, "examples", "lambda-event.json")
        times = []
        for _ in range(50):
            start = time.perf_counter()
            subprocess.run([BINARY, "summary", example], stdout=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - start)
        bench.note(f"One small event end to end (`summary examples/lambda-event.json`): "
                   f"{statistics.median(times) * 1000:.1f} ms (median of 50).")
    if args.markdown:
        bench.markdown(args.large)
    return bench.verdict()


if __name__ == "__main__":
    sys.exit(main())
