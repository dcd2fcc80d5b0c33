using System.Text.RegularExpressions;
using FluentAssertions;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace SslCourse.Tests.Site;

/// <summary>
/// <c>ssl-course site</c> checked in a real browser: two notebooks executed at smoke, the site built from them, and every
/// page opened from <c>file://</c> in headless Chromium (Debian's, driven by Playwright): no console errors, formulas
/// rendered as MathML with no raw <c>$…$</c> left, every picture loaded, every internal link and anchor resolves.
/// </summary>
public class SiteBrowserTests(ITestOutputHelper output)
{
    static readonly string[] Notebooks = ["00-welcome.ipynb", "02-semi-supervised.ipynb"];

    [Fact]
    public async Task Every_page_of_a_site_built_from_executed_notebooks_works_in_chromium()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var dir = Repo.TempDir("site");
        var executed = Path.Combine(dir, "executed");
        var run = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(4), ["run", .. Notebooks.Select(n => Path.Combine(Repo.Notebooks, n)), "--budget", "smoke", "--out", executed]);
        run.ExitCode.Should().Be(0, run.All);
        var siteDir = Path.Combine(dir, "site");
        var site = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(2), "site", executed, "--out", siteDir, "--repo-url", "https://github.com/example/ssl-course");
        site.ExitCode.Should().Be(0, site.All);

        Directory.GetFiles(siteDir, "*.html").Select(Path.GetFileName).Should().BeEquivalentTo(["index.html", "results.html", "00-welcome.html", "02-semi-supervised.html"]);
        var built = watch.Elapsed;

        watch.Restart();
        var check = await SiteChecker.CheckAsync(siteDir);
        output.WriteLine($"notebooks run and site built in {built.TotalSeconds:0} s; {check.Pages.Count} pages checked in Chromium in {watch.Elapsed.TotalSeconds:0.0} s");
        var welcome = check.Pages["02-semi-supervised.html"];
        welcome.Math.Should().BeGreaterThan(10, "notebook 02's prose has many formulas");
        welcome.Links.Should().Contain("00-welcome.html", "the previous notebook is linked").And.Contain("index.html");
        check.Pages["index.html"].Links.Should().Contain(["00-welcome.html", "02-semi-supervised.html", "results.html", "https://github.com/example/ssl-course#readme"],
            "the index links the syllabus, the results and how to run the notebooks");
        check.Problems.Should().BeEmpty();
        check.Pages.Values.Sum(p => p.Math).Should().BeGreaterThan(10);
        check.Pages.Values.Sum(p => p.Images).Should().BeGreaterThan(5, "the executed notebooks show charts and image grids");
    }

    [Fact]
    public async Task The_check_finds_raw_tex_missing_pictures_broken_links_and_console_errors()
    {
        var dir = Repo.TempDir("site-broken");
        var siteDir = Path.Combine(dir, "site");
        var site = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(2), "site", Path.Combine(Repo.Notebooks, "02-semi-supervised.ipynb"), "--out", siteDir);
        site.ExitCode.Should().Be(0, site.All);
        (await SiteChecker.CheckAsync(siteDir)).Problems.Should().BeEmpty("the site of a source notebook is sound");

        var page = Path.Combine(siteDir, "02-semi-supervised.html");
        File.WriteAllText(page, File.ReadAllText(page).Replace("</main>",
            "<p>left raw: $x^2$</p><img src=\"img/missing.png\" alt=\"gone\"><a href=\"nowhere.html\">x</a><a href=\"index.html#no-such-id\">y</a><script>console.error('boom')</script></main>"));
        var problems = (await SiteChecker.CheckAsync(siteDir)).Problems;
        problems.Should().Contain(p => p.Contains("raw TeX") && p.Contains("$x^2$"))
            .And.Contain(p => p.Contains("image not loaded: img/missing.png"))
            .And.Contain(p => p.Contains("broken link nowhere.html"))
            .And.Contain(p => p.Contains("index.html#no-such-id"))
            .And.Contain(p => p.Contains("console error") && p.Contains("boom"));
        problems.Should().OnlyContain(p => p.StartsWith("02-semi-supervised.html: ", StringComparison.Ordinal));
    }
}

