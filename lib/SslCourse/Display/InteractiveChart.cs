using System.Net;
using System.Text;
using XPlot.Plotly;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Display;

/// <summary>
/// A chart to hover over or rotate (plotly.js), for the few places where that helps: 3-D point clouds and
/// embeddings whose points should name themselves on hover. Everywhere else use the PNG <see cref="Chart"/>.
/// <para>
/// Library choice: XPlot.Plotly 4.1.0 (the design card's choice). It restores and runs on net10.0 with only
/// FSharp.Core 4.7.2 and Newtonsoft.Json beside it, while Plotly.NET 6.0.0 needs FSharp.Core 10.1.x pinned next to
/// the kernel's 10.0.111, and its interactive extension is not needed either. XPlot.Plotly.Interactive is not
/// served, so the course registers the formatter itself (<see cref="Formatters.Register"/>).
/// </para>
/// <para>
/// One output carries two MIME types: text/html (a div holding a static PNG of the same data, then a script that
/// loads plotly.js from its CDN, with require.js where Jupyter has it, and replaces the picture with the live
/// chart) and image/png (that static picture, made with ScottPlot). Front ends without scripts or without
/// internet, and GitHub, still show the picture.
/// </para>
/// </summary>
public sealed class InteractiveChart : IPngRenderable
{
    /// <summary>The plotly.js version loaded from the CDN.</summary>
    public const string PlotlyJsUrl = "https://cdn.plot.ly/plotly-2.35.2.min.js";

    readonly PlotlyChart _chart;

    /// <summary>The static picture of the same data (shown offline and on GitHub).</summary>
    public IPngRenderable Static { get; }

    /// <summary>The id of the chart's div in the HTML.</summary>
    public string Id { get; }

    /// <summary>A chart from XPlot.Plotly traces and layout, with <paramref name="staticPicture"/> as its offline picture.</summary>
    public InteractiveChart(IEnumerable<Trace> traces, Layout.Layout layout, IPngRenderable staticPicture, int width = 720, int height = 540)
    {
        Static = staticPicture;
        Id = "ssl-course-plotly-" + Guid.NewGuid().ToString("N")[..12];
        _chart = XPlot.Plotly.Chart.Plot(traces, layout);
        _chart.WithId(Id);
        _chart.WithWidth(width);
        _chart.WithHeight(height);
    }

    /// <summary>A rotatable 3-D scatter of <paramref name="points"/> [N, 3] coloured by <paramref name="labels"/> [N],
    /// with <paramref name="hover"/> text per point; its offline picture is a <see cref="PointCloudView"/>.</summary>
    public static InteractiveChart Scatter3D(Tensor points, Tensor? labels = null, IReadOnlyList<string>? classNames = null, string? title = null,
        IReadOnlyList<string>? hover = null) =>
        Scatter3D(PointCloudView.From(points, labels, classNames, title), hover);

    /// <summary>The rotatable version of <paramref name="view"/> (same points, colours and title).</summary>
    public static InteractiveChart Scatter3D(PointCloudView view, IReadOnlyList<string>? hover = null)
    {
        if (hover != null && hover.Count != view.Count) throw new ArgumentException($"hover: {hover.Count} texts for {view.Count} points.", nameof(hover));
        var traces = new List<Trace>();
        foreach (var (name, idx, colour) in Groups(view.Labels, view.Colours, view.ClassNames, view.Count))
            traces.Add(new Scatter3d
            {
                x = idx.Select(i => view.X[i]).ToArray(), y = idx.Select(i => view.Y[i]).ToArray(), z = idx.Select(i => view.Z[i]).ToArray(),
                mode = "markers", name = name, showlegend = view.Labels != null && view.Colours == null,
                text = hover == null ? null : idx.Select(i => hover[i]).ToArray(),
                marker = new Marker { size = 3, color = colour },
            });
        var layout = new Layout.Layout
        {
            title = view.Title ?? "",
            margin = new Margin { l = 0, r = 0, t = view.Title == null ? 10 : 40, b = 0 },
            scene = new Scene { xaxis = new Xaxis { title = view.AxisNames[0] }, yaxis = new Yaxis { title = view.AxisNames[1] }, zaxis = new Zaxis { title = view.AxisNames[2] }, aspectmode = "data" },
        };
        return new InteractiveChart(traces, layout, view);
    }

