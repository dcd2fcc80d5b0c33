namespace SslCourse.Display;

/// <summary>The course's colours: a colour-blind-safe categorical palette (Okabe and Ito, 2008, "Color Universal
/// Design", reordered so the first colours are the most distinct on white, plus two of Paul Tol's colours so ten
/// classes get ten colours).</summary>
public static class Palette
{
    static readonly string[] Hex =
    [
        "#0072B2", // blue
        "#E69F00", // orange
        "#009E73", // bluish green
        "#D55E00", // vermillion
        "#CC79A7", // reddish purple
        "#56B4E9", // sky blue
        "#000000", // black
        "#999999", // grey
        "#882255", // wine (Tol)
        "#C9B400", // dark yellow (Okabe-Ito yellow darkened to read on white)
    ];

    /// <summary>Number of distinct colours before they repeat.</summary>
    public static int Count => Hex.Length;

    /// <summary>The colour of class or series <paramref name="index"/> as "#RRGGBB" (cycles after <see cref="Count"/>).</summary>
    public static string HexColor(int index) => Hex[((index % Hex.Length) + Hex.Length) % Hex.Length];

    /// <summary>The colour of class or series <paramref name="index"/> as RGB bytes.</summary>
    public static (byte R, byte G, byte B) Rgb(int index)
    {
        var h = HexColor(index);
        return (Convert.ToByte(h[1..3], 16), Convert.ToByte(h[3..5], 16), Convert.ToByte(h[5..7], 16));
    }

    internal static ScottPlot.Color Color(int index) => ScottPlot.Color.FromHex(HexColor(index));
}
