
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
            cand summary 'One row per message: time, from, to, subject, verdicts and action'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sesinspect;summary'= {
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sesinspect;completions'= {
            cand --color 'When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sesinspect;help'= {
            cand summary 'One row per message: time, from, to, subject, verdicts and action'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sesinspect;help;summary'= {
        }
        &'sesinspect;help;completions'= {
        }
        &'sesinspect;help;help'= {
        }
    ]
    $completions[$command]
}