    /// <summary>A 2-D scatter of <paramref name="points"/> [N, 2] coloured by class whose points show <paramref name="hover"/>
    /// text (e.g. "image 17: sneaker") on hover; its offline picture is the same <see cref="Chart.Scatter(Tensor, Tensor?, IReadOnlyList{string}?, string?, string?, string?, Background?)"/>.</summary>
    public static InteractiveChart Scatter(Tensor points, Tensor? labels = null, IReadOnlyList<string>? classNames = null, IReadOnlyList<string>? hover = null,
        string? title = null, string? xLabel = null, string? yLabel = null)
    {
        var (x, y) = Chart.Points2(points, nameof(points));
        int[]? labelArray = labels is null ? null : Chart.Labels(labels, x.Length, nameof(labels));
        if (hover != null && hover.Count != x.Length) throw new ArgumentException($"hover: {hover.Count} texts for {x.Length} points.", nameof(hover));
        var traces = new List<Trace>();
        foreach (var (name, idx, colour) in Groups(labelArray, null, classNames, x.Length))
            traces.Add(new XPlot.Plotly.Scatter
            {
                x = idx.Select(i => x[i]).ToArray(), y = idx.Select(i => y[i]).ToArray(), mode = "markers", name = name,
                text = hover == null ? null : idx.Select(i => hover[i]).ToArray(),
                marker = new Marker { size = 6, color = colour },
            });
        var layout = new Layout.Layout
        {
            title = title ?? "", hovermode = "closest",
            xaxis = new Xaxis { title = xLabel ?? "" }, yaxis = new Yaxis { title = yLabel ?? "" },
        };
        return new InteractiveChart(traces, layout, Chart.Scatter(x, y, labelArray, classNames, title, xLabel, yLabel), 720, 480);
    }

    static IEnumerable<(string Name, int[] Index, string? Colour)> Groups(int[]? labels, string[]? colours, IReadOnlyList<string>? names, int n)
    {
        // XPlot's marker colour is one string per trace: points with their own colours become one trace per colour
        if (colours != null) return Enumerable.Range(0, n).GroupBy(i => colours[i]).Select(g => (g.Key, g.ToArray(), (string?)g.Key));
        if (labels == null) return [("points", Enumerable.Range(0, n).ToArray(), Palette.HexColor(0))];
        return labels.Distinct().Order().Select(c => (Chart.ClassName(names, c), Enumerable.Range(0, n).Where(i => labels[i] == c).ToArray(), (string?)Palette.HexColor(c)));
    }

    /// <inheritdoc/>
    public byte[] ToPng() => Static.ToPng();

    /// <summary>The HTML: the static picture inside the chart's div, replaced by the live chart once plotly.js loads.</summary>
    public string ToHtml() => ToHtml(Convert.ToBase64String(ToPng()));

    internal string ToHtml(string pngBase64)
    {
        // The figure's JSON is written by XPlot; "</" is escaped so hover texts cannot end the script early.
        var plot = _chart.GetPlottingJS().Replace("</", "<\\/");
        var sb = new StringBuilder();
        sb.Append($"<div id=\"{Id}\" style=\"width:{_chart.Width}px;height:{_chart.Height}px;\">");
        sb.Append($"<img src=\"data:image/png;base64,{pngBase64}\" alt=\"{WebUtility.HtmlEncode(ToString())}\" style=\"max-width:100%\"/></div>\n");
        sb.Append("<script type=\"text/javascript\">\n(function () {\n");
        sb.Append($"  var draw = function () {{ document.getElementById('{Id}').innerHTML = '';\n{plot}\n  }};\n");
        sb.Append("  if (typeof Plotly !== 'undefined') { draw(); return; }\n");
        sb.Append("  if (typeof require === 'function' && typeof require.config === 'function') {\n");
        sb.Append($"    require.config({{ paths: {{ plotly: '{PlotlyJsUrl[..^3]}' }} }});\n");
        sb.Append("    require(['plotly'], function (P) { window.Plotly = P; draw(); });\n    return;\n  }\n");
        sb.Append($"  var s = document.createElement('script'); s.src = '{PlotlyJsUrl}'; s.onload = draw; document.head.appendChild(s);\n");
        sb.Append("})();\n</script>");
        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => "Interactive chart (plotly.js); static picture: " + Static;
}
