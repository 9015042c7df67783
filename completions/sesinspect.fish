# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_sesinspect_global_optspecs
    string join \n color= h/help V/version
end

function __fish_sesinspect_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_sesinspect_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_sesinspect_using_subcommand
    set -l cmd (__fish_sesinspect_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c sesinspect -n "__fish_sesinspect_needs_command" -l color -d 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sesinspect -n "__fish_sesinspect_needs_command" -s h -l help -d 'Print help'
complete -c sesinspect -n "__fish_sesinspect_needs_command" -s V -l version -d 'Print version'
complete -c sesinspect -n "__fish_sesinspect_needs_command" -f -a "summary" -d 'One row per event: for received mail its verdicts and action, for sent mail what happened'
complete -c sesinspect -n "__fish_sesinspect_needs_command" -f -a "fields" -d 'Chosen fields of each event, one line per event (or per recipient), for scripts'
complete -c sesinspect -n "__fish_sesinspect_needs_command" -f -a "headers" -d 'Each message\'s headers in order, encoded-words decoded'
complete -c sesinspect -n "__fish_sesinspect_needs_command" -f -a "hops" -d 'The Received chain, origin first: hosts, protocols, times and delays'
complete -c sesinspect -n "__fish_sesinspect_needs_command" -f -a "auth" -d 'What the headers say about SPF, DKIM, DMARC and ARC, next to SES\'s verdicts'
complete -c sesinspect -n "__fish_sesinspect_needs_command" -f -a "check" -d 'Exit 1 when a received message fails the required verdicts or a sent one bounced, drew a complaint, was rejected or failed to render: a gate for CI'
complete -c sesinspect -n "__fish_sesinspect_needs_command" -f -a "stats" -d 'Counts over all events: verdicts, policies, actions, senders, recipients, timing; sending events by type'
complete -c sesinspect -n "__fish_sesinspect_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c sesinspect -n "__fish_sesinspect_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand summary" -l where -d 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand summary" -l threads -d 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand summary" -s f -l format -d 'Output format' -r -f -a "table\t'tables for people'
json\t'JSON, compact'
ndjson\t'one JSON object per line'
tsv\t'tab-separated values, escaped like jq\'s @tsv'
csv\t'comma-separated values (RFC 4180)'"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand summary" -l color -d 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand summary" -l failed -d 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand summary" -l per-recipient -d 'One row per recipient of each event, with its recipient, recipient_action, status and diagnostic_code; --where then chooses rows'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand summary" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand fields" -l where -d 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand fields" -l threads -d 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand fields" -s F -l fields -d 'Fields to print, comma-separated (repeatable): names from --list, paths into the record (mail.commonHeaders.subject, mail.headers[0].name), header:NAME / header:NAME[*], or tag:NAME' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand fields" -s f -l format -d 'Output format' -r -f -a "table\t'tables for people'
json\t'JSON, compact'
ndjson\t'one JSON object per line'
tsv\t'tab-separated values, escaped like jq\'s @tsv'
csv\t'comma-separated values (RFC 4180)'"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand fields" -l color -d 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand fields" -l failed -d 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand fields" -l list -d 'List the field names with what they mean, and exit'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand fields" -l per-recipient -d 'One line per recipient of each event; adds the fields recipient and recipient_action, makes status and diagnostic_code that recipient\'s, and --where chooses lines'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand fields" -l header -d 'Start TSV and CSV output with a header row'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand fields" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand headers" -l where -d 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand headers" -l threads -d 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand headers" -s n -l name -d 'Only headers with this name (case-insensitive; a trailing `*` matches a prefix, as in `X-SES-*`); repeatable' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand headers" -s f -l format -d 'Output format' -r -f -a "table\t'tables for people'
json\t'JSON, compact'
ndjson\t'one JSON object per line'
tsv\t'tab-separated values, escaped like jq\'s @tsv'
csv\t'comma-separated values (RFC 4180)'"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand headers" -l color -d 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand headers" -l failed -d 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand headers" -l raw -d 'Show values as received, encoded-words and all'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand headers" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand hops" -l where -d 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand hops" -l threads -d 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand hops" -s f -l format -d 'Output format' -r -f -a "table\t'tables for people'
json\t'JSON, compact'
ndjson\t'one JSON object per line'
tsv\t'tab-separated values, escaped like jq\'s @tsv'
csv\t'comma-separated values (RFC 4180)'"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand hops" -l color -d 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand hops" -l failed -d 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand hops" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand auth" -l where -d 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand auth" -l threads -d 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand auth" -s f -l format -d 'Output format' -r -f -a "table\t'tables for people'
json\t'JSON, compact'
ndjson\t'one JSON object per line'"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand auth" -l color -d 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand auth" -l failed -d 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand auth" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand check" -l where -d 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand check" -l threads -d 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand check" -l require -d 'Verdicts of received mail that must be PASS, comma-separated' -r -f -a "spf\t''
dkim\t''
dmarc\t''
spam\t''
virus\t''"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand check" -l allow -d 'Also accept (repeatable): a status for the required verdicts of received mail (MISSING is a verdict absent from the event), or a sending event type or bounce type that otherwise fails (by default Bounce, Complaint, Reject and Rendering Failure do)' -r -f -a "GRAY\t'Verdict status: SES could not decide'
DISABLED\t'Verdict status: scanning is turned off'
PROCESSING_FAILED\t'Verdict status: SES failed to check'
MISSING\t'A verdict absent from the event'
Bounce\t'Sending event: every bounce'
Complaint\t'Sending event: a recipient\'s complaint'
Reject\t'Sending event: SES refused to send (a virus)'
RenderingFailure\t'Sending event: a template could not be rendered'
DeliveryDelay\t'Sending event: delivery delayed (never fails; accepted to say so explicitly)'
Permanent\t'Bounce type: hard bounces'
Transient\t'Bounce type: soft bounces SES gave up on, out-of-office replies'
Undetermined\t'Bounce type: bounces SES could not classify'"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand check" -s f -l format -d 'Output format' -r -f -a "text\t'lines for people'
json\t'JSON, compact'
ndjson\t'one JSON object per line'"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand check" -l color -d 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand check" -l failed -d 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand check" -s q -l quiet -d 'Print nothing; only the exit code tells'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand stats" -l where -d 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand stats" -l threads -d 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand stats" -l top -d 'How many sender domains and recipients to list' -r
complete -c sesinspect -n "__fish_sesinspect_using_subcommand stats" -s f -l format -d 'Output format' -r -f -a "table\t'tables for people'
json\t'JSON, compact'
ndjson\t'one JSON object per line'"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand stats" -l color -d 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand stats" -l failed -d 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand completions" -l color -d 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand completions" -s h -l help -d 'Print help'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand help; and not __fish_seen_subcommand_from summary fields headers hops auth check stats completions help" -f -a "summary" -d 'One row per event: for received mail its verdicts and action, for sent mail what happened'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand help; and not __fish_seen_subcommand_from summary fields headers hops auth check stats completions help" -f -a "fields" -d 'Chosen fields of each event, one line per event (or per recipient), for scripts'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand help; and not __fish_seen_subcommand_from summary fields headers hops auth check stats completions help" -f -a "headers" -d 'Each message\'s headers in order, encoded-words decoded'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand help; and not __fish_seen_subcommand_from summary fields headers hops auth check stats completions help" -f -a "hops" -d 'The Received chain, origin first: hosts, protocols, times and delays'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand help; and not __fish_seen_subcommand_from summary fields headers hops auth check stats completions help" -f -a "auth" -d 'What the headers say about SPF, DKIM, DMARC and ARC, next to SES\'s verdicts'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand help; and not __fish_seen_subcommand_from summary fields headers hops auth check stats completions help" -f -a "check" -d 'Exit 1 when a received message fails the required verdicts or a sent one bounced, drew a complaint, was rejected or failed to render: a gate for CI'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand help; and not __fish_seen_subcommand_from summary fields headers hops auth check stats completions help" -f -a "stats" -d 'Counts over all events: verdicts, policies, actions, senders, recipients, timing; sending events by type'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand help; and not __fish_seen_subcommand_from summary fields headers hops auth check stats completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand help; and not __fish_seen_subcommand_from summary fields headers hops auth check stats completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
