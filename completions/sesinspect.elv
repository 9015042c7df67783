
use builtin;
use str;

set edit:completion:arg-completer[sesinspect] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'sesinspect'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'sesinspect'= {
            cand --color 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand summary 'One row per event: for received mail its verdicts and action, for sent mail what happened'
            cand fields 'Chosen fields of each event, one line per event (or per recipient), for scripts'
            cand headers 'Each message''s headers in order, encoded-words decoded'
            cand hops 'The Received chain, origin first: hosts, protocols, times and delays'
            cand auth 'What the headers say about SPF, DKIM, DMARC and ARC, next to SES''s verdicts'
            cand check 'Exit 1 when a received message fails the required verdicts or a sent one bounced, drew a complaint, was rejected or failed to render: a gate for CI'
            cand stats 'Counts over all events: verdicts, policies, actions, senders, recipients, timing; sending events by type'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sesinspect;summary'= {
            cand --where 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several'
            cand --threads 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]'
            cand --failed 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
            cand --per-recipient 'One row per recipient of each event, with its recipient, recipient_action, status and diagnostic_code; --where then chooses rows'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sesinspect;fields'= {
            cand --where 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several'
            cand --threads 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number'
            cand -F 'Fields to print, comma-separated (repeatable): names from --list, paths into the record (mail.commonHeaders.subject, mail.headers[0].name), header:NAME / header:NAME[*], or tag:NAME'
            cand --fields 'Fields to print, comma-separated (repeatable): names from --list, paths into the record (mail.commonHeaders.subject, mail.headers[0].name), header:NAME / header:NAME[*], or tag:NAME'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]'
            cand --failed 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
            cand --list 'List the field names with what they mean, and exit'
            cand --per-recipient 'One line per recipient of each event; adds the fields recipient and recipient_action, makes status and diagnostic_code that recipient''s, and --where chooses lines'
            cand --header 'Start TSV and CSV output with a header row'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sesinspect;headers'= {
            cand --where 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several'
            cand --threads 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number'
            cand -n 'Only headers with this name (case-insensitive; a trailing `*` matches a prefix, as in `X-SES-*`); repeatable'
            cand --name 'Only headers with this name (case-insensitive; a trailing `*` matches a prefix, as in `X-SES-*`); repeatable'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]'
            cand --failed 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
            cand --raw 'Show values as received, encoded-words and all'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sesinspect;hops'= {
            cand --where 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several'
            cand --threads 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]'
            cand --failed 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sesinspect;auth'= {
            cand --where 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several'
            cand --threads 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]'
            cand --failed 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sesinspect;check'= {
            cand --where 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several'
            cand --threads 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number'
            cand --require 'Verdicts of received mail that must be PASS, comma-separated'
            cand --allow 'Also accept (repeatable): a status for the required verdicts of received mail (MISSING is a verdict absent from the event), or a sending event type or bounce type that otherwise fails (by default Bounce, Complaint, Reject and Rendering Failure do)'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]'
            cand --failed 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
            cand -q 'Print nothing; only the exit code tells'
            cand --quiet 'Print nothing; only the exit code tells'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sesinspect;stats'= {
            cand --where 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several'
            cand --threads 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number'
            cand --top 'How many sender domains and recipients to list'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]'
            cand --failed 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sesinspect;completions'= {
            cand --color 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sesinspect;help'= {
            cand summary 'One row per event: for received mail its verdicts and action, for sent mail what happened'
            cand fields 'Chosen fields of each event, one line per event (or per recipient), for scripts'
            cand headers 'Each message''s headers in order, encoded-words decoded'
            cand hops 'The Received chain, origin first: hosts, protocols, times and delays'
            cand auth 'What the headers say about SPF, DKIM, DMARC and ARC, next to SES''s verdicts'
            cand check 'Exit 1 when a received message fails the required verdicts or a sent one bounced, drew a complaint, was rejected or failed to render: a gate for CI'
            cand stats 'Counts over all events: verdicts, policies, actions, senders, recipients, timing; sending events by type'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sesinspect;help;summary'= {
        }
        &'sesinspect;help;fields'= {
        }
        &'sesinspect;help;headers'= {
        }
        &'sesinspect;help;hops'= {
        }
        &'sesinspect;help;auth'= {
        }
        &'sesinspect;help;check'= {
        }
        &'sesinspect;help;stats'= {
        }
        &'sesinspect;help;completions'= {
        }
        &'sesinspect;help;help'= {
        }
    ]
    $completions[$command]
}
