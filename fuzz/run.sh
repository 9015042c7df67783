#!/bin/sh
# Runs every fuzz target (or those named) for SECONDS each, one after another, at the lowest
# priority, on one core (one forked process that is restarted after a finding, so that a run goes
# on past the findings it makes): fuzz/run.sh SECONDS [TARGET...]
# Seeds each target's corpus (fuzz/corpus/TARGET, kept between runs) from tests/fixtures/ and the
# replayed findings in tests/fixtures/fuzz/TARGET/. Crashes are written to fuzz/artifacts/TARGET/.
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -eu

usage="usage: fuzz/run.sh SECONDS_PER_TARGET [TARGET...]"
seconds=${1:?$usage}
shift
cd "$(dirname "$0")"
fixtures=../tests/fixtures
all="frame frame_differential decode repr mail_headers select command trust set_aside direct"
targets=${*:-$all}

# Copies each fixture into the corpus, preceded by the bytes that a target reads first.
seed_files() {
    corpus=$1
    prefix=$2
    for file in "$fixtures"/public/*.json "$fixtures"/sending/*.json "$fixtures"/captured/*.txt; do
        { printf "$prefix"; cat "$file"; } > "$corpus/seed-$(basename "$file")"
    done
}

seed() {
    target=$1
    corpus=corpus/$target
    mkdir -p "$corpus" "artifacts/$target"
    case $target in
        frame | decode) seed_files "$corpus" '\001' ;;
        frame_differential)
            seed_files "$corpus" '\001\002\077\377\007'
            # A Records document with more after its array, as S3 and test events have.
            printf '\000\003\020\001\100%s\n' '{"Records":[{"eventSource":"aws:ses","ses":{}}],"note":"a \"quoted\" {\"x\":[1]} text","n":[{"y":"}"}]}' \
                > "$corpus/seed-records-tail"
            ;;
        command) seed_files "$corpus" '\000' ;;
        trust)
            seed_files "$corpus" '\001'
            # One event per line, as trusted lines are, and a line that only looks whole.
            { printf '\001'; cat ../examples/sending-events.ndjson; } > "$corpus/seed-sending-events"
            { printf '\000{"a":{"b":1}\n, "c": 2}\n'; head -c 3000 ../examples/sending-events.ndjson; } \
                > "$corpus/seed-continued-line"
            ;;
        repr) cp "$fixtures"/captured/lambda-text-python-print-repr.txt "$corpus"/ ;;
        set_aside)
            cp ../examples/sending-events.ndjson "$corpus"/
            head -c 6000 ../tests/fixtures/public/*.json > "$corpus/public-heads" 2>/dev/null || true
            ;;
        direct)
            # Receipt events one to a file, compact as SES writes them, from each example.
            for file in ../examples/*.json; do
                python3 -c 'import json, sys
for i, r in enumerate(json.load(open(sys.argv[1])).get("Records", [])):
    if "ses" in r:
        open(sys.argv[2] + "-" + str(i), "w").write(json.dumps(r, separators=(",", ":")))' \
                    "$file" "$corpus/seed-$(basename "$file" .json)"
            done
            ;;
        mail_headers)
            printf '%s\n' \
                'Received: from mail-ed1-f41.google.com (mail-ed1-f41.google.com [209.85.208.41]) by inbound-smtp.us-east-1.amazonaws.com with SMTP id abc for <a@example.com>; Mon, 02 Jan 2023 10:00:00 +0000 (UTC)' \
                'Authentication-Results: amazonses.com; spf=pass (spfCheck: domain of example.com designates 1.2.3.4 as permitted sender) client-ip=1.2.3.4; envelope-from=a@example.com; helo=mail.example.com; dkim=pass header.i=@example.com; dmarc=pass header.from=example.com;' \
                'Received-SPF: pass (google.com: domain of a@example.com designates 1.2.3.4 as permitted sender) client-ip=1.2.3.4; envelope-from=a@example.com; helo=mx;' \
                'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1; t=1672650000; h=From:To:Subject; bh=abc=; b=def=' \
                'ARC-Seal: i=1; a=rsa-sha256; cv=none; d=google.com; s=arc-20160816; b=xyz' \
                'From: =?UTF-8?Q?J=C3=B6rg?= "Doe, J" <j@example.com>' \
                'Subject: =?utf-8?B?SGVsbG8=?= =?ISO-8859-1?Q?caf=E9?=' > "$corpus/headers"
            ;;
        select)
            for expression in 'spf=fail' 'dkim!=pass|dmarc=gray' 'subject~/^re:\s/' \
                'header:From~example' 'mail.headers[0].name=From' 'tag:ses:source-ip~1.2' \
                'bounce.bouncedRecipients[*].status~5.' 'recipient=a@example.com'; do
                printf '\003%s\n' "$expression" > "$corpus/$(printf %s "$expression" | cksum | cut -d' ' -f1)"
            done
            ;;
        *) echo "unknown target: $target ($all)" >&2; exit 2 ;;
    esac
    for kept in "$fixtures/fuzz/$target"/*; do
        if [ -f "$kept" ]; then cp "$kept" "$corpus"/; fi
    done
}

# The stack of the program's decoding threads (Rust's default for a thread): deep recursion then
# overflows in the fuzzer where it would in the program, not only far beyond.
ulimit -s 2048

for target in $targets; do
    seed "$target"
    case $target in
        repr | mail_headers | select | set_aside) max_len=4096; dict= ;;
        *) max_len=16384; dict=-dict=json.dict ;;
    esac
    # The whole command reports problems on stderr: keep only libFuzzer's own lines there.
    quiet=
    [ "$target" = command ] && quiet=-close_fd_mask=2
    echo "== $target: $seconds s"
    # Safe Rust needs no AddressSanitizer; debug assertions catch overflowing arithmetic.
    nice -n 19 cargo +nightly fuzz run --sanitizer none --debug-assertions "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 -timeout=10 \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 $dict $quiet \
        -artifact_prefix="artifacts/$target/" || true
    echo "== $target: $(ls "artifacts/$target" | wc -l) file(s) in fuzz/artifacts/$target/"
done
