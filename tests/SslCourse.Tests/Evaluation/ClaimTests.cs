using System.Text.Json.Nodes;
using FluentAssertions;
using SslCourse.Evaluation;
using SslCourse.Notebooks;
using SslCourse.Tests.Engine;
using Xunit;

namespace SslCourse.Tests.Evaluation;

/// <summary>The verdict piece: a claim, its measurements with their spread, the rule and the result.</summary>
public class ClaimTests
{
    static double NaiveSampleStd(IReadOnlyList<double> v)
    {
        double mean = 0;
        foreach (var x in v) mean += x;
        mean /= v.Count;
        double ss = 0;
        foreach (var x in v) ss += (x - mean) * (x - mean);
        return Math.Sqrt(ss / (v.Count - 1));
    }

    [Fact]
    public void Spread_is_the_sample_standard_deviation_and_zero_for_one_value()
    {
        var m = new Measured("probe", [61.0, 63.5, 60.6]);
        m.Mean.Should().BeApproximately(61.7, 1e-12);
        m.Spread.Should().BeApproximately(NaiveSampleStd([61.0, 63.5, 60.6]), 1e-12);
        m.Count.Should().Be(3);
        ((Measured)("one run", 0.5)).Spread.Should().Be(0);
    }

    [Fact]
    public void Exceeds_holds_only_when_the_margin_beats_the_larger_spread_and_the_floor()
    {
        // means 10 and 7: margin 3; spreads 1 and 2 (values chosen so the sample std is exact)
        Measured a = ("a", new[] { 9.0, 10, 11 }), b = ("b", new[] { 5.0, 7, 9 });
        var c = Claim.Exceeds("a beats b", a, b);
        c.Holds.Should().BeTrue();
        c.Margin.Should().BeApproximately(3, 1e-12);
        c.Needed.Should().BeApproximately(2, 1e-12);
        Claim.Exceeds("a beats b by 4", a, b, floor: 4).Holds.Should().BeFalse("a floor of 4 is more than the margin of 3");
        Measured wide = ("b", new[] { 3.0, 7, 11 });   // spread 4 > margin 3
        Claim.Exceeds("a beats a noisy b", a, wide).Holds.Should().BeFalse();
        Claim.Exceeds("b beats a", b, a).Holds.Should().BeFalse("the margin is negative");
        Claim.Exceeds("equal", a, a).Holds.Should().BeFalse("a zero margin is not a win");
    }

    [Fact]
    public void Above_Below_Similar_and_monotone_claims_follow_their_rules()
    {
        Measured acc = ("accuracy", new[] { 0.30, 0.32, 0.34 });   // mean 0.32, spread 0.02
        Claim.Above("above chance", acc, 0.25, "chance").Holds.Should().BeTrue();
        Claim.Above("above 0.31", acc, 0.31, "line").Holds.Should().BeFalse("0.01 above is within the spread of 0.02");
        Claim.Below("below 0.5", acc, 0.5, "half").Holds.Should().BeTrue();
        Claim.Below("below 0.33", acc, 0.33, "line").Holds.Should().BeFalse();

        Claim.Similar("close", ("x", 1.0), ("y", 1.4), tolerance: 0.5).Holds.Should().BeTrue();
        Claim.Similar("far", ("x", 1.0), ("y", 1.6), tolerance: 0.5).Holds.Should().BeFalse();

        Claim.NonIncreasing("falls", ("loss", new[] { 3.0, 2.0, 2.05, 1.0 }), tolerance: 0.1).Holds.Should().BeTrue();
        var rises = Claim.NonIncreasing("falls", ("loss", new[] { 3.0, 2.0, 2.5, 1.0 }), tolerance: 0.1);
        rises.Holds.Should().BeFalse();
        rises.Margin.Should().BeApproximately(0.5, 1e-12);
        Claim.NonDecreasing("grows", ("accuracy", new[] { 20.0, 40, 39.5, 60 }), tolerance: 1).Holds.Should().BeTrue();
        var falls = Claim.NonDecreasing("grows", ("accuracy", new[] { 20.0, 40, 35, 60 }), tolerance: 1);
        falls.Holds.Should().BeFalse();
        falls.Margin.Should().BeApproximately(5, 1e-12);
    }

