"""`zhen completion bash|zsh|fish`: a shell completion script made from the argparse tree itself."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

SHELLS = ("bash", "zsh", "fish")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `zhen completion SHELL`."""
    parser = subparsers.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print a completion script for SHELL, made from zhen's own commands and "
        "options. bash: `source <(zhen completion bash)` in ~/.bashrc; zsh: `source <(zhen "
        "completion zsh)` in ~/.zshrc (after compinit); fish: `zhen completion fish > "
        "~/.config/fish/completions/zhen.fish`.",
    )
    parser.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")
    parser.set_defaults(handler=run_completion)


def run_completion(args: argparse.Namespace) -> int:
    from zhen.cli import build_parser  # the whole tree, this command included

    commands = list(_walk(build_parser()))
    sys.stdout.write(
        {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[args.shell](commands)
    )
    return 0


@dataclass
class _Option:
    names: list[str]
    help: str
    takes_value: bool
    choices: list[str] | None


@dataclass
class _Command:
    """One parser of the tree: its words (`zhen tm import`), subcommands, options, arguments."""

    path: str
    subcommands: list[tuple[str, str]] = field(default_factory=list)
    options: list[_Option] = field(default_factory=list)
    # The values a positional argument takes when it has a fixed set (else: file names).
    positional_choices: list[str] = field(default_factory=list)


def _walk(parser: argparse.ArgumentParser) -> Iterator[_Command]:
    """Every command of the tree, the top-level `zhen` first."""
    formatter = parser._get_formatter()
    command = _Command(parser.prog)
    children: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, child in action.choices.items():
                command.subcommands.append((name, helps.get(name, "")))
                if child not in children:
                    children.append(child)
        elif action.option_strings:
            help_text = "" if action.help == argparse.SUPPRESS else formatter._expand_help(action)
            choices = [str(choice) for choice in action.choices] if action.choices else None
            command.options.append(
                _Option(list(action.option_strings), help_text, action.nargs != 0, choices)
            )
        elif action.choices:
            command.positional_choices.extend(str(choice) for choice in action.choices)
    yield command
    for child in children:
        yield from _walk(child)


def _short(text: str, width: int = 70) -> str:
    """A help text on one line, cut to `width`, for a completion menu."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _words(items: list[str]) -> str:
    return " ".join(items)


def _subcommand_words(command: _Command) -> str:
    return _words([name for name, _ in command.subcommands])


def _long_options(command: _Command) -> list[str]:
    return [name for option in command.options for name in option.names]


def _value_table(commands: list[_Command]) -> list[tuple[str, str]]:
    """("path|option", values) for every option that takes a value: its choices, or "" for a
    file name or free text."""
    return [
        (f"{command.path}|{name}", _words(option.choices or []))
        for command in commands
        for option in command.options
        if option.takes_value
        for name in option.names
    ]


def _tables(commands: list[_Command], opening: str, entry: str) -> list[str]:
    """The four tables the bash and zsh functions read, as associative arrays written with
    `opening` (naming the array) and `entry` (one key and its value)."""
    tables = {
        "_zhen_subcommands": [(c.path, _subcommand_words(c)) for c in commands],
        "_zhen_options": [(c.path, _words(_long_options(c))) for c in commands],
        "_zhen_positional": [
            (c.path, _words(c.positional_choices)) for c in commands if c.positional_choices
        ],
        "_zhen_values": _value_table(commands),
    }
    lines: list[str] = []
    for name, rows in tables.items():
        lines.append(opening.format(name=name))
        lines.extend(entry.format(key=_quote(key), value=_quote(value)) for key, value in rows)
        lines.append(")")
    return lines


def _quote(text: str) -> str:
    """`text` in single quotes for bash, zsh and fish alike (none of zhen's words holds one)."""
    return "'" + text.replace("'", "") + "'"


def _fish_quote(text: str) -> str:
    """`text` in fish's single quotes, where a backslash escapes a quote or a backslash."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def bash_script(commands: list[_Command]) -> str:
    """The bash script: tables of the tree, and one function that walks the words typed."""
    lines = [
        "# bash completion for zhen, generated by `zhen completion bash`",
        *_tables(commands, "declare -gA {name}=(", "  [{key}]={value}"),
        _BASH_FUNCTION,
    ]
    return "\n".join(lines) + "\n"


_BASH_FUNCTION = r"""
_zhen() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="" cmdpath="zhen" word i
    (( COMP_CWORD > 0 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"
    for (( i = 1; i < COMP_CWORD; i++ )); do
        word="${COMP_WORDS[i]}"
        if [[ " ${_zhen_subcommands[$cmdpath]} " == *" $word "* ]]; then
            cmdpath="$cmdpath $word"
        fi
    done
    COMPREPLY=()
    if [[ -n "${_zhen_values[$cmdpath|$prev]+set}" ]]; then
        if [[ -n "${_zhen_values[$cmdpath|$prev]}" ]]; then
            COMPREPLY=( $(compgen -W "${_zhen_values[$cmdpath|$prev]}" -- "$cur") )
        else
            compopt -o filenames 2>/dev/null
            COMPREPLY=( $(compgen -f -- "$cur") )
        fi
    elif [[ "$cur" == -* ]]; then
        COMPREPLY=( $(compgen -W "${_zhen_options[$cmdpath]}" -- "$cur") )
    elif [[ -n "${_zhen_subcommands[$cmdpath]}" ]]; then
        COMPREPLY=( $(compgen -W "${_zhen_subcommands[$cmdpath]}" -- "$cur") )
    elif [[ -n "${_zhen_positional[$cmdpath]+set}" ]]; then
        COMPREPLY=( $(compgen -W "${_zhen_positional[$cmdpath]}" -- "$cur") )
    else
        compopt -o filenames 2>/dev/null
        COMPREPLY=( $(compgen -f -- "$cur") )
    fi
}
complete -F _zhen zhen"""


def zsh_script(commands: list[_Command]) -> str:
    """The zsh script: the same tables and walk as bash's, with zsh's compadd and _files."""
    lines = [
        "#compdef zhen",
        "# zsh completion for zhen, generated by `zhen completion zsh`",
        *_tables(commands, "typeset -gA {name}; {name}=(", "  {key} {value}"),
        _ZSH_FUNCTION,
    ]
    return "\n".join(lines) + "\n"


_ZSH_FUNCTION = r"""
_zhen() {
    local cmdpath="zhen" word i
    local cur="${words[CURRENT]}" prev="${words[CURRENT-1]}"
    for (( i = 2; i < CURRENT; i++ )); do
        word="${words[i]}"
        if (( ${${(s: :)_zhen_subcommands[$cmdpath]}[(Ie)$word]} )); then
            cmdpath="$cmdpath $word"
        fi
    done
    if (( ${+_zhen_values[$cmdpath|$prev]} )); then
        if [[ -n "${_zhen_values[$cmdpath|$prev]}" ]]; then
            compadd -- ${(s: :)_zhen_values[$cmdpath|$prev]}
        else
            _files
        fi
    elif [[ "$cur" == -* ]]; then
        compadd -- ${(s: :)_zhen_options[$cmdpath]}
    elif [[ -n "${_zhen_subcommands[$cmdpath]}" ]]; then
        compadd -- ${(s: :)_zhen_subcommands[$cmdpath]}
    elif (( ${+_zhen_positional[$cmdpath]} )); then
        compadd -- ${(s: :)_zhen_positional[$cmdpath]}
    else
        _files
    fi
}
if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then
    _zhen "$@"
else
    compdef _zhen zhen
fi"""


def fish_script(commands: list[_Command]) -> str:
    """The fish script: a function that finds the command typed so far, then one `complete`
    line per subcommand and option, with its help as the description."""
    cases = [
        f"        case {_quote(c.path)}\n            echo {_quote(_subcommand_words(c))}"
        for c in commands
        if c.subcommands
    ]
    lines = [
        "# fish completion for zhen, generated by `zhen completion fish`",
        "function __zhen_subcommands --argument-names cmdpath",
        "    switch $cmdpath",
        *cases,
        "    end",
        "end",
        "function __zhen_path",
        "    set -l cmdpath zhen",
        "    for word in (commandline -opc)[2..-1]",
        "        if contains -- $word (string split ' ' -- (__zhen_subcommands $cmdpath))",
        '            set cmdpath "$cmdpath $word"',
        "        end",
        "    end",
        "    echo $cmdpath",
        "end",
        "complete -c zhen -e",
    ]
    for command in commands:
        test = 'test (__zhen_path) = "' + command.path + '"'
        condition = f"-n {_fish_quote(test)}"
        no_files = " -f" if command.subcommands or command.positional_choices else ""
        for name, help_text in command.subcommands:
            lines.append(
                f"complete -c zhen{no_files} {condition} -a {name} "
                f"-d {_fish_quote(_short(help_text))}"
            )
        if command.positional_choices:
            choices = _words(command.positional_choices)
            lines.append(f"complete -c zhen -f {condition} -a {_quote(choices)}")
        for option in command.options:
            flags = " ".join(
                f"-l {name[2:]}" if name.startswith("--") else f"-s {name[1:]}"
                for name in option.names
            )
            value = ""
            if option.choices:
                value = f" -x -a {_quote(_words(option.choices))}"
            elif option.takes_value:
                value = " -r -F"
            lines.append(
                f"complete -c zhen {condition} {flags}{value} -d {_fish_quote(_short(option.help))}"
            )
    return "\n".join(lines) + "\n"
