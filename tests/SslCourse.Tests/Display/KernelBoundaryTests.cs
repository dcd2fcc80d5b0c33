using FluentAssertions;
using SslCourse.Display;
using SslCourse.Evaluation;
using SslCourse.Exercises;
using Xunit;

namespace SslCourse.Tests.Display;

/// <summary>The library depends on the notebook kernel only in <c>Display/</c>, and claims and checks share one verdict line.</summary>
public class KernelBoundaryTests
{
    [Fact]
    public void Only_Display_uses_the_notebook_kernel()
    {
        var lib = Path.Combine(Repo.Root, "lib", "SslCourse");
        var display = Path.Combine(lib, "Display") + Path.DirectorySeparatorChar;
        var outside = Directory.EnumerateFiles(lib, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => !f.StartsWith(display, StringComparison.Ordinal))
            // Names in string literals are data (e.g. the solution analyser's deny-list), not uses of the kernel.
            .Where(f => System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(f), "\"(?:[^\"\\\\\n]|\\\\.)*\"", "\"\"").Contains("Microsoft.DotNet.Interactive", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(lib, f));
        outside.Should().BeEmpty("training, evaluation and the check API must run without the notebook kernel");
    }

    [Fact]
    public void Claims_and_checks_render_the_same_verdict_line()
    {
        var pass = new CheckResult("ntxent", true, "ok <1>");
        var fail = new CheckResult("ntxent", false, "ok <1>");
        CheckDisplay.Html(pass).Should().Be(Formatters.VerdictHtml(true, "ok <1>")).And.Contain("#2e7d32").And.Contain("&lt;1&gt;");
        CheckDisplay.Html(fail).Should().Be(Formatters.VerdictHtml(false, "ok <1>")).And.Contain("#c62828");
        var claim = Claim.Exceeds("a beats b", ("a", 0.9), ("b", 0.5));
        Formatters.ClaimHtml(claim).Should().Be(Formatters.VerdictHtml(claim.Holds, claim.ToString()));
        Formatters.VerdictHtml(true, "x").Should().NotBe(Formatters.VerdictHtml(false, "x"));
    }
}
