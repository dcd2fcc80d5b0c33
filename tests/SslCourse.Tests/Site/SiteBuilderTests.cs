using FluentAssertions;
using SslCourse.Cli.Site;
using SslCourse.Notebooks;
using Xunit;

namespace SslCourse.Tests.Site;

/// <summary>The site without a browser: every formula of the course typesets, outputs become pictures, tables, text
/// and check results, bad input is named, and --out is written whole or not at all.</summary>
public class SiteBuilderTests
{
    [Fact]
    public void Every_formula_of_every_notebook_typesets_to_MathML()
    {
        var dir = Repo.TempDir("site-all");
        var r = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(2), "site", Repo.Notebooks, "--out", Path.Combine(dir, "site"));
        r.ExitCode.Should().Be(0, r.All);
        var pages = Directory.GetFiles(Repo.Notebooks, "*.ipynb").Select(f => Path.Combine(dir, "site", Path.GetFileNameWithoutExtension(f) + ".html")).ToList();
        pages.Should().HaveCount(14).And.OnlyContain(p => File.Exists(p));
        var html = string.Concat(pages.Select(File.ReadAllText));
        CountOf(html, "<math").Should().BeGreaterThan(80);
        CountOf(html, "display=\"block\"").Should().BeGreaterThan(3, "display formulas, also those written inside a paragraph, are typeset");
        System.Text.RegularExpressions.Regex.Replace(html, "<pre[\\s\\S]*?</pre>|<math[\\s\\S]*?</math>", "").Should().NotMatchRegex(@"\$\$|\$[^$\s<][^$<]*\$");
        var index = File.ReadAllText(Path.Combine(dir, "site", "index.html"));
        index.Should().Contain("<a href=\"12-3d-shapes.html\">").And.Contain("Run the notebooks yourself").And.Contain("results.html#quality");
        File.Exists(Path.Combine(dir, "site", "KATEX-LICENSE.txt")).Should().BeTrue("KaTeX's MIT licence travels with the pages");
    }

    [Fact]
    public void Outputs_become_pictures_tables_text_and_check_results_with_previous_and_next()
    {
        var dir = Repo.TempDir("site-outputs");
        var png = Convert.ToBase64String(Convert.FromHexString("89504E470D0A1A0A0000000D49484452000000010000000108060000001F15C4890000000D4944415478DA63F8CFC0F01F0005000201F4C7F1E80000000049454E44AE426082"));
        var a = Notebook(Path.Combine(dir, "nb", "01-first.ipynb"), """
            [{"cell_type": "markdown", "metadata": {}, "source": ["# 01 · First\n", "\n", "A formula $a^2 + b^2$ and a [link](02-second.ipynb)."]},
             {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["Console.WriteLine(\"<b>hi</b>\");"],
              "outputs": [{"output_type": "stream", "name": "stdout", "text": ["<b>hi</b>\n"]},
                          {"output_type": "display_data", "metadata": {}, "data": {"image/png": "PNG", "text/html": "<script src='https://cdn.example/plotly.js'></script><div>chart</div>"}},
                          {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/html": "<table><tr><th>k</th></tr><tr><td>1</td></tr></table><script>alert(1)</script>"}}]},
             {"cell_type": "code", "metadata": {"ssl_course": {"check": "x", "points": 1}}, "execution_count": 2, "source": ["// CHECK x"],
              "outputs": [{"output_type": "execute_result", "execution_count": 2, "metadata": {}, "data": {"text/plain": "✓ x: all 2 checks passed", "text/html": "<div>✓</div>"}}]},
             {"cell_type": "code", "metadata": {"ssl_course": {"check": "y", "points": 1}}, "execution_count": 3, "source": ["// CHECK y"],
              "outputs": [{"output_type": "execute_result", "execution_count": 3, "metadata": {}, "data": {"text/plain": "✗ y: not implemented yet"}}]}]
            """.Replace("\"PNG\"", $"\"{png}\""));
        var b = Notebook(Path.Combine(dir, "nb", "02-second.ipynb"), """[{"cell_type": "markdown", "metadata": {}, "source": "# 02 · Second\n\nNo outputs."}]""");

        var result = SiteBuilder.Build([a, b], Path.Combine(dir, "site"), new SiteOptions());

        result.Pages.Should().Equal("index.html", "01-first.html", "02-second.html");
        result.Notes.Should().Contain(n => n.Contains("02-second.ipynb has no outputs")).And.Contain(n => n.Contains("no results"));
        var first = File.ReadAllText(Path.Combine(dir, "site", "01-first.html"));
        first.Should().Contain("<math").And.Contain("href=\"02-second.html\"").And.Contain("&lt;b&gt;hi&lt;/b&gt;", "text outputs are escaped")
            .And.Contain("<img src=\"img/01-first-cell2-2.png\"", "a picture wins over the HTML of the same output")
            .And.Contain("<table><tr><th>k</th></tr>").And.NotContain("<script").And.NotContain("alert(1)")
            .And.Contain("<div class=\"check passed\">✓ x: all 2 checks passed</div>").And.Contain("<div class=\"check failed\">✗ y: not implemented yet</div>")
            .And.Contain("checks: <span class=\"failed\">1 of 2 passed</span>")
            .And.Contain("rel=\"next\" href=\"02-second.html\"").And.NotContain("rel=\"prev\"");
        File.ReadAllText(Path.Combine(dir, "site", "02-second.html")).Should().Contain("rel=\"prev\" href=\"01-first.html\"").And.NotContain("rel=\"next\"");
        File.ReadAllBytes(Path.Combine(dir, "site", "img", "01-first-cell2-2.png")).Should().Equal(Convert.FromBase64String(png));
        File.ReadAllText(Path.Combine(dir, "site", "index.html")).Should().Contain("<a href=\"01-first.html\">01 · First</a>").And.Contain("A formula <span class=\"katex\"><math");
    }

    [Fact]
    public void A_formula_KaTeX_rejects_is_named_with_its_notebook_and_cell()
    {
        var dir = Repo.TempDir("site-badtex");
        var path = Path.Combine(dir, "bad.ipynb");
        Notebook(path, """[{"cell_type": "markdown", "metadata": {}, "source": "# Bad"}, {"cell_type": "markdown", "metadata": {}, "source": "Broken: $\\frac{1}{$ here."}]""");
        var r = CliProcess.Run(dir, TimeSpan.FromMinutes(1), "site", "bad.ipynb", "--out", "site");
        r.ExitCode.Should().Be(2, r.All);
        r.Stderr.Should().Contain("bad.ipynb cell 2: formula `\\frac{1}{`").And.Contain("KaTeX parse error");
        Directory.Exists(Path.Combine(dir, "site")).Should().BeFalse("nothing is written when the site cannot be built");
    }

    [Fact]
    public void Out_replaces_an_earlier_site_but_never_another_folder()
    {
        var dir = Repo.TempDir("site-out");
        var nb = Path.Combine(dir, "a.ipynb");
        Notebook(nb, """[{"cell_type": "markdown", "metadata": {}, "source": "# A"}]""");
        var mine = Path.Combine(dir, "mine");
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, "keep.txt"), "precious");
        var refused = CliProcess.Run(dir, TimeSpan.FromMinutes(1), "site", nb, "--out", mine);
        refused.ExitCode.Should().Be(2, refused.All);
        refused.Stderr.Should().Contain("was not written by `ssl-course site`");
        File.ReadAllText(Path.Combine(mine, "keep.txt")).Should().Be("precious");

        var site = Path.Combine(dir, "site");
        CliProcess.Run(dir, TimeSpan.FromMinutes(1), "site", nb, "--out", site).ExitCode.Should().Be(0);
        File.WriteAllText(Path.Combine(site, "stale.html"), "old");
        var again = CliProcess.Run(dir, TimeSpan.FromMinutes(1), "site", nb, "--out", site);
        again.ExitCode.Should().Be(0, again.All);
        File.Exists(Path.Combine(site, "stale.html")).Should().BeFalse("a rebuild replaces the whole folder");
        Directory.GetDirectories(dir).Select(Path.GetFileName).Should().BeEquivalentTo(["mine", "site"], "no temporary folder is left behind");

        var noOut = CliProcess.Run(dir, TimeSpan.FromMinutes(1), "site", nb);
        noOut.ExitCode.Should().Be(2);
        noOut.Stderr.Should().Contain("--out DIR is required");
    }

    [Fact]
    public void The_pages_workflow_runs_the_notebooks_and_builds_the_site_with_commands_the_cli_accepts()
    {
        var workflow = File.ReadAllText(Path.Combine(Repo.Root, ".github", "workflows", "site.yml"));
        workflow.Should().Contain("actions/upload-pages-artifact").And.Contain("actions/deploy-pages").And.Contain("pages: write");
        var commands = System.Text.RegularExpressions.Regex.Matches(workflow, @"lib/SslCourse.Cli --no-build -- (.+)$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => Words(m.Groups[1].Value.Replace("$BUDGET", "full").Replace("${{ github.server_url }}/${{ github.repository }}", "https://github.com/o/course")))
            .ToList();
        commands.Select(c => c[0]).Should().Equal("run", "site");
        foreach (var words in commands)
            SslCourse.Cli.Cli.Build().Parse(words).Errors.Should().BeEmpty(string.Join(' ', words));
        commands[1].Should().ContainInOrder("site", "executed/full", "--out", "site");
    }

    /// <summary>Shell words of a one-line command (double quotes only, as the workflow writes them).</summary>
    static string[] Words(string line) =>
        System.Text.RegularExpressions.Regex.Matches(line, "\"([^\"]*)\"|(\\S+)").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToArray();

    static NotebookDocument Notebook(string path, string cells)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $$"""{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": {{cells}}}""");
        return NotebookDocument.Load(path);
    }

    static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
