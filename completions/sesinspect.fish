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
complete -c sesinspect -n "__fish_sesinspect_needs_command" -f -a "summary" -d 'One row per message: time, from, to, subject, verdicts and action'
complete -c sesinspect -n "__fish_sesinspect_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c sesinspect -n "__fish_sesinspect_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand summary" -s f -l format -d 'Output format' -r -f -a "table\t'An aligned table for people'
json\t'A JSON array of objects'
ndjson\t'One JSON object per line'
tsv\t'Tab-separated values with a header row, escaped like jq\'s @tsv'
csv\t'Comma-separated values with a header row (RFC 4180)'"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand summary" -l color -d 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand summary" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand completions" -l color -d 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sesinspect -n "__fish_sesinspect_using_subcommand completions" -s h -l help -d 'Print help'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand help; and not __fish_seen_subcommand_from summary completions help" -f -a "summary" -d 'One row per message: time, from, to, subject, verdicts and action'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand help; and not __fish_seen_subcommand_from summary completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c sesinspect -n "__fish_sesinspect_using_subcommand help; and not __fish_seen_subcommand_from summary completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