    [Fact]
    public void Bad_input_names_what_is_wrong()
    {
        FluentActions.Invoking(() => Claim.Exceeds(" ", ("a", 1.0), ("b", 0.0))).Should().Throw<ArgumentException>().WithMessage("*statement*");
        FluentActions.Invoking(() => Claim.Exceeds("s", new Measured("a", []), ("b", 0.0))).Should().Throw<ArgumentException>().WithMessage("*'a' has no values*");
        FluentActions.Invoking(() => Claim.Exceeds("s", ("a", double.NaN), ("b", 0.0))).Should().Throw<ArgumentException>().WithMessage("*'a'*not finite*");
        FluentActions.Invoking(() => Claim.Exceeds("s", ("a", 1.0), ("b", 0.0), floor: -1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*floor*");
        FluentActions.Invoking(() => Claim.NonIncreasing("s", ("loss", 1.0))).Should().Throw<ArgumentException>().WithMessage("*at least two values*");
    }

    [Fact]
    public void Text_and_json_carry_the_statement_the_values_the_rule_and_the_verdict()
    {
        var c = Claim.Exceeds("SimCLR beats random", ("SimCLR", new[] { 60.0, 62, 64 }), ("random", new[] { 23.0, 24, 25 }), expected: "Chen et al. 2020: far above");
        c.ToString().Should().StartWith("✓ holds: SimCLR beats random").And.Contain("SimCLR 62.0 ± 2.0 (n = 3)").And.Contain("random 24.0 ± 1.0 (n = 3)")
            .And.Contain("margin 38.0, needed > 2.0").And.Contain("Expected: Chen et al. 2020");
        var json = JsonNode.Parse(c.ToJson())!.AsObject();
        json["statement"]!.GetValue<string>().Should().Be("SimCLR beats random");
        json["holds"]!.GetValue<bool>().Should().BeTrue();
        json["margin"]!.GetValue<double>().Should().BeApproximately(38, 1e-12);
        json["measurements"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()).Should().Equal("SimCLR", "random");
        json["measurements"]![0]!["values"]!.AsArray().Select(v => v!.GetValue<double>()).Should().Equal(60, 62, 64);
        Claim.Exceeds("no", ("a", 0.0), ("b", 1.0)).ToString().Should().StartWith("✗ does not hold: no");
        Claim.MimeType.Should().Be(NotebookClaims.MimeType, "the engine reads the claims the library writes");
    }
}

/// <summary>Claims printed in a notebook reach the engine's reader and <c>ssl-course run</c>'s summary and claims.json.</summary>
public class NotebookClaimsTests
{
    readonly string _dir = Repo.TempDir("claims");

    static string Setup() => TestNotebooks.LibrarySetup();

    [Fact]
    public void Run_prints_the_claims_per_notebook_and_writes_them_as_json()
    {
        TestNotebooks.Write(_dir, "claims.ipynb",
            Setup(),
            "using SslCourse.Evaluation;\nClaim.Exceeds(\"a beats b\", (\"a\", new[] { 9.0, 10, 11 }), (\"b\", new[] { 5.0, 7, 9 }))",
            "SslCourse.Evaluation.Claim.Above(\"c is above 5\", (\"c\", 4.0), 5, \"five\").Display();\nConsole.WriteLine(\"after\");");
        var outDir = Path.Combine(_dir, "out");

        var r = CliProcess.Run(_dir, TimeSpan.FromMinutes(3), "run", "claims.ipynb", "--budget", "smoke", "--out", outDir);

        r.ExitCode.Should().Be(0, r.All);
        r.Stdout.Should().MatchRegex(@"claims\.ipynb\s+passed\s+[0-9.]+ s\s+1 held, 1 not");
        r.Stdout.Should().Contain("1 of 2 claim(s) held").And.Contain("did not hold: claims.ipynb cell 4: c is above 5");
        var claims = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "claims.json")))!.AsArray();
        claims.Select(c => (c!["notebook"]!.GetValue<string>(), c["cell"]!.GetValue<int>(), c["statement"]!.GetValue<string>(), c["holds"]!.GetValue<bool>()))
            .Should().Equal(("claims.ipynb", 3, "a beats b", true), ("claims.ipynb", 4, "c is above 5", false));
        claims[0]!["claim"]!["measurements"]!.AsArray().Should().HaveCount(2);

        // The executed notebook keeps the claim as JSON (nbformat's rule for +json types), beside the html and text forms.
        var executed = NotebookDocument.Load(Path.Combine(outDir, "claims.ipynb"));
        var data = executed.Cells.Where(c => c.IsCode).ElementAt(1).Outputs.Single()!["data"]!.AsObject();
        data.Select(kv => kv.Key).Should().BeEquivalentTo("text/html", "text/plain", Claim.MimeType);
        data[Claim.MimeType].Should().BeOfType<JsonObject>();
        data["text/plain"]!.GetValue<string>().Should().StartWith("✓ holds: a beats b");
    }
}