/// <summary>Opens every page of a site from <c>file://</c> in headless Chromium and lists what is wrong.</summary>
public static class SiteChecker
{
    public sealed record Result(IReadOnlyDictionary<string, PageFacts> Pages, IReadOnlyList<string> Problems);

    public static async Task<Result> CheckAsync(string siteDir)
    {
        var pages = Directory.GetFiles(siteDir, "*.html").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToList();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        var report = new List<string>();
        var all = new Dictionary<string, PageFacts>();
        foreach (var name in pages)
        {
            var page = await browser.NewPageAsync();
            var problems = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") problems.Add($"console error: {m.Text}"); };
            page.PageError += (_, e) => problems.Add($"page error: {e}");
            page.RequestFailed += (_, r) => problems.Add($"failed to load {r.Url}: {r.Failure}");
            var response = await page.GotoAsync(new Uri(Path.Combine(siteDir, name)).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            if (response == null) problems.Add("no response");
            var facts = await page.EvaluateAsync<PageFacts>("""
                async () => {
                  const images = [...document.images];
                  const widths = await Promise.all(images.map(i => { i.loading = 'eager'; return i.decode().then(() => i.naturalWidth, () => 0); }));
                  const clone = document.body.cloneNode(true);
                  clone.querySelectorAll('pre, code, math').forEach(e => e.remove());
                  return {
                    math: document.querySelectorAll('math').length,
                    text: clone.textContent,
                    images: images.length,
                    brokenImages: images.filter((_, k) => widths[k] === 0).map(i => i.getAttribute('src')),
                    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
                    styled: getComputedStyle(document.querySelector('main')).maxWidth === '980px',
                  };
                }
                """);
            problems.AddRange(facts.BrokenImages.Select(s => $"image not loaded: {s}"));
            var raw = Regex.Matches(facts.Text, @"\$[^$\s][^$]*\$|\\\(|\\\[").Select(m => m.Value).ToList();
            problems.AddRange(raw.Select(r => $"raw TeX left in the text: {r}"));
            if (!facts.Styled) problems.Add("site.css not applied");
            foreach (var href in facts.Links) problems.AddRange(LinkProblems(siteDir, name, href));
            all[name] = facts;
            report.AddRange(problems.Select(p => $"{name}: {p}"));
            await page.CloseAsync();
        }
        return new Result(all, report);
    }

    /// <summary>An internal link must name a file of the site (and an element id for a fragment); absolute paths
    /// ("/x") would break on GitHub Pages project sites and from file://.</summary>
    static IEnumerable<string> LinkProblems(string siteDir, string page, string href)
    {
        if (Regex.IsMatch(href, "^(https?|mailto):")) yield break;
        if (href.StartsWith('/')) { yield return $"absolute link {href}"; yield break; }
        var hash = href.IndexOf('#');
        var file = hash >= 0 ? href[..hash] : href;
        var target = Path.Combine(siteDir, Uri.UnescapeDataString(file.Length == 0 ? page : file));
        if (file.Length > 0 && !File.Exists(target)) { yield return $"broken link {href}"; yield break; }
        if (hash >= 0 && Path.GetExtension(target) == ".html" && !File.ReadAllText(target).Contains($"id=\"{href[(hash + 1)..]}\"", StringComparison.Ordinal))
            yield return $"link {href}: no element with that id";
    }

    /// <summary>What the page script reports (Playwright fills it by property name).</summary>
    public sealed class PageFacts
    {
        public int Math { get; set; }
        public string Text { get; set; } = "";
        public int Images { get; set; }
        public string[] BrokenImages { get; set; } = [];
        public string[] Links { get; set; } = [];
        public bool Styled { get; set; }
    }
}
