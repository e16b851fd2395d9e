namespace Needlework.Imaging.Needles;

/// <summary>One needle checked against one screen: every match area's best position and similarity.</summary>
/// <param name="Error">The mean of (1 - similarity)^2 over the areas: lower is better, as os-autoinst orders candidates.</param>
public sealed record NeedleCandidate(Needle Needle, IReadOnlyList<AreaMatch> Areas, bool Passed, double Error)
{
    /// <summary>
    /// Where a click on this match lands: the click point of the last area that has one, else the centre
    /// of the last area, as os-autoinst's click_lastmatch computes it.
    /// </summary>
    public (int X, int Y) ClickPosition
    {
        get
        {
            var area = Areas.LastOrDefault(a => a.ClickPoint is not null) ?? Areas[^1];
            return (area.ClickPoint ?? ClickPoint.Center).Resolve(area.X, area.Y, area.Width, area.Height);
        }
    }
}
