namespace Needlework.Imaging.Needles;

/// <summary>
/// The outcome of checking candidates against a screen: <see cref="Best"/> is the first passing candidate,
/// if any; <see cref="Candidates"/> lists every candidate in os-autoinst's order (passing first, then lower
/// error, workaround needles first, then by name).
/// </summary>
public sealed record NeedleSearchResult(NeedleCandidate? Best, IReadOnlyList<NeedleCandidate> Candidates)
{
    public bool Found => Best is not null;
}
