using Jint;
using Jint.Runtime;

namespace SslCourse.Cli.Site;

/// <summary>A TeX formula that KaTeX cannot typeset; the message names the formula and KaTeX's reason.</summary>
public sealed class MathException(string message) : Exception(message);

/// <summary>
/// Typesets TeX to MathML at build time with KaTeX 0.19.1 (vendored in <c>Site/katex/</c>, MIT) running under Jint,
/// so that pages show formulas without JavaScript, fonts or a network. One engine per instance: not thread-safe.
/// </summary>
public sealed class Katex
{
    public const string Version = "0.19.1";

    readonly Engine _engine;
    readonly Dictionary<(string, bool), string> _cache = new();

    public Katex()
    {
        _engine = new Engine(o => o.Strict(false).LimitRecursion(4096).TimeoutInterval(TimeSpan.FromSeconds(30)));
        using var stream = typeof(Katex).Assembly.GetManifestResourceStream("SslCourse.Cli.Site.katex.katex.min.js")
            ?? throw new InvalidOperationException("katex.min.js is not embedded in ssl-course.dll");
        using var reader = new StreamReader(stream);
        _engine.Execute("var self = this;");
        _engine.Execute(reader.ReadToEnd());
        _engine.Execute("""
            function renderMathMl(tex, display) {
              return katex.renderToString(tex, { output: 'mathml', displayMode: display, throwOnError: true, strict: 'ignore', trust: false });
            }
            """);
    }

    /// <summary>TeX source -> one <c>&lt;math&gt;</c> element (inside KaTeX's span). <paramref name="display"/> for a block
    /// formula. Throws <see cref="MathException"/> naming the formula when KaTeX rejects it.</summary>
    public string ToMathMl(string tex, bool display)
    {
        if (_cache.TryGetValue((tex, display), out var html)) return html;
        try
        {
            html = _engine.Invoke("renderMathMl", tex, display).AsString();
        }
        catch (JavaScriptException e)
        {
            throw new MathException($"formula `{Shorten(tex)}`: {e.Message}");
        }
        _cache[(tex, display)] = html;
        return html;
    }

    static string Shorten(string tex)
    {
        var one = tex.ReplaceLineEndings(" ").Trim();
        return one.Length <= 80 ? one : one[..79] + "…";
    }
}
