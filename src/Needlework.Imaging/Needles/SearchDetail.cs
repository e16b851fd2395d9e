namespace Needlework.Imaging.Needles;

/// <summary>What a needle search has to measure.</summary>
public enum SearchDetail
{
    /// <summary>Every candidate is searched: the result gives each one's areas and similarities.</summary>
    Full,

    /// <summary>
    /// Only what it takes to tell whether a candidate passes. When none can pass anywhere (<see cref="AreaBound"/>
    /// proves it without the template search), the result lists no candidates; when one passes, the search is
    /// <see cref="Full"/>. For a check that records nothing unless it finds a match, because another check follows.
    /// </summary>
    IfFound,
}
