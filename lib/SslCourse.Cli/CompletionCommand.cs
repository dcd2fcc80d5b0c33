using System.CommandLine;

namespace SslCourse.Cli;

/// <summary><c>ssl-course completion bash|zsh</c>: prints a shell script that completes verbs, options and option values
/// by asking the command itself (System.CommandLine's <c>[suggest]</c> directive), so no extra tool is needed.</summary>
public static class CompletionCommand
{
    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh.", HelpName = "bash|zsh" };
        shell.CompletionSources.Add("bash", "zsh");
        shell.Validators.Add(r =>
        {
            var v = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (v is not ("bash" or "zsh")) r.AddError($"shell '{v}': expected 'bash' or 'zsh'.");
        });
        return Options.Verb("completion", "Print a shell completion script: eval \"$(ssl-course completion bash)\" (or zsh) in your shell's rc file.", parse =>
        {
            Console.Write(Script(parse.GetValue(shell)!));
            return Task.FromResult(Cli.Ok);
        }, shell);
    }

    /// <summary>The script for <paramref name="shell"/>: it runs <c>ssl-course [suggest:POS] "LINE"</c> and offers its lines.</summary>
    public static string Script(string shell) => shell == "zsh"
        ? """
          # ssl-course completion for zsh: eval "$(ssl-course completion zsh)"
          _ssl_course_complete() {
            local -a items
            items=("${(@f)$(ssl-course "[suggest:${#BUFFER}]" "$BUFFER" 2>/dev/null)}")
            compadd -- $items
          }
          compdef _ssl_course_complete ssl-course

          """
        : """
          # ssl-course completion for bash: eval "$(ssl-course completion bash)"
          _ssl_course_complete() {
            local IFS=$'\n'
            COMPREPLY=($(ssl-course "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null | grep -- "^${COMP_WORDS[COMP_CWORD]}"))
          }
          complete -o default -F _ssl_course_complete ssl-course

          """;
}
