
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'sesinspect' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'sesinspect'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'sesinspect' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('summary', 'summary', [CompletionResultType]::ParameterValue, 'One row per event: for received mail its verdicts and action, for sent mail what happened')
            [CompletionResult]::new('fields', 'fields', [CompletionResultType]::ParameterValue, 'Chosen fields of each event, one line per event (or per recipient), for scripts')
            [CompletionResult]::new('headers', 'headers', [CompletionResultType]::ParameterValue, 'Each message''s headers in order, encoded-words decoded')
            [CompletionResult]::new('hops', 'hops', [CompletionResultType]::ParameterValue, 'The Received chain, origin first: hosts, protocols, times and delays')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'What the headers say about SPF, DKIM, DMARC and ARC, next to SES''s verdicts')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Exit 1 when a received message fails the required verdicts or a sent one bounced, drew a complaint, was rejected or failed to render: a gate for CI')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Counts over all events: verdicts, policies, actions, senders, recipients, timing; sending events by type')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sesinspect;summary' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed')
            [CompletionResult]::new('--per-recipient', '--per-recipient', [CompletionResultType]::ParameterName, 'One row per recipient of each event, with its recipient, recipient_action, status and diagnostic_code; --where then chooses rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sesinspect;fields' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Fields to print, comma-separated (repeatable): names from --list, paths into the record (mail.commonHeaders.subject, mail.headers[0].name), header:NAME / header:NAME[*], or tag:NAME')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Fields to print, comma-separated (repeatable): names from --list, paths into the record (mail.commonHeaders.subject, mail.headers[0].name), header:NAME / header:NAME[*], or tag:NAME')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the field names with what they mean, and exit')
            [CompletionResult]::new('--per-recipient', '--per-recipient', [CompletionResultType]::ParameterName, 'One line per recipient of each event; adds the fields recipient and recipient_action, makes status and diagnostic_code that recipient''s, and --where chooses lines')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Start TSV and CSV output with a header row')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sesinspect;headers' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only headers with this name (case-insensitive; a trailing `*` matches a prefix, as in `X-SES-*`); repeatable')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only headers with this name (case-insensitive; a trailing `*` matches a prefix, as in `X-SES-*`); repeatable')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Show values as received, encoded-words and all')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sesinspect;hops' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sesinspect;auth' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sesinspect;check' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number')
            [CompletionResult]::new('--require', '--require', [CompletionResultType]::ParameterName, 'Verdicts of received mail that must be PASS, comma-separated')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Also accept (repeatable): a status for the required verdicts of received mail (MISSING is a verdict absent from the event), or a sending event type or bounce type that otherwise fails (by default Bounce, Complaint, Reject and Rendering Failure do)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing; only the exit code tells')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing; only the exit code tells')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sesinspect;stats' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat to require several')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Decoding threads [default: the number of CPUs, at most 8]; output is the same for any number')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'How many sender domains and recipients to list')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam, virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected, failed to render or is delayed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sesinspect;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sesinspect;help' {
            [CompletionResult]::new('summary', 'summary', [CompletionResultType]::ParameterValue, 'One row per event: for received mail its verdicts and action, for sent mail what happened')
            [CompletionResult]::new('fields', 'fields', [CompletionResultType]::ParameterValue, 'Chosen fields of each event, one line per event (or per recipient), for scripts')
            [CompletionResult]::new('headers', 'headers', [CompletionResultType]::ParameterValue, 'Each message''s headers in order, encoded-words decoded')
            [CompletionResult]::new('hops', 'hops', [CompletionResultType]::ParameterValue, 'The Received chain, origin first: hosts, protocols, times and delays')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'What the headers say about SPF, DKIM, DMARC and ARC, next to SES''s verdicts')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Exit 1 when a received message fails the required verdicts or a sent one bounced, drew a complaint, was rejected or failed to render: a gate for CI')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Counts over all events: verdicts, policies, actions, senders, recipients, timing; sending events by type')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sesinspect;help;summary' {
            break
        }
        'sesinspect;help;fields' {
            break
        }
        'sesinspect;help;headers' {
            break
        }
        'sesinspect;help;hops' {
            break
        }
        'sesinspect;help;auth' {
            break
        }
        'sesinspect;help;check' {
            break
        }
        'sesinspect;help;stats' {
            break
        }
        'sesinspect;help;completions' {
            break
        }
        'sesinspect;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
