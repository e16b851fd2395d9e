using System.Globalization;
using System.Text;
using Needlework.Web.Statistics;

namespace Needlework.Web.Pages;

/// <summary>The stall timeline of a job as inline SVG: the longest frame gap per second, with the threshold drawn across.</summary>
public static class StallTimeline
{
    public static string Svg(IReadOnlyList<StallSample> samples, double? threshold, int width = 800, int height = 160)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return "<p>No timeline in stats.json.</p>";
        }

        var maxT = Math.Max(1, samples.Max(s => s.Seconds));
        var maxY = Math.Max(Math.Max(0.5, samples.Max(s => s.StallSeconds)), threshold ?? 0) * 1.1;
        string X(double t) => (40 + (t / maxT * (width - 50))).ToString("0.#", CultureInfo.InvariantCulture);
        string Y(double v) => (height - 20 - (v / maxY * (height - 30))).ToString("0.#", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg id=\"stall-timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"stall timeline\">");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"40\" y1=\"{height - 20}\" x2=\"{width - 10}\" y2=\"{height - 20}\" stroke=\"#888\"/><line x1=\"40\" y1=\"10\" x2=\"40\" y2=\"{height - 20}\" stroke=\"#888\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"2\" y=\"14\" font-size=\"10\">{maxY:0.#} s</text><text x=\"{width - 60}\" y=\"{height - 5}\" font-size=\"10\">{maxT:0} s</text>");
        sb.Append("<polyline fill=\"none\" stroke=\"#2d4f6b\" stroke-width=\"1.5\" points=\"");
        foreach (var s in samples)
        {
            sb.Append(X(s.Seconds)).Append(',').Append(Y(s.StallSeconds)).Append(' ');
        }

        sb.Append("\"/>");
        if (threshold is { } t)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"threshold\" x1=\"40\" x2=\"{width - 10}\" y1=\"{Y(t)}\" y2=\"{Y(t)}\" stroke=\"#d00\" stroke-dasharray=\"4 3\"/>");
        }

        return sb.Append("</svg>").ToString();
    }
}
